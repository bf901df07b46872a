import Adapters
import WireFormats
import Foundation
import HubContracts
import Kafka
import KafkaTestSupport
import Testing

/// `lubehub adapter NAME` for the ERP, ABS, dealer-systems and anti-counterfeit adapters, each on
/// topics of its own (`--topic-prefix`), killed (SIGKILL) three times at random moments while its
/// inputs stream in — the catalogue's examples of every topic it reads, some cut short so they are
/// refused — then restarted. The oracle is the mapping itself, run in this process over the inputs
/// as the broker holds them: a read_committed reader finds exactly the output ids the oracle gives
/// (none missing, none extra, an id always with the same value), and exactly the inputs the oracle
/// refuses are dead-lettered.
@Suite("every adapter survives kill -9", .serialized)
struct AdapterKillTests {
    static let catalogue = JT808Tests.catalogue

    @Test("killed three times mid-stream: every input's output exactly under the oracle's ids, refused inputs dead-lettered",
          arguments: ["erp", "abs", "dealer", "anticounterfeit"])
    func killAndRestart(adapter name: String) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: CarrierAdapterCrashTests.binary.path), "build lubehub first (make test does)")
        let oracle = try #require(HubAdapters.mapping(named: name, catalogue: Self.catalogue))
        let prefix = "test.kill-\(name).\(UUID().uuidString.prefix(8).lowercased())."
        let admin = try KafkaAdmin(configuration: TestBroker.client)
        let created = try await admin.createTopics(Self.catalogue.topics.map { KafkaNewTopic(name: prefix + $0.name, partitions: $0.partitions) })
        #expect(created.values.allSatisfy { $0 == .created })

        // The stream: examples of every input topic, one in eight cut short (refused, or a CSV with a broken row).
        var random = FixedSeedRandom(seed: UInt64(name.utf8.reduce(7) { $0 &* 31 &+ UInt64($1) }))
        let examples = oracle.inputTopics.flatMap { topic in (Self.catalogue[topic]?.examples ?? []).map { (topic, $0) } }
        var stream: [KafkaProducerMessage] = []
        for _ in 0..<1200 {
            let (topic, example) = examples[random.next(examples.count)]
            var value = example.bytes
            if random.next(8) == 0 { value = Array(value.prefix(random.next(value.count))) }
            stream.append(KafkaProducerMessage(topic: prefix + topic, key: example.key.map { Array($0.utf8) }, value: value,
                                               headers: example.headers.sorted { $0.key < $1.key }.map { KafkaHeader(name: $0.key, string: $0.value) }))
        }
        let producer = try TestBroker.producer()
        // Where each input landed: the ERP adapter also writes to a topic it reads (hub.orders.events),
        // so the oracle must take exactly the published inputs, not the first messages it finds there.
        let inputStream = stream
        let publisher = Task { @Sendable () throws -> Set<String> in
            var published = Set<String>()
            for start in stride(from: 0, to: inputStream.count, by: 50) {
                for report in try await producer.sendBatch(Array(inputStream[start..<min(start + 50, inputStream.count)])) {
                    guard report.succeeded, let offset = report.offset else { throw report.error ?? KafkaError(code: .delivery, message: "not delivered") }
                    published.insert("\(report.topic):\(report.partition):\(offset)")
                }
                try await Task.sleep(for: .milliseconds(500))  // pacing the stream over ~12 s, through all three lives; not synchronisation
            }
            return published
        }
        func launch() throws -> Process {
            let process = Process()
            process.executableURL = CarrierAdapterCrashTests.binary
            process.arguments = ["adapter", name, "--bootstrap", TestBroker.bootstrap, "--catalogue", repositoryRoot.appendingPathComponent("topics").path,
                                 "--topic-prefix", prefix, "--instance", "kill-test"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for _ in 0..<3 {
            let adapter = try launch()
            try await Task.sleep(for: .milliseconds(3_500 + random.next(2_500)))  // the join, then a random stretch of work
            kill(adapter.processIdentifier, SIGKILL)
            await ChildProcess.exit(of: adapter)
        }
        let published = try await publisher.value
        try await producer.shutdown()
        let last = try launch()
        defer { CarrierAdapterCrashTests.stop(last) }

        // The oracle: the inputs as the broker holds them (offsets, timestamps), mapped here.
        let inputs = try TestBroker.consumer(topics: oracle.inputTopics.map { prefix + $0 }, maxBatchSize: 5000)
        let held = try await withDeadline(.seconds(60), "the \(published.count) published inputs") {
            var found: [KafkaConsumerMessage] = []
            for try await batch in inputs.batches {
                found += batch.filter { published.contains("\($0.topic):\($0.partition):\($0.offset)") }
                if found.count >= published.count { break }
            }
            return found
        }
        await inputs.close()
        #expect(held.count == stream.count, "every input published once")
        var expected: [String: String] = [:]  // id -> topic
        var refused = Set<String>()
        for message in held {
            var record = RawRecord(message)
            record.topic = String(record.topic.dropFirst(prefix.count))
            let result = oracle.map(record)
            for event in result.events { expected[event.id] = prefix + event.topic }
            if !result.rejections.isEmpty { refused.insert("\(message.topic):\(message.partition):\(message.offset)") }
        }
        #expect(!expected.isEmpty && !refused.isEmpty, "the stream has both outputs and refusals")

        let expectedIds = Set(expected.keys)
        let outputs = try await CommittedOutputs.eventIds(on: Array(Set(expected.values)).sorted(), expected: expectedIds)
        #expect(outputs.ids == expectedIds, "\(outputs.ids.subtracting(expectedIds).count) unexpected ids, \(expectedIds.subtracting(outputs.ids).count) missing")
        #expect(outputs.conflicts.isEmpty, "an id always carries the same value")
        let dead = try await CommittedOutputs.deadLetteredInputs(on: prefix + oracle.deadLetterTopic, expected: refused)
        #expect(dead == refused, "refused inputs, and nothing else, dead-lettered")
    }
}
