public import HubDomain
public import HubContracts
import Foundation

/// An activity as the API and the console show it (to staff only).
public struct ActivityRecord: Codable, Sendable, Equatable {
    public var activityId: String
    public var version: Int
    public var dealerId: String
    public var dealerName: String?
    public var ownerId: String
    public var kind: String
    public var status: String
    public var plannedFor: String?
    public var doneAt: String?
    public var place: ActivityRecorded.Place?
    public var notes: String?
    public var outcome: String?
    public var nextStep: ActivityRecorded.NextStep?
    public var recordedBy: String
    public var updatedAt: String

    /// The activity as its next version would start from.
    public var recorded: ActivityRecorded {
        ActivityRecorded(activityId: activityId, version: version, dealerId: dealerId, ownerId: ownerId, kind: ActivityKind(rawValue: kind),
                         status: ActivityStatus(rawValue: status), plannedFor: plannedFor.flatMap(Timestamp.init(parsing:)),
                         doneAt: doneAt.flatMap(Timestamp.init(parsing:)), place: place, notes: notes, outcome: outcome, nextStep: nextStep, recordedBy: recordedBy)
    }
}

/// One person's workload over a period (activities against plan, coverage, overdue next steps).
public struct ActivityWorkload: Codable, Sendable, Equatable {
    public var ownerId: String
    public var name: String?
    /// Planned for the period (not cancelled).
    public var planned: Int
    /// Of those, done.
    public var plannedDone: Int
    /// Done in the period, planned or not.
    public var done: Int
    /// Different dealers with something done in the period.
    public var dealersContacted: Int
    /// Next steps whose due date has passed with nothing done with that dealer by the same person since.
    public var overdueNextSteps: Int
    /// A sales rep's own dealers (the ones the ERP assigns it), and those nobody has done anything with for the quiet days.
    public var assignedDealers: Int
    public var dealersNotContacted: Int
    /// The person's branch, when its account names one.
    public var branchId: String?

    /// The rows added up: a team's, a branch's (`ownerId` names the group; no name, no branch).
    public static func total(_ rows: [ActivityWorkload], as group: String) -> ActivityWorkload {
        rows.reduce(ActivityWorkload(ownerId: group, name: nil, planned: 0, plannedDone: 0, done: 0, dealersContacted: 0, overdueNextSteps: 0,
                                     assignedDealers: 0, dealersNotContacted: 0)) { sum, row in
            var sum = sum
            sum.planned += row.planned
            sum.plannedDone += row.plannedDone
            sum.done += row.done
            sum.dealersContacted += row.dealersContacted
            sum.overdueNextSteps += row.overdueNextSteps
            sum.assignedDealers += row.assignedDealers
            sum.dealersNotContacted += row.dealersNotContacted
            return sum
        }
    }
}

/// Sales reps' and managers' activities (R: sales management) as staff read them: a sales rep its
/// own; a manager (and an administrator) every activity with the dealers in its scope, whoever
/// wrote it. Dealers never (the notes are the company's).
public struct ActivityReadModel {
    /// Whose activities a reader sees.
    public enum Scope: Sendable, Equatable {
        /// One person's own.
        case own(String)
        /// Everyone's with these dealers.
        case dealers(DealerVisibility)
    }

    public struct Filter: Sendable, Equatable {
        public var ownerId: String?
        public var dealerId: String?
        public var status: ActivityStatus?
        /// Planned for or done at, from (inclusive) to (exclusive).
        public var from: Timestamp?
        public var to: Timestamp?
        public var limit = 100
        public init() {}
    }

    let db: any SQLDatabase

    static let columns = """
        a.activity_id, a.version, a.dealer_id, d.name, a.owner_id, a.kind, a.status, a.planned_for, a.done_at, a.lat, a.lon, a.place_name, a.notes, a.outcome,
        a.next_action, a.next_due, a.recorded_by, a.updated_at
        """

    func condition(_ scope: Scope) -> (sql: String, binds: [SQLValue]) {
        switch scope {
        case .own(let ownerId): ("a.owner_id = ?", [.text(ownerId)])
        case .dealers(let visibility): visibility.condition(on: "a.dealer_id")
        }
    }

