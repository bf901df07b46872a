import CRdKafka
import Foundation
@testable import Kafka
import KafkaTestSupport
import Testing

/// Faults a real broker cannot easily produce, on librdkafka's built-in mock cluster
/// (`test.mock.num.brokers`), and an unreachable broker for real.
@Suite("faults: broker errors, timeouts, a moving coordinator, an unreachable broker")
struct FaultTests {
    private func mockProducer(idempotence: Bool = true, brokers: Int = 1, properties: [String: String] = [:]) throws -> (KafkaProducer, OpaquePointer) {
        let producer = try TestBroker.producer(idempotence: idempotence, properties: properties.merging(["test.mock.num.brokers": "\(brokers)"]) { $1 })
        let cluster = try #require(rd_kafka_handle_mock_cluster(producer.handle.handle))
        return (producer, cluster)
    }

    @Test("retriable broker errors on produce are retried and the message is delivered once")
    func retriableProduceError() async throws {
        let (producer, cluster) = try mockProducer()
        #expect(rd_kafka_mock_topic_create(cluster, "orders", 1, 1) == RD_KAFKA_RESP_ERR_NO_ERROR)
        let errors = [RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT]
        rd_kafka_mock_push_request_errors_array(cluster, 0 /* Produce */, errors.count, errors)
        let report = try await producer.send(KafkaProducerMessage(topic: "orders", key: "o-1", value: "v"))
        #expect(report.offset == 0)
        let second = try await producer.send(KafkaProducerMessage(topic: "orders", key: "o-2", value: "v"))
        #expect(second.offset == 1, "the retried message was written once")
        try await producer.shutdown()
    }

