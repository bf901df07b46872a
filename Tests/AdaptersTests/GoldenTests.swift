import Adapters
import WireFormats
import Foundation
import HubContracts
import Kafka
import KafkaTestSupport
import Testing

/// Every example of every raw topic in `topics/`, through its adapter's mapping, against the golden
/// file `Golden/<topic>.<index>.jsonl`: one line per canonical event (topic, key, id and the event
/// itself) or dead letter (its reason), in order. Each event must also be valid on its topic.
/// After a deliberate change, `LUBEHUB_UPDATE_GOLDEN=1 swift test --filter GoldenTests` rewrites
/// the files; the diff is then reviewed like code.
@Suite("golden files: the catalogue's raw examples, mapped")
struct GoldenTests {
    static let catalogue = JT808Tests.catalogue
    static let directory = repositoryRoot.appendingPathComponent("Tests/AdaptersTests/Golden")

    /// The dealers of the catalogue's `hub.dealers` examples (the east branch: 上海 and 江苏).
    static let dealers = DealerDirectory(catalogue["hub.dealers"]!.examples.compactMap { try? CanonicalEvent.decode($0.bytes).data.payload(as: DealerUpserted.self) })

    /// Each mapping as the adapters run it (checked against the catalogue, all but JT/T 808's).
    static let mappings: [any AdapterMapping] = ([
        ErpMapping(), AbsMapping(), DealerMapping(catalogue: catalogue), AntiCounterfeitMapping(catalogue: catalogue, dealers: dealers),
        CarrierEventsMapping(catalogue: catalogue),
    ] as [any AdapterMapping]).map { CheckedMapping($0, catalogue: catalogue) } + [
        JT808Mapping(registry: TerminalRegistry(["13912345678": "V-CAR07-0042", "13800001111": "V-CAR03-0007"])),
    ]

    /// Every example of every topic an adapter reads (raw inbound topics, and the hub's order events
    /// the ERP adapter sends on).
    static var cases: [String] {
        let read = Set(mappings.flatMap(\.inputTopics))
        return catalogue.topics.filter { read.contains($0.name) }.flatMap { definition in
            definition.examples.indices.map { "\(definition.name).\($0)" }
        }.sorted()
    }

    /// The example a case names (`TOPIC.INDEX`) and the mapping that reads its topic.
    static func example(_ name: String) throws -> (topic: String, index: Int, example: TopicDefinition.Example, mapping: any AdapterMapping) {
        let dot = try #require(name.lastIndex(of: "."))
        let topic = String(name[..<dot])
        let index = try #require(Int(name[name.index(after: dot)...]))
        let example = try #require(catalogue[topic]?.examples[index])
        let mapping = try #require(mappings.first { $0.inputTopics.contains(topic) }, "no adapter reads \(topic)")
        return (topic, index, example, mapping)
    }

    @Test("each raw example maps to its golden events", arguments: cases)
    func golden(_ name: String) throws {
        let (topic, index, example, mapping) = try Self.example(name)
        // Brokers stamp every message; the examples are all from 2026-11-29 10:15 in China.
        let record = RawRecord(topic: topic, partition: 0, offset: Int64(index), key: example.key.map { Array($0.utf8) }, value: example.bytes,
                               headers: example.headers.sorted { $0.key < $1.key }.map { KafkaHeader(name: $0.key, string: $0.value) },
                               timestampMilliseconds: Timestamp(parsing: "2026-11-29T02:15:00Z")?.milliseconds)
        let result = mapping.map(record)
        var lines: [String] = []
        for event in result.events {
            let value: String
            if event.topic.hasPrefix("hub.") {
                #expect(Self.catalogue.validate(topic: event.topic, value: event.value) == .valid, "\(name) → \(event.topic)")
                value = String(decoding: event.value, as: UTF8.self)
            } else {
                value = JSONValue.string(String(decoding: event.value, as: UTF8.self)).description
            }
            let key = JSONValue.string(event.key).description
            lines.append(#"{"topic":"\#(event.topic)","key":\#(key),"id":"\#(event.id)","value":\#(value)}"#)
        }
        lines += result.rejections.map { #"{"deadLetter":\#(JSONValue.string($0.reason).description)}"# }
        if let skipped = result.skipped { lines.append(#"{"skipped":\#(JSONValue.string(skipped).description)}"#) }
        let produced = lines.joined(separator: "\n") + "\n"
        let file = Self.directory.appendingPathComponent("\(name).jsonl")
        if ProcessInfo.processInfo.environment["LUBEHUB_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try produced.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(produced == expected, "\(name): the mapping's output differs from \(file.lastPathComponent)")
    }
}
