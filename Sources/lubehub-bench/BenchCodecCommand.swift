import ArgumentParser
import HubCommandLine
import Foundation
import HubContracts

/// What the hub does to every canonical event it writes or reads, in this process and without
/// Kafka: encode a typed event to its bytes (sorted keys), check bytes against the topic's schema,
/// decode bytes to a typed event. The baseline is Foundation's `JSONEncoder` (sorted keys) and
/// `JSONDecoder` doing the same encode and decode of the same events, in the same run; encoding
/// is also measured the way the hub did it before ``JSONBytesEncoder`` (the event's `JSONValue`, written out).
/// The events are the valid examples of every canonical topic in the catalogue.
struct BenchCodecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codec",
        abstract: "Canonical events encoded, validated and decoded vs. Foundation's JSONEncoder/JSONDecoder (no Kafka)."
    )

    @OptionGroup var catalogueOptions: CatalogueOptions
    @Option(help: "Events per measurement (the catalogue's examples, round and round).") var events = 100_000
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func run() throws {
        let catalogue = try catalogueOptions.load()
        let samples = Self.samples(in: catalogue)
        guard !samples.isEmpty else { throw ValidationError("the catalogue holds no canonical example to measure") }
        progress("\(samples.count) canonical examples from \(Set(samples.map(\.topic)).count) topics, \(events) events per measurement")

        let ours = measure("encode") { index in
            (try? samples[index % samples.count].event.encoded())?.count ?? 0
        }
        // The way the hub wrote them before: the JSONValue tree of the event, written out.
        let tree = measure("encode, through JSONValue") { index in
            (try? samples[index % samples.count].event.json().description.utf8.count) ?? 0
        }
        let foundationEncoder = JSONEncoder()
        foundationEncoder.outputFormatting = .sortedKeys
        let foundation = measure("encode, Foundation") { index in
            (try? FoundationEnvelope.encode(samples[index % samples.count].event, with: foundationEncoder))?.count ?? 0
        }
        let validated = measure("validate") { index in
            let sample = samples[index % samples.count]
            return catalogue.validate(topic: sample.topic, value: sample.bytes) == .valid ? sample.bytes.count : 0
        }
        let decoded = measure("decode") { index in
            let sample = samples[index % samples.count]
            return (try? CanonicalEvent.decode(sample.bytes)) == nil ? 0 : sample.bytes.count
        }
        let foundationDecoder = JSONDecoder()
        let foundationDecoded = measure("decode, Foundation") { index in
            let sample = samples[index % samples.count]
            return FoundationEnvelope.decode(sample.bytes, type: sample.event.type, with: foundationDecoder) ? sample.bytes.count : 0
        }

        var report = BenchReport(bench: "codec")
        report.config = [("events", String(events)), ("examples", String(samples.count)),
                         ("mean_bytes", String(samples.map(\.bytes.count).reduce(0, +) / samples.count))]
        report.results = [
            ("encode", .init(value: ours.rounded(), unit: "events/s")),
            ("encode_through_jsonvalue", .init(value: tree.rounded(), unit: "events/s")),
            ("encode_foundation", .init(value: foundation.rounded(), unit: "events/s")),
            ("validate", .init(value: validated.rounded(), unit: "events/s")),
            ("decode", .init(value: decoded.rounded(), unit: "events/s")),
            ("decode_foundation", .init(value: foundationDecoded.rounded(), unit: "events/s")),
        ]
        report.ratio("encode", "encode_foundation")
        report.ratio("encode", "encode_through_jsonvalue")
        report.ratio("decode", "decode_foundation")
        print(json ? report.json : report.table)
    }

    struct Sample {
        var topic: String
        var bytes: [UInt8]
        var event: CanonicalEvent
    }

    /// Every example of a JSON topic that is a valid canonical event of a type this build knows.
    static func samples(in catalogue: TopicCatalogue) -> [Sample] {
        catalogue.topics.flatMap { topic in
            topic.examples.compactMap { example -> Sample? in
                let bytes = example.bytes
                guard catalogue.validate(topic: topic.name, value: bytes) == .valid,
                      let event = try? CanonicalEvent.decode(bytes), event.kind != nil else { return nil }
                return Sample(topic: topic.name, bytes: bytes, event: event)
            }
        }
    }

    /// Runs `body` for `events` indices after a warm-up; events per second. A body that returns 0
    /// failed on its event: the measurement stops, as its figure would mean nothing.
    private func measure(_ name: String, _ body: (Int) -> Int) -> Double {
        for index in 0..<min(events, 1_000) where body(index) == 0 {
            FileHandle.standardError.write(Data("[bench codec] \(name) failed on example \(index)\n".utf8))
            return 0
        }
        let start = ContinuousClock.now
        var bytes = 0
        for index in 0..<events { bytes += body(index) }
        let seconds = (ContinuousClock.now - start).seconds
        let rate = Double(events) / seconds
        progress(String(format: "%@: %.0f events/s (%.1f MB/s)", name, rate, Double(bytes) / seconds / 1e6))
        return rate
    }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("[bench codec] \(text)\n".utf8))
    }
}

/// The baseline: the same envelope and typed data through Foundation's coders.
private enum FoundationEnvelope {
    struct Typed<Payload: CanonicalPayload>: Codable {
        var id: String
        var type: String
        var source: String
        var occurredAt: String
        var subject: String
        var schemaVersion: Int
        var data: Payload
    }

    struct NoPayload: Error {}

    static func encode(_ event: CanonicalEvent, with encoder: JSONEncoder) throws -> Data {
        func typed<P: CanonicalPayload>(_ data: P) throws -> Data {
            try encoder.encode(Typed<P>(id: event.id, type: event.type, source: event.source, occurredAt: event.occurredAt.text,
                                        subject: event.subject, schemaVersion: event.schemaVersion, data: data))
        }
        guard let payload = event.data.payload else { throw NoPayload() }
        return try typed(payload)
    }

    static func decode(_ bytes: [UInt8], type: String, with decoder: JSONDecoder) -> Bool {
        guard let kind = EventKind(rawValue: type) else { return false }
        return (try? EventData.decode(kind, with: EnvelopeReader(bytes: Data(bytes), decoder: decoder))) != nil
    }

    /// Reads the whole envelope with Foundation's decoder, as the struct the kind names.
    struct EnvelopeReader: PayloadReader {
        let bytes: Data
        let decoder: JSONDecoder
        func read<Payload: CanonicalPayload>(_ type: Payload.Type) throws -> Payload { try decoder.decode(Typed<Payload>.self, from: bytes).data }
    }
}
