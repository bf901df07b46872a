import Foundation
import HubContracts
@testable import HubCore
import HubStore
import Kafka
import KafkaTestSupport
import StoreTestSupport
import Logging
import Synchronization
import Testing

/// The event ingest reading again the offsets its consumer was not handed. The real broker here
/// skips nothing on purpose, so the skip is made by leaving messages out of the batch the ingest
/// is handed; the messages are the broker's, read again by the ingest's own reader.
extension MasterDataIngestTests {
    func consumerConfiguration(_ topic: String) -> KafkaConsumerConfiguration {
        .init(client: TestBroker.client, groupID: TestBroker.uniqueName("core"), topics: [topic], sessionTimeout: .seconds(6),
              autoOffsetReset: .earliest, fetchWaitMax: .milliseconds(10))
    }

    @Test("messages the consumer was skipped past are recorded as gaps with the offsets after them, read again from the broker and applied once",
          arguments: StoreKind.allCases)
    func skippedMessagesReadAgain(kind: StoreKind) async throws {
        let topic = try await TestBroker.createTopic("skipped", partitions: 1)
        let database = try TestDatabase(kind)
        let store = try CoreStore(database.location)
        let producer = try TestBroker.producer()
        for index in 1...6 {
            try await producer.send(KafkaProducerMessage(topic: topic, key: Array("D\(index)".utf8),
                                                         value: try event("dealer-\(index)", subject: "D\(index)", .dealerUpserted(dealer("D\(index)", limit: "100")))))
        }
        let reader = try TestBroker.consumer(topics: [topic])
        let all = try await TestBroker.collect(6, from: reader)
        await reader.close()
        #expect(all.map(\.offset) == [0, 1, 2, 3, 4, 5])

        let configuration = consumerConfiguration(topic)
        let ingest = EventIngest(configuration: .init(consumer: configuration, deadLetterTopic: "unused", gapRecheck: .seconds(1)),
                                 store: store, deadLetters: producer)
        let group = configuration.groupID
        var tracker = OffsetGapTracker()
        tracker.started([KafkaTopicPartition(topic: topic, partition: 0)], at: [KafkaTopicPartition(topic: topic, partition: 0): KafkaOffset(0)])
        let handed = all.filter { ![1, 2, 4].contains($0.offset) }
        let gaps = tracker.gaps(before: handed, seenAtMilliseconds: EventIngest.now())
        try await ingest.handle(handed, group: group, gaps: gaps)
        #expect(try await store.applied((1...6).map { "dealer-\($0)" }) == ["dealer-1", "dealer-4", "dealer-6"])
        #expect(try await store.offsetGaps(group: group, topics: [topic], seenBy: .max).map { [$0.from, $0.to] } == [[1, 3], [4, 5]])
        #expect(try await store.storedOffsets(group: group, topic: topic) == [0: 6], "the consumer moved on past the gaps")

        let gapReader = try OffsetGapReader(like: configuration)
        try await ingest.readGapsAgain(with: gapReader, olderThan: .zero, group: group)
        #expect(try await store.applied((1...6).map { "dealer-\($0)" }).count == 6)
        #expect(ingest.currentCounters.recovered == 3)
        #expect(ingest.currentCounters.gapsRead == 2)
        #expect(ingest.currentCounters.applied == 6)
        #expect(try await store.offsetGaps(group: group, topics: [topic], seenBy: .max).isEmpty, "gaps read whole are dropped")
        #expect(try await store.storedOffsets(group: group, topic: topic) == [0: 6], "offsets never move back")
        // Nothing left: another pass reads nothing and applies nothing.
        try await ingest.readGapsAgain(with: gapReader, olderThan: .zero, group: group)
        #expect(ingest.currentCounters.recovered == 3)
        await gapReader.close()
        try await producer.shutdown()
    }

