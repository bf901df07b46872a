import Foundation
@testable import Kafka
import KafkaTestSupport
import Logging
import ServiceLifecycle
import Testing

@Suite("lifecycle: handles, idle CPU, graceful shutdown")
struct LifecycleTests {
    @Test("no librdkafka handle outlives its owner across repeated create and close")
    func handlesAreReleased() async throws {
        let topic = try await TestBroker.createTopic("lifecycle", partitions: 1)
        var clients: [WeakClient] = []
        for round in 0..<10 {
            var producer: KafkaProducer? = try TestBroker.producer()
            try await producer?.send(KafkaProducerMessage(topic: topic, key: "k", value: "\(round)"))
            try await producer?.shutdown()
            clients.append(WeakClient(producer?.handle))
            producer = nil

            var consumer: KafkaConsumer? = try TestBroker.consumer(topics: [topic])
            await consumer?.close()
            clients.append(WeakClient(consumer?.handle))
            consumer = nil

            var admin: KafkaAdmin? = try KafkaAdmin(configuration: TestBroker.client)
            _ = try await admin?.listTopics()
            admin = nil
        }
        #expect(clients.allSatisfy { $0.client == nil }, "every rd_kafka_t was destroyed with its owner")
    }

    @Test("an idle consumer's and an idle producer's poll threads use no CPU")
    func idleUsesNoCPU() async throws {
        let topic = try await TestBroker.createTopic("idle", partitions: 1)
        let assignments = Observed<[String: Set<KafkaTopicPartition>]>([:])
        let consumer = try TestBroker.consumer(topics: [topic], listener: RecordingListener(name: "idle", assignments: assignments))
        let reader = Task { for try await _ in consumer.messages {} }
        try await withDeadline(.seconds(30), "assignment") { await assignments.wait { $0["idle"]?.count == 1 } }
        let producer = try TestBroker.producer()
        try await producer.send(KafkaProducerMessage(topic: topic, key: "k", value: "v"))

        let threads = [consumer.pollThreadID, producer.pollThreadID]
        #expect(threads.allSatisfy { $0 > 0 })
        let before = try threads.map { try #require(cpuTicks($0)) }
        try await Task.sleep(for: .seconds(3))  // the measurement window, not a synchronisation
        let after = try threads.map { try #require(cpuTicks($0)) }
        for (start, end) in zip(before, after) {
            // 3 s idle; a clock tick is 10 ms: at most 2 ticks (< 1 % of one core).
            #expect(end - start <= 2, "an idle poll thread used \(end - start) ticks in 3 s")
        }
        await consumer.close()
        _ = try await reader.value
        try await producer.shutdown()
    }

    @Test("graceful shutdown through swift-service-lifecycle flushes the producer and closes the consumer")
    func serviceGroupShutdown() async throws {
        let topic = try await TestBroker.createTopic("service", partitions: 1)
        let producer = try TestBroker.producer()
        let consumer = try TestBroker.consumer(topics: [topic])
        for index in 0..<100 { try await producer.enqueue(KafkaProducerMessage(topic: topic, key: "k", value: "\(index)")) }
        let group = ServiceGroup(services: [producer, consumer], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(producer.counters.delivered == 100, "shutdown flushed every enqueued message")
        #expect(consumer.isClosed)
    }
}

struct WeakClient {
    weak var client: RdKafkaClient?
    init(_ client: RdKafkaClient?) { self.client = client }
}

/// utime + stime of one thread of this process, in clock ticks.
func cpuTicks(_ threadID: Int32) -> Int? {
    guard let stat = try? String(contentsOfFile: "/proc/self/task/\(threadID)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    // After "pid (comm)": state is field 0, utime field 11, stime field 12.
    guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
    return user + system
}
