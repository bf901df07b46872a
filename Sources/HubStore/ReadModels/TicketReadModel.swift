import Foundation
public import HubContracts
public import HubDomain

/// Dealers' tickets as the dealer and staff read them (R6): the queue by status and overdue, one
/// ticket with its thread and — for a counterfeit report — what the anti-counterfeit system said of
/// its code, and the figures by branch.
public struct TicketReadModel {
    let db: any SQLDatabase

    /// One ticket as lists show it.
    public struct Summary: Sendable, Equatable {
        public var ticketId: String
        public var dealerId: String
        public var dealerName: String?
        public var branchId: String?
        public var productLine: ProductLine?
        public var kind: TicketKind
        public var status: TicketStatus
        public var subject: String
        public var openedAt: Timestamp
        public var openedBy: String
        public var assignee: String?
        /// Since when the dealer waits for staff; nil when it does not.
        public var waitingSince: Timestamp?
        public var firstAnsweredAt: Timestamp?
        public var closedAt: Timestamp?
        public var rating: Int?
        public var ratingComment: String?
        public var reopened: Int
        public var counterfeitCode: String?
        public var updatedAt: Timestamp
    }

    /// A message of a ticket's thread.
    public struct Message: Sendable, Equatable {
        public var messageId: String
        public var at: Timestamp
        public var author: String
        public var party: TicketParty
        public var body: String
        public var answers: Bool
    }

    /// Which tickets a reader reaches.
    public enum Scope: Sendable, Equatable {
        /// Those of the dealers this visibility reaches (a dealer its own; staff their territory).
        case dealers(DealerVisibility)
        /// A product-line manager's: the product matters of its lines.
        case productLines([String])

        func condition() -> (sql: String, binds: [SQLValue]) {
            switch self {
            case .dealers(let visibility): visibility.condition(on: "t.dealer_id")
            case .productLines(let lines):
                ("t.product_line IN (\(SQLText.placeholders(max(lines.count, 1))))", (lines.isEmpty ? [""] : lines).map(SQLValue.text))
            }
        }
    }

    /// What a list asks for.
    public struct Filter: Sendable, Equatable {
        public var statuses: [TicketStatus] = []
        public var kind: TicketKind?
        public var dealerId: String?
        /// Only those overdue at this moment.
        public var overdueAt: Timestamp?
        public init(statuses: [TicketStatus] = [], kind: TicketKind? = nil, dealerId: String? = nil, overdueAt: Timestamp? = nil) {
            (self.statuses, self.kind, self.dealerId, self.overdueAt) = (statuses, kind, dealerId, overdueAt)
        }
    }

    private static let columns = """
        t.ticket_id, t.dealer_id, d.name, t.branch_id, t.product_line, t.kind, t.status, t.subject, t.opened_at, t.opened_by, t.assignee,
        t.waiting_since, t.first_answered_at, t.closed_at, t.rating, t.rating_comment, t.reopened, t.counterfeit_code, t.updated_at
        """

    private static func summary(_ row: SQLRow) -> Summary? {
        guard let id = row.string(0), let openedAt = row.string(8).flatMap(Timestamp.init(parsing:)) else { return nil }
        return Summary(ticketId: id, dealerId: row.string(1) ?? "", dealerName: row.string(2), branchId: row.string(3),
                       productLine: row.string(4).map(ProductLine.init(rawValue:)), kind: TicketKind(rawValue: row.string(5) ?? ""),
                       status: TicketStatus(rawValue: row.string(6) ?? ""), subject: row.string(7) ?? "", openedAt: openedAt, openedBy: row.string(9) ?? "",
                       assignee: row.string(10), waitingSince: row.string(11).flatMap(Timestamp.init(parsing:)),
                       firstAnsweredAt: row.string(12).flatMap(Timestamp.init(parsing:)), closedAt: row.string(13).flatMap(Timestamp.init(parsing:)),
                       rating: row.isNull(14) ? nil : row.int(14), ratingComment: row.string(15), reopened: row.int(16), counterfeitCode: row.string(17),
                       updatedAt: row.string(18).flatMap(Timestamp.init(parsing:)) ?? openedAt)
    }

