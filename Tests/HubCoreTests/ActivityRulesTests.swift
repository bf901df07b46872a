import Foundation
import HubContracts
import HubCore
@_spi(SQL) import HubStore
import StoreTestSupport
import Testing

/// Activities kept by the core on SQLite and PostgreSQL: the newest version wins, an older one
/// changes nothing, an unknown dealer holds it back; the read model's scope and workload.
@Suite("activities: versions kept by the core, scope and workload on both databases")
struct ActivityRulesTests {
    typealias F = CompanyFixture

    static func at(_ text: String) -> Timestamp { Timestamp(parsing: text)! }

    func activity(_ id: String, version: Int, dealer: String = "D1", owner: String = "U-R1", kind: ActivityKind = .visit, status: ActivityStatus,
                  plannedFor: String? = nil, doneAt: String? = nil, nextDue: String? = nil) -> CanonicalEvent {
        F.event("ac-\(id)-\(version)", id, .activityRecorded(ActivityRecorded(
            activityId: id, version: version, dealerId: dealer, ownerId: owner, kind: kind, status: status, plannedFor: plannedFor.map(Self.at),
            doneAt: doneAt.map(Self.at), nextStep: nextDue.flatMap(CalendarDate.init).map { .init(action: "回访", due: $0) }, recordedBy: owner)))
    }

    @Test("versions, a held-back activity, who reads which, and the workload's counts", arguments: StoreKind.allCases)
    func versionsScopeAndWorkload(kind: StoreKind) async throws {
        let harness = try RuleHarness(try TestDatabase(kind))
        for event in F.masterData { #expect(try await harness.apply(event, topic: "hub.master") == .applied) }
        #expect(try await harness.apply(activity("A1", version: 1, status: .planned, plannedFor: "2026-11-21T02:00:00Z")) == .applied)
        #expect(try await harness.apply(activity("A1", version: 2, status: .done, plannedFor: "2026-11-21T02:00:00Z", doneAt: "2026-11-21T03:00:00Z",
                                                 nextDue: "2026-11-25")) == .applied)
        // The first version again (a redelivery, another event id): nothing changes.
        #expect(try await harness.apply(F.event("ac-A1-1-again", "A1", activity("A1", version: 1, status: .planned, plannedFor: "2026-11-21T02:00:00Z").data)) == .applied)
        #expect(try harness.rows("SELECT version, status FROM activities WHERE activity_id = 'A1'").first.map { "\($0.int(0)) \($0.string(1) ?? "")" } == "2 done")
        // A call done before the visit, its next step followed by the visit; a cancelled plan; an unknown dealer held back.
        #expect(try await harness.apply(activity("A2", version: 1, kind: .call, status: .done, doneAt: "2026-11-20T03:00:00Z", nextDue: "2026-11-21")) == .applied)
        #expect(try await harness.apply(activity("A3", version: 1, status: .cancelled, plannedFor: "2026-11-22T02:00:00Z")) == .applied)
        #expect(try await harness.apply(activity("A4", version: 1, dealer: "D9", status: .planned, plannedFor: "2026-11-22T02:00:00Z")) == .unknownReference("dealer D9"))
        #expect(try harness.rows("SELECT action FROM audit_log WHERE subject_kind = 'activity' ORDER BY seq").map { $0.string(0) ?? "" } ==
                ["activity.created", "activity.changed", "activity.created", "activity.created"])

        // The rep R1 (an account) has D1 and D2; only D1 was contacted.
        _ = try harness.rows("UPDATE dealers SET sales_rep_id = 'R1' WHERE dealer_id IN ('D1', 'D2')")
        _ = try harness.rows("""
            INSERT INTO users (user_id, login, display_name, role, sales_rep_id, status, password_hash, version, created_at, updated_at)
            VALUES ('U-R1', 'rep1', '王销售', 'sales-rep', 'R1', 'active', 'x', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')
            """)
        let (own, east, north, workload, team) = try await harness.store.read { reader throws(StoreError) in
            let activities = reader.activities
            return (try activities.activities(in: .own("U-R1"), .init()), try activities.activities(in: .dealers(.branch("BR-EAST")), .init()),
                    try activities.activities(in: .dealers(.branch("BR-NORTH")), .init()),
                    try activities.workload(in: .own("U-R1"), from: Self.at("2026-11-20T00:00:00Z"), to: Self.at("2026-11-27T00:00:00Z"),
                                            today: CalendarDate("2026-11-28")!, quietSince: Self.at("2026-10-29T16:00:00Z")),
                    try activities.workload(in: .dealers(.branch("BR-EAST")), from: Self.at("2026-11-20T00:00:00Z"), to: Self.at("2026-11-27T00:00:00Z"),
                                            today: CalendarDate("2026-11-28")!, quietSince: Self.at("2026-10-29T16:00:00Z")))
        }
        #expect(own.map(\.activityId) == ["A3", "A1", "A2"], "newest first, by when done, else when planned")
        #expect(east.count == 3 && north.isEmpty)
        let rep = try #require(workload.first)
        #expect(workload.count == 1 && rep.name == "王销售")
        let counts: [Int] = [rep.planned, rep.plannedDone, rep.done, rep.dealersContacted, rep.overdueNextSteps, rep.assignedDealers, rep.dealersNotContacted]
        #expect(counts == [1, 1, 2, 1, 1, 2, 1],
                "A1 planned and done (A3 cancelled); A1 and A2 done with D1; A1's next step (25th) overdue, A2's followed by A1; D2 not contacted: \(rep)")
        #expect(team == workload, "the branch's manager sees the same row")
        let quiet = try await harness.store.read { reader throws(StoreError) in try reader.activities.quietDealers(ofOwner: "U-R1", quietSince: Self.at("2026-10-29T16:00:00Z")) }
        #expect(quiet.map(\.dealerId) == ["D2"])
    }
}
