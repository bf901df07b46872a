import Foundation
import Kafka
import KafkaTestSupport
import Testing

/// Records what each member of a group was given and commits what it processed before a revoke.
final class RecordingListener: KafkaRebalanceListener {
    let name: String
    let assignments: Observed<[String: Set<KafkaTopicPartition>]>
    let processed: Observed<[KafkaTopicPartition: Int64]>
    let revocations: Observed<Int>

    init(name: String, assignments: Observed<[String: Set<KafkaTopicPartition>]>) {
        self.name = name
        self.assignments = assignments
        self.processed = Observed([:])
        self.revocations = Observed(0)
    }

    func partitionsAssigned(_ partitions: [KafkaTopicPartition], consumer: KafkaConsumer) async -> [KafkaTopicPartition: KafkaOffset] {
        let name = name
        await assignments.update { $0[name, default: []].formUnion(partitions) }
        return [:]
    }

    func partitionsRevoked(_ partitions: [KafkaTopicPartition], lost: Bool, consumer: KafkaConsumer) async {
        let done = await processed.value.filter { partitions.contains($0.key) }
        try? await consumer.commit(done.mapValues { $0 + 1 })
        let name = name
        await assignments.update { $0[name, default: []].subtract(partitions) }
        await revocations.update { $0 += 1 }
    }
}

@Suite("consumer groups: rebalances, commits, pause and resume")
struct ConsumerGroupTests {
    @Test("two members split the partitions; a third joining rebalances, the app sees it, nothing is read twice")
    func rebalance() async throws {
        let topic = try await TestBroker.createTopic("rebalance", partitions: 6)
        let group = TestBroker.uniqueName("group")
        let producer = try TestBroker.producer()
        let total = 3000
        for index in 0..<total { try await producer.enqueue(KafkaProducerMessage(topic: topic, key: "k\(index)", value: "\(index)")) }
        try await producer.flush()

        let assignments = Observed<[String: Set<KafkaTopicPartition>]>([:])
        let seen = Observed<[String]>([])
        var members: [(KafkaConsumer, RecordingListener, Task<Void, any Error>)] = []
        func join(_ name: String) throws {
            let listener = RecordingListener(name: name, assignments: assignments)
            // Small batches so every member takes part while messages remain.
            let consumer = try TestBroker.consumer(topics: [topic], group: group, maxBatchSize: 50, listener: listener)
            let task = Task {
                for try await batch in consumer.batches {
                    await seen.update { $0 += batch.compactMap(\.valueString) }
                    let last = Dictionary(batch.map { ($0.topicPartition, $0.offset) }, uniquingKeysWith: max)
                    await listener.processed.update { $0.merge(last, uniquingKeysWith: max) }
                }
            }
            members.append((consumer, listener, task))
        }
        @Sendable func settled(_ names: [String], each: Int) -> @Sendable ([String: Set<KafkaTopicPartition>]) -> Bool {
            { state in
                let sets = names.map { state[$0] ?? [] }
                return sets.allSatisfy { $0.count == each } && Set(sets.flatMap { $0 }).count == 6
            }
        }

        try join("a")
        try join("b")
        try await withDeadline(.seconds(60), "a and b share 6 partitions") {
            await assignments.wait(until: settled(["a", "b"], each: 3))
        }
        try join("c")
        try await withDeadline(.seconds(60), "a, b and c share 6 partitions") {
            await assignments.wait(until: settled(["a", "b", "c"], each: 2))
        }
        #expect(await members[0].1.revocations.value >= 1, "the first member saw its partitions revoked")
        #expect(await members[1].1.revocations.value >= 1)

        try await producer.send(KafkaProducerMessage(topic: topic, key: "late", value: "\(total)"))
        try await producer.shutdown()
        try await withDeadline(.seconds(60), "all messages consumed") {
            await seen.wait { Set($0).count == total + 1 }
        }
        for (consumer, _, task) in members {
            await consumer.close()
            _ = try await task.value
        }
        let values = await seen.value
        #expect(values.count == Set(values).count, "no message was handed out twice")
    }

    @Test("commit, close, restart: the group resumes after the committed offset, nothing lost")
    func resumeAfterCommit() async throws {
        let topic = try await TestBroker.createTopic("resume", partitions: 3)
        let group = TestBroker.uniqueName("group")
        let producer = try TestBroker.producer()
        for index in 0..<100 { try await producer.enqueue(KafkaProducerMessage(topic: topic, key: "k\(index % 7)", value: "\(index)")) }
        try await producer.shutdown()

        let first = try TestBroker.consumer(topics: [topic], group: group, maxBatchSize: 10)
        let firstMessages = Array(try await TestBroker.collect(60, from: first).prefix(60))
        let next = Dictionary(firstMessages.map { ($0.topicPartition, $0.offset + 1) }, uniquingKeysWith: max)
        try await first.commit(next)
        let committed = try await first.committed(Array(next.keys))
        #expect(committed.mapValues { $0 ?? -1 } == next)
        await first.close()

        let second = try TestBroker.consumer(topics: [topic], group: group)
        let rest = try await TestBroker.collect(40, from: second)
        await second.close()
        let firstValues = Set(firstMessages.compactMap(\.valueString))
        let restValues = Set(rest.compactMap(\.valueString))
        #expect(rest.count == 40)
        #expect(firstValues.isDisjoint(with: restValues), "nothing committed is read again")
        #expect(firstValues.union(restValues) == Set((0..<100).map(String.init)), "nothing is lost")
    }