    @Test("commit markers and aborted transactions leave gaps that are read again and hold nothing; the core applies what an independent read_committed reader is given",
          arguments: StoreKind.allCases)
    func transactionsLeaveEmptyGaps(kind: StoreKind) async throws {
        let topic = try await TestBroker.createTopic("markers", partitions: 1)
        let database = try TestDatabase(kind)
        let store = try CoreStore(database.location)
        let producer = try TestBroker.producer(transactionalID: TestBroker.uniqueName("txn"))
        try await producer.initTransactions()
        func send(_ id: String) async throws {
            try await producer.enqueue(KafkaProducerMessage(topic: topic, key: Array(id.utf8),
                                                            value: try event("dealer-\(id)", subject: id, .dealerUpserted(dealer(id, limit: "100")))))
        }
        for (ids, commits) in [(["X0"], false), (["D1", "D2"], true), (["X1"], false), (["D3"], true), (["D4"], true)] {
            try producer.beginTransaction()
            for id in ids { try await send(id) }
            if commits { try await producer.commitTransaction() } else { try await producer.abortTransaction() }
        }
        // Where markers and aborted messages sit differs between brokers, and tansu 0.6.0 hands read_committed
        // readers an aborted transaction's messages when they reached it before the abort (README, the local
        // broker). So the expectations are what an independent read_committed reader is given: those messages
        // applied, and the gaps between their offsets read again, holding nothing.
        let look = try TestBroker.consumer(topics: [topic], isolation: .readCommitted)
        let given = try await withDeadline(.seconds(60), "the partition read up to D4") {
            var given: [(offset: Int64, id: String)] = []
            for try await batch in look.batches {
                given += try batch.map { ($0.offset, try CanonicalEvent.decode($0.value ?? []).id) }
                if given.contains(where: { $0.id == "dealer-D4" }) { break }
            }
            return given
        }
        await look.close()
        let offsets = given.map(\.offset)
        let expectedGaps = zip([-1] + offsets, offsets).filter { $1 > $0 + 1 }.count
        #expect(expectedGaps >= 2, "a commit marker after D1 D2 and after D3 at least: \(offsets)")
        let dlq = try TestBroker.producer()
        let configuration = consumerConfiguration(topic)
        let ingest = EventIngest(configuration: .init(consumer: configuration, deadLetterTopic: "unused", gapRecheck: .milliseconds(200)),
                                 store: store, deadLetters: dlq)
        let counters = try await withDeadline(.seconds(60), "\(given.count) dealers applied and \(expectedGaps) gaps read again") {
            try await ingest.run { $0.applied >= given.count && $0.gapsRead >= expectedGaps }
        }
        #expect(counters.applied == given.count)
        #expect(counters.gapsRead == expectedGaps)
        #expect(counters.recovered == 0)
        #expect(counters.deadLettered == 0)
        for id in ["X0", "D1", "D2", "X1", "D3", "D4"].map({ "dealer-\($0)" }) {
            #expect(try await store.wasApplied(id) == given.contains { $0.id == id }, "\(id)")
        }
        #expect(try await store.offsetGaps(group: configuration.groupID, topics: [topic], seenBy: .max).isEmpty)
        try await producer.shutdown()
        try await dlq.shutdown()
    }

    @Test("a partition with no stored offset is followed from the first offset still in it, one with a stored offset from there")
    func startsMadeConcrete() async throws {
        let topic = try await TestBroker.createTopic("starts", partitions: 2)
        let producer = try TestBroker.producer()
        // One at a time: tansu gave an end offset of 1 for a partition holding three messages written as one batch.
        for index in 0..<6 { try await producer.send(KafkaProducerMessage(topic: topic, partition: Int32(index % 2), key: "k", value: "\(index)")) }
        try await producer.shutdown()
        let starts = Mutex<[KafkaTopicPartition: KafkaOffset]>([:])
        var listener = StoredOffsetsListener(stored: { _, _ in [1: 2] }, group: "g", pipeline: nil, logger: Logger(label: "test"))
        listener.started = { _, given in starts.withLock { $0 = given } }
        let consumer = try TestBroker.consumer(topics: [])
        let (zero, one) = (KafkaTopicPartition(topic: topic, partition: 0), KafkaTopicPartition(topic: topic, partition: 1))
        let returned = await listener.partitionsAssigned([zero, one], consumer: consumer)
        await consumer.close()
        #expect(returned[zero] == nil, "the consumer itself still starts where the group says")
        #expect(returned[one] == KafkaOffset(2))
        #expect(starts.withLock { $0 } == [zero: KafkaOffset(0), one: KafkaOffset(2)])
    }
}