    public func activity(_ activityId: String, in scope: Scope) throws(StoreError) -> ActivityRecord? {
        let (sql, binds) = condition(scope)
        return try db.query("SELECT \(Self.columns) FROM activities a LEFT JOIN dealers d ON d.dealer_id = a.dealer_id WHERE a.activity_id = ? AND \(sql)",
                            [.text(activityId)] + binds).first.map(Self.record)
    }

    /// The activities the scope holds, newest first (by when done, else when planned).
    public func activities(in scope: Scope, _ filter: Filter) throws(StoreError) -> [ActivityRecord] {
        var (sql, binds) = condition(scope)
        func add(_ clause: String, _ value: SQLValue?) {
            guard let value else { return }
            sql += " AND \(clause)"
            binds.append(value)
        }
        add("a.owner_id = ?", filter.ownerId.map(SQLValue.text))
        add("a.dealer_id = ?", filter.dealerId.map(SQLValue.text))
        add("a.status = ?", filter.status.map { .text($0.rawValue) })
        add("COALESCE(a.done_at_ms, a.planned_for_ms) >= ?", filter.from.map { .integer($0.milliseconds) })
        add("COALESCE(a.done_at_ms, a.planned_for_ms) < ?", filter.to.map { .integer($0.milliseconds) })
        return try db.query("""
            SELECT \(Self.columns) FROM activities a LEFT JOIN dealers d ON d.dealer_id = a.dealer_id WHERE \(sql)
            ORDER BY COALESCE(a.done_at_ms, a.planned_for_ms) DESC, a.activity_id LIMIT ?
            """, binds + [.integer(Int64(filter.limit))]).map(Self.record)
    }

    /// Next steps due by `dueBy` (a China date) that nothing done with the dealer by the same person has followed
    /// since: the to-dos, the longest overdue first.
    public func openNextSteps(in scope: Scope, dueBy: CalendarDate, limit: Int = 50) throws(StoreError) -> [ActivityRecord] {
        let (sql, binds) = condition(scope)
        return try db.query("""
            SELECT \(Self.columns) FROM activities a LEFT JOIN dealers d ON d.dealer_id = a.dealer_id
            WHERE \(sql) AND a.status = 'done' AND a.next_due <= ? AND NOT EXISTS (
                SELECT 1 FROM activities b WHERE b.owner_id = a.owner_id AND b.dealer_id = a.dealer_id AND b.status = 'done' AND b.done_at_ms > a.done_at_ms)
            ORDER BY a.next_due, a.activity_id LIMIT ?
            """, binds + [.text(dueBy.text), .integer(Int64(limit))]).map(Self.record)
    }

    static func record(_ row: SQLRow) -> ActivityRecord {
        let place = row.isNull(9) ? nil : ActivityRecorded.Place(lat: row.double(9), lon: row.double(10), name: row.string(11))
        let next = row.string(14).flatMap { action in row.string(15).flatMap(CalendarDate.init).map { ActivityRecorded.NextStep(action: action, due: $0) } }
        return ActivityRecord(activityId: row.string(0) ?? "", version: row.int(1), dealerId: row.string(2) ?? "", dealerName: row.string(3),
                              ownerId: row.string(4) ?? "", kind: row.string(5) ?? "", status: row.string(6) ?? "", plannedFor: row.string(7),
                              doneAt: row.string(8), place: place, notes: row.string(12), outcome: row.string(13), nextStep: next,
                              recordedBy: row.string(16) ?? "", updatedAt: row.string(17) ?? "")
    }