    @Test("a permanent broker error fails the send with the broker's code")
    func permanentProduceError() async throws {
        let (producer, cluster) = try mockProducer(idempotence: false)
        #expect(rd_kafka_mock_topic_create(cluster, "orders", 1, 1) == RD_KAFKA_RESP_ERR_NO_ERROR)
        var errors = [RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE]
        rd_kafka_mock_push_request_errors_array(cluster, 0, errors.count, &errors)
        await #expect {
            try await producer.send(KafkaProducerMessage(topic: "orders", key: "o-1", value: "v"))
        } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.code == .delivery && error.librdkafkaCode == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE.rawValue && !error.isFatal
        }
        // The producer goes on working after the failure.
        let report = try await producer.send(KafkaProducerMessage(topic: "orders", key: "o-2", value: "v"))
        #expect(report.offset != nil)
        try await producer.shutdown()
    }

    @Test("a broker that stops answering makes the send time out after message.timeout.ms")
    func requestTimeout() async throws {
        let (producer, cluster) = try mockProducer(properties: ["message.timeout.ms": "1500", "request.timeout.ms": "1000"])
        #expect(rd_kafka_mock_topic_create(cluster, "orders", 1, 1) == RD_KAFKA_RESP_ERR_NO_ERROR)
        _ = try await producer.send(KafkaProducerMessage(topic: "orders", key: "warm-up", value: "v"))
        #expect(rd_kafka_mock_broker_set_rtt(cluster, 1, 10_000) == RD_KAFKA_RESP_ERR_NO_ERROR)
        // A timeout error (not the reply the broker sends after 10 s) is the proof; the deadline
        // leaves room for two busy cores.
        try await withDeadline(.seconds(30), "the send to time out") {
            await #expect {
                try await producer.send(KafkaProducerMessage(topic: "orders", key: "o-1", value: "v"))
            } throws: { error in
                (error as? KafkaError)?.isTimeout == true
            }
        }
        #expect(rd_kafka_mock_broker_set_rtt(cluster, 1, 0) == RD_KAFKA_RESP_ERR_NO_ERROR)
        try await producer.shutdown(flushTimeout: .seconds(10))
    }

    @Test("commits keep working when the group coordinator moves to another broker")
    func coordinatorMoves() async throws {
        let group = TestBroker.uniqueName("group")
        let consumer = try KafkaConsumer(configuration: .init(
            client: .init(bootstrapServers: ["unused:1"], properties: ["test.mock.num.brokers": "3"]),
            groupID: group, topics: ["events"], sessionTimeout: .seconds(6), autoOffsetReset: .earliest, fetchWaitMax: .milliseconds(10)
        ))
        let cluster = try #require(rd_kafka_handle_mock_cluster(consumer.handle.handle))
        #expect(rd_kafka_mock_topic_create(cluster, "events", 2, 1) == RD_KAFKA_RESP_ERR_NO_ERROR)
        let bootstraps = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
        let producer = try KafkaProducer(configuration: .init(client: .init(bootstrapServers: [bootstraps]), linger: .milliseconds(1)))
        #expect(rd_kafka_mock_coordinator_set(cluster, "group", group, 1) == RD_KAFKA_RESP_ERR_NO_ERROR)

        for index in 0..<10 { try await producer.send(KafkaProducerMessage(topic: "events", key: "k\(index)", value: "\(index)")) }
        let first = try await TestBroker.collect(10, from: consumer)
        let firstNext = Dictionary(first.map { ($0.topicPartition, $0.offset + 1) }, uniquingKeysWith: max)
        try await consumer.commit(firstNext)

        #expect(rd_kafka_mock_coordinator_set(cluster, "group", group, 3) == RD_KAFKA_RESP_ERR_NO_ERROR)
        for index in 10..<20 { try await producer.send(KafkaProducerMessage(topic: "events", key: "k\(index)", value: "\(index)")) }
        // The application keeps consuming (a rejoin at the new coordinator is served while it polls)
        // and commits what it has; repeats after a rejoin are allowed, losses are not.
        let seen = Observed<Set<String>>(Set(first.compactMap(\.valueString)))
        let latest = Observed<[KafkaTopicPartition: Int64]>(firstNext)
        let reader = Task {
            for try await batch in consumer.batches {
                await seen.update { $0.formUnion(batch.compactMap(\.valueString)) }
                await latest.update { offsets in
                    for message in batch { offsets[message.topicPartition] = max(offsets[message.topicPartition] ?? 0, message.offset + 1) }
                }
            }
        }
        try await withDeadline(.seconds(30), "all 20 messages consumed after the move") { await seen.wait { $0.count == 20 } }
        // The first commits may meet the member unknown to the new coordinator (it must rejoin
        // there). Asynchronous commits and bounded reads of the committed offsets keep every call
        // short; the offsets land once the consumer has rejoined.
        let next = await latest.value
        let committed = try await withDeadline(.seconds(60), "the offsets committed after the coordinator moved") {
            while true {
                try? await consumer.commit(next, mode: .async)
                if let stored = try? await consumer.committed(Array(next.keys), timeout: .seconds(5)), stored.mapValues({ $0 ?? -1 }) == next {
                    return stored
                }
                try await Task.sleep(for: .milliseconds(200))  // backoff between attempts
            }
        }
        #expect(committed.mapValues { $0 ?? -1 } == next)
        try await producer.shutdown()
        await consumer.close()
        _ = try await reader.value
        #expect(await seen.value == Set((0..<20).map(String.init)))
    }

    @Test("an unreachable broker: the send fails after the message timeout instead of hanging")
    func unreachableBroker() async throws {
        let producer = try KafkaProducer(configuration: .init(
            client: .init(bootstrapServers: ["127.0.0.1:1"]), messageTimeout: .seconds(2)
        ))
        let started = ContinuousClock.now
        // Not hanging is the deadline; on two busy cores (the whole suite runs in parallel) the
        // failure has come as late as 13.5 s after a 2 s message timeout.
        try await withDeadline(.seconds(30), "the send to fail") {
            await #expect {
                try await producer.send(KafkaProducerMessage(topic: "orders", key: "k", value: "v"))
            } throws: { error in
                guard let error = error as? KafkaError else { return false }
                return error.isTimeout && error.code == .timedOut
            }
        }
        #expect(ContinuousClock.now - started >= .seconds(1.5), "not before the message timeout")
        try await producer.shutdown(flushTimeout: .seconds(5))
    }
}
