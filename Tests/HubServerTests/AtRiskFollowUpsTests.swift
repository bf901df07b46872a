import Foundation
import HubContracts
import HubCore
@testable import HubServer
@_spi(SQL) import HubStore
import Logging
@_spi(SQL) import StoreTestSupport
import Testing

/// "No dealer left behind": a dealer gone quiet gets one follow-up for its rep — kept and published
/// on `hub.activities` together, once a month however often the round runs, left alone once the rep
/// has done it; a dealer without a rep's account is counted, not followed up; a healthy one nothing.
@Suite("dealers at risk followed up once")
struct AtRiskFollowUpsTests {
    let at = Timestamp(parsing: "2026-12-02T02:00:00Z")!

    @Test("one follow-up per dealer at risk and month, to its rep, valid on hub.activities; none twice; none without a rep; none for a healthy dealer",
          arguments: StoreKind.allCases)
    func followsUpOnce(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let store = try CoreStore(database.location)
        let rules = CoreRules(now: { Date(timeIntervalSince1970: 1_796_176_800) })
        for (index, (dealer, rep)) in [("D1", "R1"), ("D2", "R9"), ("D3", "R1")].enumerated() {
            let event = CanonicalEvent(id: "d\(index)", source: "test", occurredAt: at, subject: dealer, data: .dealerUpserted(DealerUpserted(
                dealerId: dealer, name: "经销商 \(dealer)", tier: .tier1, branchId: "BR-EAST", region: Region(province: "上海"), salesRepId: rep, productLines: [],
                permissionGroupIds: [], creditLimit: Money(amount: DecimalNumber("1000")!), status: .active)))
            let source = EventSource(group: "test", topic: "hub.test", partition: 0, offset: Int64(index))
            #expect(try await store.apply(eventId: event.id, source: source) { tables throws(StoreError) in try rules.apply(event, source: source, in: tables) } == .applied)
        }
        let connection = try database.location.open()
        try connection.executeScript("""
            INSERT INTO users (user_id, login, display_name, role, sales_rep_id, status, password_hash, version, created_at, updated_at)
            VALUES ('U-R1', 'rep1', '王销售', 'sales-rep', 'R1', 'active', 'x', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
            INSERT INTO analytics_figures (scope, scope_id, product_line, month, orders_submitted) VALUES
                ('dealer', 'D1', 'automotive-packaged', '2026-07', 1), ('dealer', 'D1', 'automotive-packaged', '2026-08', 2),
                ('dealer', 'D1', 'industrial-packaged', '2026-08', 1), ('dealer', 'D1', '*', '2026-08', -1), ('dealer', 'D1', 'automotive-packaged', '2026-09', 1),
                ('dealer', 'D2', '*', '2026-08', 3), ('dealer', 'D3', '*', '2026-09', 2), ('dealer', 'D3', '*', '2026-11', 2);
            """)
        let job = AtRiskFollowUps(store: store, interval: .seconds(3_600), logger: Logger(label: "test"))
        let now = Date(timeIntervalSince1970: 1_796_176_800)  // 2026-12-02 10:00 in China: the follow-up is for 09:00 the next morning
        let first = try await job.raiseOnce(now: now)
        #expect(first.atRisk == 2 && first.raised == 1 && first.withoutRep == 1, "D1 and D2 gone quiet, D2 without a rep's account: \(first)")
        let kept = try database.rows("SELECT activity_id, owner_id, kind, status, planned_for, notes FROM activities").map { row in (0..<6).map { row.string($0) ?? "" } }
        #expect(kept.count == 1)
        #expect(kept.first.map { Array($0.prefix(5)) } == ["AC-RISK-D1-2026-12", "U-R1", "follow-up", "planned", "2026-12-03T01:00:00Z"], "\(kept)")
        #expect(kept.first?[5].contains("自 2026-09 起已连续 3 个月未下单（此前 3 个月共 4 单）") == true, "\(kept)")
        let published = try database.rows("SELECT message_key, value FROM outbox WHERE topic = 'hub.activities'")
        #expect(published.map { $0.string(0) } == ["AC-RISK-D1-2026-12"])
        let catalogue = try TopicCatalogue.load(directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("topics"))
        #expect(catalogue.validate(topic: "hub.activities", value: published.first?.blob(1) ?? []) == .valid)

        #expect(try await job.raiseOnce(now: now).raised == 0, "the same month again: nothing new")
        // The rep did it (version 2); a later round the same month leaves it as it is.
        try connection.executeScript("UPDATE activities SET version = 2, status = 'done' WHERE activity_id = 'AC-RISK-D1-2026-12'")
        #expect(try await job.raiseOnce(now: now.addingTimeInterval(86_400)).raised == 0)
        #expect(try database.rows("SELECT status FROM activities").map { $0.string(0) } == ["done"])
        #expect(try database.rows("SELECT COUNT(*) FROM outbox WHERE topic = 'hub.activities'").first?.int(0) == 1)
    }
}