    /// `t.waiting_since` past its kind's response target at `now`.
    static func overdue(at now: Timestamp) -> (sql: String, binds: [SQLValue]) {
        let urgent: [TicketKind] = TicketKind.known.filter { TicketLifecycle.responseTarget($0) == TicketLifecycle.responseTarget(.complaint) }
        func before(_ kind: TicketKind) -> SQLValue { .text(Timestamp(now.date.addingTimeInterval(-TicketLifecycle.responseTarget(kind))).text) }
        let list = SQLText.placeholders(urgent.count)
        return ("""
            (t.waiting_since IS NOT NULL AND ((t.kind IN (\(list)) AND t.waiting_since < ?) OR (t.kind NOT IN (\(list)) AND t.waiting_since < ?)))
            """, urgent.map { .text($0.rawValue) } + [before(.complaint)] + urgent.map { .text($0.rawValue) } + [before(.suggestion)])
    }

    /// The tickets in `scope` matching `filter`, the most recently changed first, after the cursor
    /// (a ticket id this list gave), at most `limit`.
    public func list(_ scope: Scope, _ filter: Filter, after: String?, limit: Int) throws(StoreError) -> [Summary] {
        var (sql, binds) = scope.condition()
        if !filter.statuses.isEmpty {
            sql += " AND t.status IN (\(SQLText.placeholders(filter.statuses.count)))"
            binds += filter.statuses.map { .text($0.rawValue) }
        }
        if let kind = filter.kind { sql += " AND t.kind = ?"; binds.append(.text(kind.rawValue)) }
        if let dealer = filter.dealerId { sql += " AND t.dealer_id = ?"; binds.append(.text(dealer)) }
        if let now = filter.overdueAt {
            let overdue = Self.overdue(at: now)
            sql += " AND " + overdue.sql
            binds += overdue.binds
        }
        if let after, let cursor = try db.first("SELECT updated_at FROM tickets WHERE ticket_id = ?", .text(after))?.string(0) {
            sql += " AND (t.updated_at < ? OR (t.updated_at = ? AND t.ticket_id > ?))"
            binds += [.text(cursor), .text(cursor), .text(after)]
        }
        return try db.query("""
            SELECT \(Self.columns) FROM tickets t LEFT JOIN dealers d ON d.dealer_id = t.dealer_id WHERE \(sql)
            ORDER BY t.updated_at DESC, t.ticket_id LIMIT ?
            """, binds + [.integer(Int64(limit))]).compactMap(Self.summary)
    }

    /// How many tickets in `scope` stand in each status, and how many are overdue at `now`.
    public func counts(_ scope: Scope, at now: Timestamp) throws(StoreError) -> (byStatus: [TicketStatus: Int], overdue: Int) {
        let (sql, binds) = scope.condition()
        var byStatus: [TicketStatus: Int] = [:]
        for row in try db.query("SELECT t.status, COUNT(*) FROM tickets t WHERE \(sql) GROUP BY t.status", binds) {
            byStatus[TicketStatus(rawValue: row.string(0) ?? "")] = row.int(1)
        }
        let overdue = Self.overdue(at: now)
        let late = try db.query("SELECT COUNT(*) FROM tickets t WHERE \(sql) AND \(overdue.sql)", binds + overdue.binds).first?.int(0) ?? 0
        return (byStatus, late)
    }

    /// One ticket in `scope`, as opened, with its thread; nil when unknown or outside the scope.
    public func ticket(_ ticketId: String, in scope: Scope) throws(StoreError) -> (summary: Summary, opened: TicketOpened, messages: [Message])? {
        let (sql, binds) = scope.condition()
        guard let row = try db.query("""
            SELECT \(Self.columns), t.document FROM tickets t LEFT JOIN dealers d ON d.dealer_id = t.dealer_id WHERE t.ticket_id = ? AND \(sql)
            """, [.text(ticketId)] + binds).first, let summary = Self.summary(row),
              let opened = StoredJSON.decode(TicketOpened.self, row.string(19)) else { return nil }
        let messages = try db.query("SELECT message_id, at, author, party, body, answers FROM ticket_messages WHERE ticket_id = ? ORDER BY seq",
                                    .text(ticketId)).map {
            Message(messageId: $0.string(0) ?? "", at: $0.string(1).flatMap(Timestamp.init(parsing:)) ?? summary.openedAt, author: $0.string(2) ?? "",
                    party: TicketParty(rawValue: $0.string(3) ?? ""), body: $0.string(4) ?? "", answers: $0.int(5) != 0)
        }
        return (summary, opened, messages)
    }

