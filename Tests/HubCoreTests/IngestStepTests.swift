import Foundation
import HubContracts
@testable import HubCore
@_spi(SQL) import HubStore
import Kafka
import StoreTestSupport
import Synchronization
import Testing

/// One run of the event ingest in one transaction, on the real databases (no broker: the
/// messages are built as the consumer hands them over).
@Suite("a run of consumed events in one transaction")
struct IngestStepTests {
    static let topic = "hub.dealers"

    func message(_ offset: Int64, _ value: [UInt8]?) -> KafkaConsumerMessage {
        KafkaConsumerMessage(topic: Self.topic, partition: 0, offset: offset, key: nil, value: value)
    }

    func event(_ id: String, subject: String, _ data: EventData) throws -> [UInt8] {
        try CanonicalEvent(id: id, source: "test", occurredAt: Timestamp(Date()), subject: subject, data: data).encoded()
    }

    func dealer(_ id: String) -> DealerUpserted {
        DealerUpserted(dealerId: id, name: "经销商 \(id)", tier: .tier1, branchId: "BR-EAST", region: Region(province: "上海"),
                       productLines: [], permissionGroupIds: ["PG"], creditLimit: Money(amount: DecimalNumber("1000")!), status: .active)
    }

    func credit(_ id: String, dealer: String, limit: String) throws -> [UInt8] {
        try event(id, subject: dealer, .dealerCreditLimitSet(DealerCreditLimitSet(dealerId: dealer, creditLimit: Money(amount: DecimalNumber(limit)!))))
    }

    func run(_ messages: [KafkaConsumerMessage], in store: CoreStore, budget: Duration = .seconds(60), yielding: Bool = false,
             whileHolding: (@Sendable (CoreTransaction) -> Void)? = nil) async throws -> IngestStep {
        let received = IngestStep.read(messages)
        return try await store.transaction { tables throws(StoreError) in
            whileHolding?(tables)
            return try IngestStep.apply(received[...], group: "core-events", rules: CoreRules(), heldAtMilliseconds: 1, budget: budget,
                                        yielding: yielding, in: tables)
        }
    }

    func storedOffset(_ store: CoreStore) async throws -> Int64? {
        try await store.read { reader throws(StoreError) in try reader.coreProgress.storedOffsets(group: "core-events", topic: Self.topic)[0] }
    }

    @Test("a credit limit ahead of its dealer is held, then applied in the same run right after the dealer; a repeat is a duplicate; the run stops before an unreadable event without recording its offset",
          arguments: StoreKind.allCases)
    func runStopsBeforeTheDeadLetter(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let store = try CoreStore(database.location)
        let messages = [
            message(0, try credit("credit-1", dealer: "D1", limit: "300000.00")),  // ahead of its dealer
            message(1, try event("dealer-1", subject: "D1", .dealerUpserted(dealer("D1")))),
            message(2, try event("dealer-1", subject: "D1", .dealerUpserted(dealer("D1")))),  // a repeat
            message(3, Array("{not json".utf8)),
            message(4, try event("dealer-2", subject: "D2", .dealerUpserted(dealer("D2")))),
        ]
        let step = try await run(messages, in: store)
        #expect(step.consumed == 3 && step.applied == 1 && step.duplicates == 1)
        #expect(step.held.map(\.eventId) == ["credit-1"] && step.released == 1, "held, then released by its dealer in the same run")
        #expect(step.stop?.stage == .decode, "\(String(describing: step.stop))")
        #expect(try await storedOffset(store) == 3, "the unreadable event's offset waits for its dead letter")
        #expect(try await store.read { reader throws(StoreError) in try reader.coreProgress.heldEvents() }.isEmpty)
        let limit = try await store.read { reader throws(StoreError) in try reader.orderDecisions.context(dealerId: "D1", materialIds: [], pricedAt: Timestamp(Date())) }.dealer?.creditLimit
        #expect(limit == "300000.00", "the credit limit applied after the dealer, not overwritten by it")

        let rest = try await run(Array(messages.dropFirst(4)), in: store)
        #expect(rest.consumed == 1 && rest.applied == 1 && rest.stop == nil)
        #expect(try await storedOffset(store) == 5)
    }

    @Test("an event the core does not apply stops the run with nothing of it recorded", arguments: StoreKind.allCases)
    func notHandledLeavesNoOffset(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let store = try CoreStore(database.location)
        let stray = try CanonicalEvent(id: "stray-1", source: "test", occurredAt: Timestamp(Date()), subject: "D1",
                                       data: .unknown(type: "sellthrough.reported", json: .object(["dealerId": .string("D1")]))).encoded()
        let step = try await run([message(0, try event("dealer-1", subject: "D1", .dealerUpserted(dealer("D1")))), message(1, stray)], in: store)
        #expect(step.consumed == 1 && step.applied == 1)
        #expect(step.stop?.stage == .validate && step.stop?.reason.contains("not an event the core applies") == true, "\(String(describing: step.stop))")
        #expect(try await storedOffset(store) == 1)
        #expect(try await !store.read { reader throws(StoreError) in try reader.coreProgress.wasApplied("stray-1") })
    }

    @Test("a run ends when its time budget is spent, after at least one event", arguments: [StoreKind.sqlite])
    func budget(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let store = try CoreStore(database.location)
        let messages = try (0..<5).map { message(Int64($0), try event("dealer-\($0)", subject: "D\($0)", .dealerUpserted(dealer("D\($0)")))) }
        let step = try await run(messages, in: store, budget: .zero)
        #expect(step.consumed == 1 && step.applied == 1 && step.stop == nil)
        #expect(try await storedOffset(store) == 1)
    }

    @Test("a yielding run ends after one event when another writer waits for the connection; one that does not yield goes on",
          arguments: [false, true])
    func yieldsToAWaitingWriter(yielding: Bool) async throws {
        let database = try TestDatabase(.sqlite)
        let store = try CoreStore(database.location)
        let messages = try (0..<5).map { message(Int64($0), try event("dealer-\($0)", subject: "D\($0)", .dealerUpserted(dealer("D\($0)")))) }
        // The other caller is a task on an executor of its own (the cooperative pool may be held by
        // long tests running beside this one); the transaction runs on the store's own queue, which
        // this test holds while it waits.
        let other = Mutex<Task<Int64?, any Error>?>(nil)
        let waited = Mutex(false)
        let executor = QueueTaskExecutor(label: "ingest-step-test.other-writer")
        let step = try await run(messages, in: store, yielding: yielding) { tables in
            other.withLock { $0 = Task(executorPreference: executor) { try await storedOffset(store) } }
            // It waits for the connection this transaction holds before any event applies. The guard
            // only ends a failing run: the task starts at once on its own executor.
            let deadline = ContinuousClock.now + .seconds(60)
            while !tables.othersWaiting && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.001) }
            waited.withLock { $0 = tables.othersWaiting }
        }
        #expect(waited.withLock { $0 }, "the other caller waited for the connection")
        #expect(step.consumed == (yielding ? 1 : 5) && step.stop == nil)
        let seen = try await other.withLock { $0 }?.value
        #expect(seen == (yielding ? 1 : 5), "the waiting caller got the connection once the run committed")
    }
}
