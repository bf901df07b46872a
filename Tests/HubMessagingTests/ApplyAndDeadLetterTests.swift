import Foundation
import HubContracts
import HubMessaging
import Kafka
import KafkaTestSupport
import Testing

/// The repository's topic catalogue.
enum CatalogueFixture {
    static let directory = repositoryRoot.appendingPathComponent("topics")
    static func catalogue() throws -> TopicCatalogue { try TopicCatalogue.load(directory: directory) }
}

@Suite("topics apply and dead letters against the real broker")
struct ApplyAndDeadLetterTests {
    @Test("every dead-letter topic of the catalogue documents the headers dead-lettering adds")
    func deadLetterTopicsDocumentTheirHeaders() throws {
        let topics = try CatalogueFixture.catalogue().topics.filter { $0.flow == .deadLetter }
        #expect(topics.count >= 6)
        for topic in topics {
            #expect(Set(topic.headers.map(\.name)).isSuperset(of: DeadLetter.addedHeaders), "\(topic.name) documents the error headers")
        }
    }

    /// The real catalogue with every topic renamed under a fresh prefix, so the test owns its topics.
    func prefixedCatalogue() throws -> (TopicCatalogue, String) {
        let prefix = TestBroker.uniqueName("apply")
        let original = try CatalogueFixture.catalogue()
        let common = try JSONParser.parse(Array(try Data(contentsOf: CatalogueFixture.directory.appendingPathComponent("common.json"))))
        let renamed = original.topics.map { topic -> TopicDefinition in
            var copy = topic
            copy.name = "\(prefix).\(topic.name)"
            return copy
        }
        return (TopicCatalogue(topics: renamed, common: common), prefix)
    }

    @Test("apply creates every topic with its partitions and configs; a second apply changes nothing; drift is reported")
    func applyIsIdempotent() async throws {
        let (catalogue, prefix) = try prefixedCatalogue()
        let admin = try KafkaAdmin(configuration: TestBroker.client)
        // One topic exists already with the wrong partition count: apply must report, not change it.
        let drifting = "\(prefix).hub.materials"
        #expect(try await admin.createTopics([KafkaNewTopic(name: drifting, partitions: 1)]) == [drifting: .created])

        let applier = CatalogueApplier(catalogue: catalogue, admin: admin)
        let first = try await applier.apply()
        #expect(first.count == catalogue.topics.count)
        for (topic, outcome) in first where topic != drifting {
            #expect(outcome == .created, "\(topic): \(outcome)")
        }
        let drift = try #require(first.first { $0.topic == drifting }?.outcome)
        guard case .drift(let differences) = drift else { Issue.record("expected drift, got \(drift)"); return }
        #expect(differences.contains { $0.contains("partitions 1 on the broker, 3 in the catalogue") })

        let second = try await applier.apply()
        for (topic, outcome) in second where topic != drifting {
            #expect(outcome == .inSync, "\(topic): \(outcome)")
        }

        let updates = try #require(try await admin.describeTopic("\(prefix).hub.orders.updates"))
        #expect(updates.partitions == 12)
        #expect(updates.configs["cleanup.policy"]?.value == "compact")
        let positions = try #require(try await admin.describeTopic("\(prefix).hub.vehicles.positions"))
        #expect(positions.configs["retention.ms"]?.value == String(7 * 86_400_000))
    }

