import Foundation
import Kafka
import KafkaTestSupport
import Testing

@Suite("transactions")
struct TransactionTests {
    @Test("an aborted transaction is invisible to read_committed; a committed one is visible")
    func abortAndCommit() async throws {
        let topic = try await TestBroker.createTopic("txn", partitions: 2)
        // A long linger keeps the aborted transaction's messages in librdkafka's queue until the abort
        // purges them (the commit flushes its own). Without it, on a slow machine some reached the
        // broker before the abort (1 CI run in 9), and the local broker hands a read_committed
        // consumer messages that reached it before an abort (README: its known defects) — Apache
        // Kafka does not. What this test asserts is the library's part: abort purges, commit sends,
        // read_committed is asked for.
        let producer = try TestBroker.producer(transactionalID: TestBroker.uniqueName("txn"), properties: ["linger.ms": "10000"])
        try await producer.initTransactions()

        try producer.beginTransaction()
        for index in 0..<10 { try await producer.enqueue(KafkaProducerMessage(topic: topic, key: "k\(index)", value: "aborted-\(index)")) }
        try await producer.abortTransaction()

        try producer.beginTransaction()
        for index in 0..<10 { try await producer.enqueue(KafkaProducerMessage(topic: topic, key: "k\(index)", value: "committed-\(index)")) }
        try await producer.commitTransaction()
        try await producer.shutdown()
        // A plain message closes each partition: whatever a reader sees before it is all it will see.
        let plain = try TestBroker.producer()
        for partition in Int32(0)..<2 { try await plain.send(KafkaProducerMessage(topic: topic, partition: partition, key: "end", value: "end")) }
        try await plain.shutdown()

        let reader = try TestBroker.consumer(topics: [topic], isolation: .readCommitted)
        let seen = try await withDeadline(.seconds(60), "both end markers") {
            var seen: [KafkaConsumerMessage] = []
            for try await batch in reader.batches {
                seen += batch
                if seen.filter({ $0.valueString == "end" }).count == 2 { break }
            }
            return seen
        }
        await reader.close()
        let values = seen.compactMap(\.valueString).filter { $0 != "end" }
        #expect(values.sorted() == (0..<10).map { "committed-\($0)" }.sorted(), "exactly the committed records, none of the aborted")
    }

    @Test("consume-transform-produce: offsets commit with the transaction and only then")
    func consumeTransformProduce() async throws {
        let input = try await TestBroker.createTopic("ctp-in", partitions: 3)
        let output = try await TestBroker.createTopic("ctp-out", partitions: 3)
        let group = TestBroker.uniqueName("ctp")
        let source = try TestBroker.producer()
        for index in 0..<30 { try await source.enqueue(KafkaProducerMessage(topic: input, key: "k\(index % 5)", value: "\(index)")) }
        try await source.shutdown()

        let consumer = try TestBroker.consumer(topics: [input], group: group)
        let producer = try TestBroker.producer(transactionalID: TestBroker.uniqueName("ctp"))
        try await producer.initTransactions()
        let batch = try await TestBroker.collect(30, from: consumer)
        let next = Dictionary(batch.map { ($0.topicPartition, $0.offset + 1) }, uniquingKeysWith: max)

        // First attempt aborts: neither output nor offsets may stick.
        try producer.beginTransaction()
        for message in batch { try await producer.enqueue(KafkaProducerMessage(topic: output, key: message.key, value: "doubled-\(message.valueString ?? "")".bytes)) }
        try await producer.sendOffsetsToTransaction(next, consumer: consumer)
        try await producer.abortTransaction()
        let afterAbort = try await consumer.committed(Array(next.keys))
        #expect(afterAbort.values.allSatisfy { $0 == nil }, "an aborted transaction commits no offsets")

        try producer.beginTransaction()
        for message in batch {
            let value = Int(message.valueString ?? "") ?? -1
            try await producer.enqueue(KafkaProducerMessage(topic: output, key: message.key, value: "\(value * 2)".bytes))
        }
        try await producer.sendOffsetsToTransaction(next, consumer: consumer)
        try await producer.commitTransaction()
        try await producer.shutdown()
        let afterCommit = try await consumer.committed(Array(next.keys))
        #expect(afterCommit.mapValues { $0 ?? -1 } == next)
        await consumer.close()

        let reader = try TestBroker.consumer(topics: [output], isolation: .readCommitted)
        let results = try await withDeadline(.seconds(60), "the committed output") {
            var results: [KafkaConsumerMessage] = []
            for try await batch in reader.batches {
                results += batch
                if results.filter({ Int($0.valueString ?? "") != nil }).count == 30 { break }
            }
            return results
        }
        await reader.close()
        #expect(results.compactMap { Int($0.valueString ?? "") }.sorted() == (0..<30).map { $0 * 2 })
        // Known tansu 0.6.0 gap, seen with confluent-kafka too: when a transaction that carried
        // consumer offsets is aborted, its records sometimes stay visible to read_committed.
        // Anything else visible must be exactly that aborted attempt's output, never something new.
        let others = results.compactMap(\.valueString).filter { Int($0) == nil }
        #expect(others.allSatisfy { $0.hasPrefix("doubled-") })
    }

    @Test("transactional calls without a transactional.id fail with a typed error")
    func notTransactional() async throws {
        let producer = try TestBroker.producer()
        await #expect {
            try await producer.initTransactions(timeout: .seconds(5))
        } throws: { error in
            (error as? KafkaError)?.code == .transaction
        }
        try await producer.shutdown()
    }
}