    /// Each person's workload in `from`–`to`: whoever has activities with the scope's dealers, and every sales rep
    /// the scope's dealers are assigned to (one with nothing done shows too). `today` (China date) judges next steps
    /// overdue; a dealer counts as not contacted when nothing was done with it since `quietSince`.
    public func workload(in scope: Scope, from: Timestamp, to: Timestamp, today: CalendarDate, quietSince: Timestamp) throws(StoreError) -> [ActivityWorkload] {
        let (sql, binds) = condition(scope)
        var rows: [String: ActivityWorkload] = [:]
        let window = "a.planned_for_ms >= ? AND a.planned_for_ms < ?"
        let doneWindow = "a.status = 'done' AND a.done_at_ms >= ? AND a.done_at_ms < ?"
        let span: [SQLValue] = [.integer(from.milliseconds), .integer(to.milliseconds)]
        for row in try db.query("""
            SELECT a.owner_id,
                SUM(CASE WHEN \(window) AND a.status <> 'cancelled' THEN 1 ELSE 0 END),
                SUM(CASE WHEN \(window) AND a.status = 'done' THEN 1 ELSE 0 END),
                SUM(CASE WHEN \(doneWindow) THEN 1 ELSE 0 END),
                COUNT(DISTINCT CASE WHEN \(doneWindow) THEN a.dealer_id END),
                SUM(CASE WHEN a.status = 'done' AND a.next_due < ? AND NOT EXISTS (
                    SELECT 1 FROM activities b WHERE b.owner_id = a.owner_id AND b.dealer_id = a.dealer_id AND b.status = 'done' AND b.done_at_ms > a.done_at_ms)
                    THEN 1 ELSE 0 END)
            FROM activities a WHERE \(sql) GROUP BY a.owner_id
            """, span + span + span + span + [.text(today.text)] + binds) {
            let owner = row.string(0) ?? ""
            rows[owner] = ActivityWorkload(ownerId: owner, name: nil, planned: row.int(1), plannedDone: row.int(2), done: row.int(3), dealersContacted: row.int(4),
                                           overdueNextSteps: row.int(5), assignedDealers: 0, dealersNotContacted: 0)
        }
        // The sales reps the scope's dealers are assigned to (for one's own: itself), with their dealers' coverage.
        let reps: (sql: String, binds: [SQLValue])
        switch scope {
        case .own(let ownerId): reps = ("u.user_id = ?", [.text(ownerId)])
        case .dealers(let visibility):
            let dealers = visibility.condition(on: "d.dealer_id")
            reps = ("u.role = 'sales-rep' AND u.sales_rep_id IN (SELECT d.sales_rep_id FROM dealers d WHERE \(dealers.sql))", dealers.binds)
        }
        for row in try db.query("""
            SELECT u.user_id, u.display_name,
                (SELECT COUNT(*) FROM dealers d WHERE d.sales_rep_id = u.sales_rep_id),
                (SELECT COUNT(*) FROM dealers d WHERE d.sales_rep_id = u.sales_rep_id AND NOT EXISTS (
                    SELECT 1 FROM activities a WHERE a.dealer_id = d.dealer_id AND a.status = 'done' AND a.done_at_ms >= ?))
            FROM users u WHERE u.sales_rep_id IS NOT NULL AND u.status = 'active' AND \(reps.sql)
            """, [.integer(quietSince.milliseconds)] + reps.binds) {
            let owner = row.string(0) ?? ""
            var entry = rows[owner] ?? ActivityWorkload(ownerId: owner, name: nil, planned: 0, plannedDone: 0, done: 0, dealersContacted: 0, overdueNextSteps: 0,
                                                        assignedDealers: 0, dealersNotContacted: 0)
            entry.name = row.string(1)
            entry.assignedDealers = row.int(2)
            entry.dealersNotContacted = row.int(3)
            rows[owner] = entry
        }
        let names = try TicketReadModel(db: db).names(of: Set(rows.keys.filter { rows[$0]?.name == nil }))
        var branches: [String: String] = [:]
        let owners = rows.keys.sorted()
        for start in stride(from: 0, to: owners.count, by: 500) {
            let part = Array(owners[start..<min(owners.count, start + 500)])
            for row in try db.query("SELECT user_id, branch_id FROM users WHERE user_id IN (\(SQLText.placeholders(part.count))) AND branch_id IS NOT NULL",
                                    part.map(SQLValue.text)) {
                branches[row.string(0) ?? ""] = row.string(1)
            }
        }
        return rows.values.map { entry in
            var named = entry
            named.name = named.name ?? names[entry.ownerId]
            named.branchId = branches[entry.ownerId]
            return named
        }.sorted { $0.ownerId < $1.ownerId }
    }

