import Foundation
import HubContracts
import HubMessaging
import HubCore
import HubStore
import Kafka
import KafkaTestSupport
import StoreTestSupport
import Testing

@Suite("event ingest against the real broker, on SQLite and PostgreSQL")
struct MasterDataIngestTests {
    func event(_ id: String, subject: String, _ data: EventData) throws -> [UInt8] {
        try CanonicalEvent(id: id, source: "test", occurredAt: Timestamp(Date()), subject: subject, data: data).encoded()
    }

    func dealer(_ id: String, limit: String) -> DealerUpserted {
        DealerUpserted(dealerId: id, name: "经销商 \(id)", tier: .tier1, branchId: "BR-EAST", region: Region(province: "上海"),
                       productLines: [], permissionGroupIds: ["PG"], creditLimit: Money(amount: DecimalNumber(limit)!), status: .active)
    }

    @Test("an event ahead of its dealer is held then applied; one whose dealer never comes is dead-lettered after the hold; bad and repeated events",
          arguments: StoreKind.allCases)
    func holdRetryDeadLetter(kind: StoreKind) async throws {
        let topic = try await TestBroker.createTopic("dealers", partitions: 2)
        let dlq = try await TestBroker.createTopic("master-dlq", partitions: 1)
        let database = try TestDatabase(kind)
        let store = try CoreStore(database.location)
        let producer = try TestBroker.producer()

        let credit = try event("credit-1", subject: "D1", .dealerCreditLimitSet(DealerCreditLimitSet(dealerId: "D1", creditLimit: Money(amount: DecimalNumber("300000.00")!))))
        let messages: [(String, [UInt8])] = [
            ("D1", credit),                                                                       // ahead of its dealer
            ("D404", try event("credit-404", subject: "D404", .dealerCreditLimitSet(DealerCreditLimitSet(dealerId: "D404", creditLimit: Money(amount: DecimalNumber("1")!))))),
            ("D2", try event("dealer-2", subject: "D2", .dealerUpserted(dealer("D2", limit: "5000")))),
            ("D2", try event("dealer-2", subject: "D2", .dealerUpserted(dealer("D2", limit: "5000")))),  // a repeat
            ("X", Array("{not json".utf8)),
            ("D1", try event("dealer-1", subject: "D1", .dealerUpserted(dealer("D1", limit: "100000")))),
        ]
        for (key, value) in messages { try await producer.send(KafkaProducerMessage(topic: topic, key: Array(key.utf8), value: value)) }

        let ingest = EventIngest(
            configuration: .init(
                consumer: .init(client: TestBroker.client, groupID: TestBroker.uniqueName("core"), topics: [topic], sessionTimeout: .seconds(6),
                                autoOffsetReset: .earliest, fetchWaitMax: .milliseconds(10)),
                // 8 s: time enough for D1 to arrive after its credit limit on a loaded machine; D404 never comes.
                deadLetterTopic: dlq, holdTimeout: .seconds(8), retryInterval: .milliseconds(100)),
            store: store, deadLetters: producer
        )
        let counters = try await withDeadline(.seconds(60), "master data applied, held, released and dead-lettered") {
            try await ingest.run { $0.received >= messages.count && $0.releasedFromHold >= 1 && $0.deadLettered >= 2 }
        }
        try await producer.shutdown()
        #expect(counters.applied == 2)
        #expect(counters.duplicates == 1)
        #expect(counters.held == 2)
        #expect(counters.releasedFromHold == 1)
        #expect(counters.deadLettered == 2)
        #expect(try await store.read { reader throws(StoreError) in try reader.coreProgress.heldEvents() }.isEmpty, "nothing left waiting")
        let d1 = try await store.read { reader throws(StoreError) in try reader.orderDecisions.context(dealerId: "D1", materialIds: [], pricedAt: Timestamp(Date())) }.dealer
        #expect(d1?.creditLimit == "300000.00", "the held credit limit was applied once its dealer arrived")

        let reader = try TestBroker.consumer(topics: [dlq])
        let letters = try await TestBroker.collect(2, from: reader)
        await reader.close()
        let reasons = letters.compactMap { DeadLetter.record(of: $0.headers) }.map(\.reason).sorted()
        #expect(reasons.contains { $0.contains("invalid JSON") }, "\(reasons)")
        #expect(reasons.contains { $0.contains("unknown dealer D404 after waiting") }, "\(reasons)")
    }
}
