import Foundation
import HubContracts
import HubCore
@_spi(SQL) import HubStore
@_spi(SQL) import StoreTestSupport

/// Applies events to a store through the core's rules the way ``EventIngest`` does (one
/// transaction per event, with its offset), without a broker: for testing the rules on both databases.
final class RuleHarness {
    let store: CoreStore
    let rules: CoreRules
    /// Kept for as long as the harness lives: dropping it drops the database.
    let database: TestDatabase
    private var offsets: [String: Int64] = [:]

    init(_ database: TestDatabase, now: Date = Date(timeIntervalSince1970: 1_795_910_400)) throws {
        self.database = database
        store = try CoreStore(database.location)
        rules = CoreRules(now: { now })
    }

    @discardableResult
    func apply(_ event: CanonicalEvent, topic: String = "hub.test") async throws -> ApplyOutcome {
        let offset = offsets[topic, default: 0]
        offsets[topic] = offset + 1
        let source = EventSource(group: "core", topic: topic, partition: 0, offset: offset)
        let rules = rules
        return try await store.apply(eventId: event.id, source: source) { tables throws(StoreError) in try rules.apply(event, source: source, in: tables) }
    }

    func orderContext(dealerId: String, materialIds: Set<String>) async throws -> OrderContextRecords {
        try await store.read { reader throws(StoreError) in try reader.orderDecisions.context(dealerId: dealerId, materialIds: materialIds, pricedAt: Timestamp(Date())) }
    }

    func rows(_ sql: String, _ binds: SQLValue...) throws -> [SQLRow] {
        try database.location.open().query(sql, binds)
    }
}