    /// The account of the sales rep each dealer is assigned to (the first by id when several share a rep id), with the
    /// dealer's name: whom a follow-up goes to. A dealer without an active rep account is absent.
    public func repAccounts(of dealerIds: [String]) throws(StoreError) -> [String: (userId: String, dealerName: String)] {
        var accounts: [String: (userId: String, dealerName: String)] = [:]
        for start in stride(from: 0, to: dealerIds.count, by: 500) {
            let part = Array(dealerIds[start..<min(dealerIds.count, start + 500)])
            for row in try db.query("""
                SELECT d.dealer_id, MIN(u.user_id), MIN(d.name) FROM dealers d JOIN users u ON u.sales_rep_id = d.sales_rep_id AND u.role = 'sales-rep' AND u.status = 'active'
                WHERE d.dealer_id IN (\(SQLText.placeholders(part.count))) GROUP BY d.dealer_id
                """, part.map(SQLValue.text)) {
                guard let dealer = row.string(0), let user = row.string(1) else { continue }
                accounts[dealer] = (user, row.string(2) ?? dealer)
            }
        }
        return accounts
    }

    /// Which of these activities exist already.
    public func existing(_ activityIds: [String]) throws(StoreError) -> Set<String> {
        var found = Set<String>()
        for start in stride(from: 0, to: activityIds.count, by: 500) {
            let part = Array(activityIds[start..<min(activityIds.count, start + 500)])
            for row in try db.query("SELECT activity_id FROM activities WHERE activity_id IN (\(SQLText.placeholders(part.count)))", part.map(SQLValue.text)) {
                if let id = row.string(0) { found.insert(id) }
            }
        }
        return found
    }

    /// A sales rep's dealers nobody has done anything with since `quietSince`, longest quiet first, with the last
    /// time something was done (nil: never).
    public func quietDealers(ofOwner ownerId: String, quietSince: Timestamp, limit: Int = 50) throws(StoreError) -> [(dealerId: String, name: String?, lastDone: String?)] {
        try db.query("""
            SELECT q.dealer_id, q.name, q.last_done FROM (
                SELECT d.dealer_id, d.name, (SELECT MAX(a.done_at) FROM activities a WHERE a.dealer_id = d.dealer_id AND a.status = 'done') AS last_done
                FROM dealers d JOIN users u ON u.sales_rep_id = d.sales_rep_id
                WHERE u.user_id = ? AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.dealer_id = d.dealer_id AND a.status = 'done' AND a.done_at_ms >= ?)) q
            ORDER BY q.last_done IS NOT NULL, q.last_done, q.dealer_id LIMIT ?
            """, .text(ownerId), .integer(quietSince.milliseconds), .integer(Int64(limit))).map { ($0.string(0) ?? "", $0.string(1), $0.string(2)) }
    }

    /// What changed at the dealers `ownerId` has been to since its last activity done with each: orders
    /// submitted since (and of them cancelled or rejected) and tickets opened since — the dealers where
    /// anything did, most tickets then most orders first.
    public func sinceLastVisit(ofOwner ownerId: String, limit: Int = 20) throws(StoreError) -> [DealerChanges] {
        let rows = try db.query("""
            SELECT v.dealer_id, d.name, v.last_done,
                (SELECT COUNT(*) FROM orders o WHERE o.dealer_id = v.dealer_id AND o.submitted_at > v.last_done),
                (SELECT COUNT(*) FROM orders o WHERE o.dealer_id = v.dealer_id AND o.submitted_at > v.last_done AND o.status IN ('cancelled', 'rejected')),
                (SELECT COUNT(*) FROM tickets t WHERE t.dealer_id = v.dealer_id AND t.opened_at > v.last_done)
            FROM (SELECT a.dealer_id, MAX(a.done_at) AS last_done FROM activities a WHERE a.owner_id = ? AND a.status = 'done' GROUP BY a.dealer_id) v
            JOIN dealers d ON d.dealer_id = v.dealer_id
            """, .text(ownerId))
        let changes = rows.map { row in
            DealerChanges(dealerId: row.string(0) ?? "", name: row.string(1), lastVisit: row.string(2) ?? "", orders: row.int(3), refused: row.int(4), tickets: row.int(5))
        }
        let changed = changes.filter { $0.orders + $0.tickets > 0 }.sorted { a, b in
            a.tickets != b.tickets ? a.tickets > b.tickets : a.orders != b.orders ? a.orders > b.orders : a.dealerId < b.dealerId
        }
        return Array(changed.prefix(limit))
    }