    @Test("assigned partitions start where the application says (offsets from its own store)")
    func startOffsetsFromListener() async throws {
        struct StartAt: KafkaRebalanceListener {
            let offset: Int64
            func partitionsAssigned(_ partitions: [KafkaTopicPartition], consumer: KafkaConsumer) async -> [KafkaTopicPartition: KafkaOffset] {
                Dictionary(uniqueKeysWithValues: partitions.map { ($0, KafkaOffset(offset)) })
            }
        }
        let topic = try await TestBroker.createTopic("startat", partitions: 1)
        let producer = try TestBroker.producer()
        for index in 0..<20 { try await producer.enqueue(KafkaProducerMessage(topic: topic, key: "k", value: "\(index)")) }
        try await producer.shutdown()
        let consumer = try TestBroker.consumer(topics: [topic], listener: StartAt(offset: 15))
        let messages = try await TestBroker.collect(5, from: consumer)
        await consumer.close()
        #expect(messages.map(\.offset) == [15, 16, 17, 18, 19])
    }

    @Test("a consumer without a group reads the partitions it assigns itself from the offsets it names, again and again; a subscribed one may not assign")
    func manualAssignment() async throws {
        let topic = try await TestBroker.createTopic("assign", partitions: 2)
        let producer = try TestBroker.producer()
        for index in 0..<20 {
            try await producer.enqueue(KafkaProducerMessage(topic: topic, partition: Int32(index % 2), key: "k", value: "\(index)"))
        }
        try await producer.shutdown()
        let reader = try TestBroker.consumer(topics: [])
        let zero = KafkaTopicPartition(topic: topic, partition: 0), one = KafkaTopicPartition(topic: topic, partition: 1)
        try reader.assign([zero: KafkaOffset(7), one: KafkaOffset(8)])
        let first = try await TestBroker.collect(5, from: reader)
        #expect(first.filter { $0.partition == 0 }.map(\.offset).sorted() == [7, 8, 9])
        #expect(first.filter { $0.partition == 1 }.map(\.offset).sorted() == [8, 9])
        // Assigned anew: only partition 1, from further back.
        try reader.assign([one: KafkaOffset(2)])
        let again = try await TestBroker.collect(8, from: reader)
        #expect(again.allSatisfy { $0.partition == 1 })
        #expect(again.map(\.offset) == Array(2..<10))
        try reader.assign([:])
        #expect(try reader.assignment().isEmpty)
        await reader.close()

        let member = try TestBroker.consumer(topics: [topic])
        #expect(throws: KafkaError.self) { try member.assign([zero: KafkaOffset(0)]) }
        await member.close()
    }

    @Test("a paused partition delivers nothing until resumed")
    func pauseAndResume() async throws {
        let topic = try await TestBroker.createTopic("pause", partitions: 2)
        let producer = try TestBroker.producer()
        for index in 0..<10 {
            try await producer.enqueue(KafkaProducerMessage(topic: topic, partition: Int32(index % 2), key: "k", value: "\(index)"))
        }
        try await producer.flush()
        let consumer = try TestBroker.consumer(topics: [topic], maxBatchSize: 1)
        let paused = KafkaTopicPartition(topic: topic, partition: 1)
        let received = try await withDeadline(.seconds(60), "partition 0 read while 1 is paused") {
            var received: [KafkaConsumerMessage] = []
            for try await message in consumer.messages {
                if received.isEmpty { try consumer.pause([paused]) }
                received.append(message)
                if received.filter({ $0.partition == 0 }).count == 5 { break }
            }
            return received
        }
        // Partition 1 had at most the first message before the pause; more arrive on it now.
        let before = received.filter { $0.partition == 1 }.count
        #expect(before <= 1)
        for index in 10..<14 {
            try await producer.enqueue(KafkaProducerMessage(topic: topic, partition: 0, key: "k", value: "\(index)"))
        }
        try await producer.flush()
        let more = try await TestBroker.collect(4, from: consumer)
        #expect(more.allSatisfy { $0.partition == 0 }, "a paused partition delivers nothing")
        try consumer.resume([paused])
        let resumed = try await TestBroker.collect(5 - before, from: consumer)
        #expect(resumed.allSatisfy { $0.partition == 1 })
        try await producer.shutdown()
        await consumer.close()
    }

    @Test("close ends the message sequence and leaves the group")
    func closeEndsIteration() async throws {
        let topic = try await TestBroker.createTopic("close", partitions: 1)
        let assignments = Observed<[String: Set<KafkaTopicPartition>]>([:])
        let consumer = try TestBroker.consumer(topics: [topic], listener: RecordingListener(name: "only", assignments: assignments))
        let reader = Task { () -> Int in
            var count = 0
            for try await _ in consumer.messages { count += 1 }
            return count
        }
        try await withDeadline(.seconds(30), "assignment") {
            await assignments.wait { $0["only"]?.count == 1 }
        }
        await consumer.close()
        let count = try await withDeadline(.seconds(10), "iteration ends after close") { try await reader.value }
        #expect(count == 0)
        #expect(consumer.isClosed)
        #expect(try consumer.assignment().isEmpty)
    }
}