    /// The display names of the people who wrote in or were assigned tickets, by user id; an id that
    /// is no account's (a system's token) is not in the answer.
    public func names(of userIds: Set<String>) throws(StoreError) -> [String: String] {
        guard !userIds.isEmpty else { return [:] }
        let ids = userIds.sorted()
        var names: [String: String] = [:]
        for row in try db.query("SELECT user_id, display_name FROM users WHERE user_id IN (\(SQLText.placeholders(ids.count)))", ids.map(SQLValue.text)) {
            if let id = row.string(0), let name = row.string(1) { names[id] = name }
        }
        return names
    }

    /// How many tickets the dealer opened since `since`: the limit against floods.
    public func opened(byDealer dealerId: String, since: Timestamp) throws(StoreError) -> Int {
        try db.first("SELECT COUNT(*) FROM tickets WHERE dealer_id = ? AND opened_at >= ?", .text(dealerId), .text(since.text))?.int(0) ?? 0
    }

    /// What the anti-counterfeit system said of a code: its scans, oldest first, and the flags they raised.
    public func authenticity(of code: String) throws(StoreError) -> (scans: [AuthenticityScanned], flags: [AuthenticityFlagged]) {
        let scans = try db.query("SELECT document FROM authenticity_scans WHERE code = ? ORDER BY scanned_at, scan_id LIMIT 200", .text(code))
            .compactMap { StoredJSON.decode(AuthenticityScanned.self, $0.string(0)) }
        let flags = try db.query("SELECT document FROM authenticity_flags WHERE code = ? ORDER BY scan_id, reason LIMIT 200", .text(code))
            .compactMap { StoredJSON.decode(AuthenticityFlagged.self, $0.string(0)) }
        return (scans, flags)
    }

    /// A branch's tickets opened in a period, as the branch scorecard reads them.
    public struct BranchFigures: Sendable, Equatable {
        public var branchId: String
        public var opened: Int
        public var answered: Int
        /// Mean hours from opening to the first answer, of those answered; nil when none was.
        public var meanFirstResponseHours: Double?
        /// Of those opened in the period, overdue now.
        public var overdue: Int
        public var rated: Int
        public var meanRating: Double?
        public var counterfeitReports: Int
    }

    /// Per branch in `scope`: the tickets opened in [from, to), and how they were served.
    public func figures(_ scope: Scope, from: Timestamp, to: Timestamp, at now: Timestamp) throws(StoreError) -> [BranchFigures] {
        let (sql, binds) = scope.condition()
        let overdue = Self.overdue(at: now)
        let rows = try db.query("""
            SELECT t.branch_id, t.kind, t.opened_at, t.first_answered_at, t.rating, CASE WHEN \(overdue.sql) THEN 1 ELSE 0 END
            FROM tickets t WHERE \(sql) AND t.opened_at >= ? AND t.opened_at < ?
            """, overdue.binds + binds + [.text(from.text), .text(to.text)])
        var byBranch: [String: (opened: Int, answered: Int, hours: Double, overdue: Int, rated: Int, ratings: Int, counterfeit: Int)] = [:]
        for row in rows {
            let branch = row.string(0) ?? ""
            var figures = byBranch[branch] ?? (0, 0, 0, 0, 0, 0, 0)
            figures.opened += 1
            if let opened = row.string(2).flatMap(Timestamp.init(parsing:)), let answered = row.string(3).flatMap(Timestamp.init(parsing:)) {
                figures.answered += 1
                figures.hours += answered.date.timeIntervalSince(opened.date) / 3_600
            }
            if !row.isNull(4) { figures.rated += 1; figures.ratings += row.int(4) }
            figures.overdue += row.int(5)
            if TicketKind(rawValue: row.string(1) ?? "") == .counterfeitReport { figures.counterfeit += 1 }
            byBranch[branch] = figures
        }
        return byBranch.sorted { $0.key < $1.key }.map { branch, f in
            BranchFigures(branchId: branch, opened: f.opened, answered: f.answered, meanFirstResponseHours: f.answered > 0 ? f.hours / Double(f.answered) : nil,
                          overdue: f.overdue, rated: f.rated, meanRating: f.rated > 0 ? Double(f.ratings) / Double(f.rated) : nil, counterfeitReports: f.counterfeit)
        }
    }
}