    @Test("apply with a partition cap (the single-node local broker) creates each topic with at most that many and reports no drift for it")
    func applyWithCap() async throws {
        let (catalogue, prefix) = try prefixedCatalogue()
        let admin = try KafkaAdmin(configuration: TestBroker.client)
        let applier = CatalogueApplier(catalogue: catalogue, admin: admin, maxPartitions: 2)
        for (topic, outcome) in try await applier.apply() { #expect(outcome == .created, "\(topic): \(outcome)") }
        for (topic, outcome) in try await applier.apply() { #expect(outcome == .inSync, "\(topic): \(outcome)") }
        #expect(try await admin.describeTopic("\(prefix).hub.orders.updates")?.partitions == 2, "12 in the catalogue, capped")
        #expect(try await admin.describeTopic("\(prefix).hub.warehouses")?.partitions == 1, "1 in the catalogue, under the cap")

        let uncapped = try await CatalogueApplier(catalogue: catalogue, admin: admin).apply(only: ["\(prefix).hub.orders.updates"])
        guard case .drift(let differences)? = uncapped.first?.outcome else { Issue.record("expected drift, got \(uncapped)"); return }
        #expect(differences == ["partitions 2 on the broker, 12 in the catalogue"])
    }

    @Test("a dead letter keeps the original bytes and headers and carries every error header, readable by confluent-kafka")
    func deadLetterInterop() async throws {
        let source = try await TestBroker.createTopic("dlq-source", partitions: 2)
        let dlq = try await TestBroker.createTopic("dlq", partitions: 1)
        let producer = try TestBroker.producer()
        let frame: [UInt8] = [0x7e, 0x02, 0x00, 0x7d, 0x02, 0xff, 0x00, 0x7e]
        try await producer.send(KafkaProducerMessage(topic: source, key: "013912345678".bytes, value: frame, headers: [
            KafkaHeader(name: "carrier.id", string: "CAR-07"),
            KafkaHeader(name: "error.reason", string: "stale reason from an earlier hop"),
        ]))
        let consumer = try TestBroker.consumer(topics: [source])
        let original = try #require(try await TestBroker.collect(1, from: consumer).first)
        await consumer.close()

        let failedAt = Date(timeIntervalSince1970: 1_795_918_500)
        let letter = DeadLetter.message(for: original, to: dlq, reason: "JT/T 808: check code mismatch (expected 0x5a, got 0xff)", stage: .decode, failedAt: failedAt)
        try await producer.send(letter)
        try await producer.shutdown()

        let output = try await ConfluentClient.run(["consume", "--topic", dlq, "--count", "1"])
        let read = try JSONParser.parse(Array(output.utf8))
        #expect(read["value"]?.stringValue == frame.map { String(format: "%02x", $0) }.joined(), "the original bytes, unchanged")
        #expect(read["key"]?.stringValue == "013912345678".bytes.map { String(format: "%02x", $0) }.joined())
        let headers = (read["headers"]?.arrayValue ?? []).compactMap { pair -> (String, String)? in
            guard let items = pair.arrayValue, let name = items.first?.stringValue, let bytes = ConfluentClient.bytes(ofHex: items.last?.stringValue) else { return nil }
            return (name, String(decoding: bytes, as: UTF8.self))
        }
        let byName = Dictionary(headers, uniquingKeysWith: { _, last in last })
        #expect(byName["carrier.id"] == "CAR-07", "original headers are kept")
        #expect(headers.filter { $0.0 == "error.reason" }.count == 1, "an earlier error.reason is replaced, not repeated")
        #expect(byName["error.reason"] == "JT/T 808: check code mismatch (expected 0x5a, got 0xff)")
        #expect(byName["error.stage"] == "decode")
        #expect(byName["source.topic"] == source)
        #expect(byName["source.partition"] == String(original.partition))
        #expect(byName["source.offset"] == String(original.offset))
        #expect(byName["failed.at"] == "2026-11-29T02:15:00Z")
    }

    @Test("a dead letter's headers read back into a record; an overlong reason is cut")
    func deadLetterRecord() {
        let original = KafkaConsumerMessage(topic: "erp.in.customers", partition: 2, offset: 41, key: nil, value: nil)
        let letter = DeadLetter.message(for: original, to: "erp.dlq", reason: String(repeating: "x", count: 5000), stage: .validate)
        let record = DeadLetter.record(of: letter.headers)
        #expect(record?.sourceTopic == "erp.in.customers")
        #expect(record?.sourcePartition == 2)
        #expect(record?.sourceOffset == 41)
        #expect(record?.stage == "validate")
        #expect(record?.reason.count == DeadLetter.maxReasonLength)
        #expect(letter.value == nil && letter.key == nil, "a tombstone stays a tombstone")
        #expect(DeadLetter.record(of: []) == nil)
    }
}