    /// What changed at a dealer since a rep's last visit there.
    public struct DealerChanges: Sendable, Equatable {
        public var dealerId: String
        public var name: String?
        public var lastVisit: String
        public var orders: Int
        public var refused: Int
        public var tickets: Int
    }

    /// Per sales rep (the accounts' `sales_rep_id`), over [from, to): its dealers (as the ERP assigns
    /// them), how many of them its people did something with, and its plans in the period and how many
    /// were carried out — the sales-rep scorecard's activity measures (coverage, plan kept).
    public func salesRepActivity(from: Timestamp, to: Timestamp) throws(StoreError) -> [String: SalesRepActivity] {
        var result: [String: SalesRepActivity] = [:]
        let span: [SQLValue] = [.integer(from.milliseconds), .integer(to.milliseconds)]
        for row in try db.query("""
            SELECT d.sales_rep_id, COUNT(*), COUNT(CASE WHEN EXISTS (
                SELECT 1 FROM activities a JOIN users u ON u.user_id = a.owner_id
                WHERE a.dealer_id = d.dealer_id AND u.sales_rep_id = d.sales_rep_id AND a.status = 'done' AND a.done_at_ms >= ? AND a.done_at_ms < ?) THEN 1 END)
            FROM dealers d WHERE d.sales_rep_id IS NOT NULL GROUP BY d.sales_rep_id
            """, span) {
            result[row.string(0) ?? ""] = SalesRepActivity(assignedDealers: row.int(1), dealersCovered: row.int(2), planned: 0, plannedDone: 0)
        }
        for row in try db.query("""
            SELECT u.sales_rep_id, COUNT(CASE WHEN a.status <> 'cancelled' THEN 1 END), COUNT(CASE WHEN a.status = 'done' THEN 1 END)
            FROM activities a JOIN users u ON u.user_id = a.owner_id
            WHERE u.sales_rep_id IS NOT NULL AND a.planned_for_ms >= ? AND a.planned_for_ms < ? GROUP BY u.sales_rep_id
            """, span) {
            let rep = row.string(0) ?? ""
            var entry = result[rep] ?? SalesRepActivity(assignedDealers: 0, dealersCovered: 0, planned: 0, plannedDone: 0)
            (entry.planned, entry.plannedDone) = (row.int(1), row.int(2))
            result[rep] = entry
        }
        return result
    }

    /// Per dealer of `dealerIds`: the activities done with it in [from, to) by anyone, and the last one's time.
    public func doneWith(_ dealerIds: [String], from: Timestamp, to: Timestamp) throws(StoreError) -> [String: (done: Int, last: Timestamp?)] {
        var result: [String: (done: Int, last: Timestamp?)] = [:]
        for start in stride(from: 0, to: dealerIds.count, by: 500) {
            let part = Array(dealerIds[start..<min(dealerIds.count, start + 500)])
            for row in try db.query("""
                SELECT dealer_id, COUNT(*), MAX(done_at_ms) FROM activities
                WHERE status = 'done' AND done_at_ms >= ? AND done_at_ms < ? AND dealer_id IN (\(SQLText.placeholders(part.count))) GROUP BY dealer_id
                """, [.integer(from.milliseconds), .integer(to.milliseconds)] + part.map(SQLValue.text)) {
                let last = row.int64(2)
                result[row.string(0) ?? ""] = (row.int(1), last > 0 ? Timestamp(Date(timeIntervalSince1970: Double(last) / 1_000)) : nil)
            }
        }
        return result
    }
}
