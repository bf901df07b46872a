import Foundation
import HubContracts
import HubMessaging
@testable import HubServer
import Kafka
import KafkaTestSupport
import Logging
import Testing

/// The operations page's dead letters, read from the real broker: counted by topic and folded
/// reason, the latest kept with their original message and where it came from; written in
/// transactions as the adapters write them, and read again as more come, each counted once.
@Suite("dead letters followed for the operations page")
struct DeadLetterWatchTests {
    static let catalogue: TopicCatalogue = {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("topics")
        return try! TopicCatalogue.load(directory: directory)
    }()

    @Test("letters on two dead-letter topics: counts by folded reason, the latest with its original and source")
    func follows() async throws {
        let prefix = "test.dlq.\(UUID().uuidString.prefix(8).lowercased())."
        let admin = try KafkaAdmin(configuration: TestBroker.client)
        let topics = Self.catalogue.topics.filter { $0.flow == .deadLetter }.map { prefix + $0.name }
        _ = try await admin.createTopics(topics.map { KafkaNewTopic(name: $0, partitions: 1) })
        func letter(_ topic: String, _ reason: String, _ value: String, offset: Int) -> KafkaProducerMessage {
            KafkaProducerMessage(topic: prefix + topic, key: Array("k".utf8), value: Array(value.utf8), headers: [
                KafkaHeader(name: DeadLetter.reasonHeader, string: reason), KafkaHeader(name: DeadLetter.stageHeader, string: "mapping"),
                KafkaHeader(name: DeadLetter.sourceTopicHeader, string: "dealer.in.sell-through"),
                KafkaHeader(name: DeadLetter.sourcePartitionHeader, string: "0"), KafkaHeader(name: DeadLetter.sourceOffsetHeader, string: "\(offset)"),
                KafkaHeader(name: DeadLetter.failedAtHeader, string: "2026-12-03T08:00:00Z"),
            ])
        }
        // As the adapters write them: each batch in a transaction, so each partition ends on a commit marker.
        let producer = try TestBroker.producer(transactionalID: TestBroker.uniqueName("dlq-txn"))
        try await producer.initTransactions()
        func commit(_ messages: [KafkaProducerMessage]) async throws {
            try producer.beginTransaction()
            for message in messages { try await producer.enqueue(message) }
            try await producer.commitTransaction()
        }
        try await commit([
            letter(TopicName.Dealer.deadLetters, "quantity: must be positive, not -3", #"{"dealerId":"D1","records":[{"quantity":"-3"}]}"#, offset: 7),
            letter(TopicName.ERP.deadLetters, "not an IDoc: the root element is <html>", "<html>oops</html>", offset: 3),
        ])
        let watch = DeadLetterWatch(client: TestBroker.client, catalogue: Self.catalogue, topicPrefix: prefix, keep: 2, interval: .milliseconds(200))
        let running = Task { try await watch.run() }
        defer { running.cancel() }
        func waitFor(_ total: Int) async throws {
            let deadline = ContinuousClock.now + .seconds(60)
            while watch.snapshot.counts.reduce(0, { $0 + $1.count }) < total || !watch.snapshot.caughtUp, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))  // the broker is polled by the watch; there is nothing in-process to await
            }
        }
        try await waitFor(2)
        #expect(watch.snapshot.caughtUp)
        // More letters after the first read: the moved end is read again, nothing counted twice.
        try await commit([letter(TopicName.Dealer.deadLetters, "quantity: must be positive, not -9", #"{"dealerId":"D1","records":[{"quantity":"-9"}]}"#, offset: 8)])
        try await waitFor(3)
        // Settled: further rounds at the same ends change nothing.
        try await Task.sleep(for: .seconds(3))  // several rounds of the watch at 200 ms: a count that grew here would be a repeat
        let snapshot = watch.snapshot
        #expect(snapshot.counts.reduce(0) { $0 + $1.count } == 3, "\(snapshot.counts)")
        let counts = Dictionary(uniqueKeysWithValues: snapshot.counts.map { ("\($0.topic)|\($0.reason)", $0.count) })
        #expect(counts["\(prefix)\(TopicName.Dealer.deadLetters)|quantity: must be positive, not #"] == 2, "\(counts)")
        #expect(counts["\(prefix)\(TopicName.ERP.deadLetters)|not an IDoc: the root element is <html>"] == 1, "\(counts)")
        #expect(snapshot.latest.count == 2, "only the latest `keep` letters are kept")
        let dealerLetter = try #require(snapshot.latest.first { $0.topic.hasSuffix(TopicName.Dealer.deadLetters) })
        #expect(dealerLetter.record?.sourceOffset != nil && dealerLetter.record?.stage == "mapping" && dealerLetter.original.contains(#""dealerId":"D1""#))
    }
}
