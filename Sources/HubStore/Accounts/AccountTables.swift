import Foundation
public import HubContracts

/// The users table, inside a transaction or a read.
struct UserTable {
    let db: any SQLDatabase

    static let columns = """
        user_id, login, display_name, role, dealer_id, dealer_admin, branch_id, provinces, product_lines, sales_rep_id, carrier_id,
        status, must_change_password, version, created_at, updated_at
        """

    static func record(_ row: SQLRow, from column: Int = 0) throws(StoreError) -> UserRecord {
        func list(_ text: String?) -> [String] { (text ?? "").split(separator: ",").map(String.init) }
        guard let id = row.string(column), let login = row.string(column + 1), let status = UserRecord.Status(rawValue: row.string(column + 11) ?? "") else {
            throw StoreError(.corrupt, "a users row without an id, a login or a known status")
        }
        return UserRecord(userId: id, login: login, displayName: row.string(column + 2) ?? "", role: row.string(column + 3) ?? "",
                          dealerId: row.string(column + 4), dealerAdmin: row.int64(column + 5) != 0, branchId: row.string(column + 6),
                          provinces: list(row.string(column + 7)), productLines: list(row.string(column + 8)), salesRepId: row.string(column + 9),
                          carrierId: row.string(column + 10), status: status, mustChangePassword: row.int64(column + 12) != 0,
                          version: row.int64(column + 13), createdAt: row.string(column + 14) ?? "", updatedAt: row.string(column + 15) ?? "")
    }

    private static func binds(_ user: UserRecord) -> [SQLValue] {
        [.text(user.userId), .text(user.login), .text(user.displayName), .text(user.role), SQLValue(user.dealerId), .integer(user.dealerAdmin ? 1 : 0),
         SQLValue(user.branchId), SQLValue(user.provinces.isEmpty ? nil : user.provinces.joined(separator: ",")),
         SQLValue(user.productLines.isEmpty ? nil : user.productLines.joined(separator: ",")), SQLValue(user.salesRepId), SQLValue(user.carrierId),
         .text(user.status.rawValue), .integer(user.mustChangePassword ? 1 : 0), .integer(user.version), .text(user.createdAt), .text(user.updatedAt)]
    }

    func user(id: String) throws(StoreError) -> UserRecord? {
        try db.first("SELECT \(Self.columns) FROM users WHERE user_id = ?", .text(id)).map { row throws(StoreError) in try Self.record(row) }
    }

    func user(login: String) throws(StoreError) -> UserRecord? {
        try db.first("SELECT \(Self.columns) FROM users WHERE login = ?", .text(login)).map { row throws(StoreError) in try Self.record(row) }
    }

    func passwordHash(userId: String) throws(StoreError) -> String? {
        try db.first("SELECT password_hash FROM users WHERE user_id = ?", .text(userId))?.string(0)
    }

    func insert(_ user: UserRecord, passwordHash: String) throws(StoreError) {
        try db.execute("INSERT INTO users (\(Self.columns), password_hash) VALUES (\(SQLText.placeholders(17)))", Self.binds(user) + [.text(passwordHash)])
    }

    /// Writes every field of `user` (its version included) where the stored version is `expected`;
    /// whether it did.
    func update(_ user: UserRecord, expected: Int64) throws(StoreError) -> Bool {
        try db.execute("""
            UPDATE users SET login = ?, display_name = ?, role = ?, dealer_id = ?, dealer_admin = ?, branch_id = ?, provinces = ?,
                product_lines = ?, sales_rep_id = ?, carrier_id = ?, status = ?, must_change_password = ?, version = ?, created_at = ?, updated_at = ?
            WHERE user_id = ? AND version = ?
            """, Array(Self.binds(user).dropFirst()) + [.text(user.userId), .integer(expected)]) == 1
    }

    func setPasswordHash(userId: String, _ hash: String) throws(StoreError) {
        try db.execute("UPDATE users SET password_hash = ? WHERE user_id = ?", .text(hash), .text(userId))
    }

    func delete(id: String) throws(StoreError) {
        try db.execute("DELETE FROM users WHERE user_id = ?", .text(id))
    }

    /// Users matching `filter`, by login, a page of them, and how many match in all.
    func list(_ filter: UserFilter) throws(StoreError) -> (users: [UserRecord], total: Int) {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        if let role = filter.role { conditions.append("role = ?"); binds.append(.text(role)) }
        if let dealerId = filter.dealerId { conditions.append("dealer_id = ?"); binds.append(.text(dealerId)) }
        if let branch = filter.reachOfBranch {
            conditions.append("((role = 'sales-rep' AND branch_id = ?) OR (role = 'dealer' AND dealer_id IN (SELECT dealer_id FROM dealers WHERE branch_id = ?)))")
            binds += [.text(branch), .text(branch)]
        }
        if let status = filter.status { conditions.append("status = ?"); binds.append(.text(status.rawValue)) }
        if let text = filter.text, !text.isEmpty {
            conditions.append("(login LIKE ? ESCAPE '\\' OR display_name LIKE ? ESCAPE '\\')")
            let pattern = LikePattern.containing(text)
            binds += [.text(pattern.lowercased()), .text(pattern)]
        }
        let clause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let total = try db.query("SELECT COUNT(*) FROM users \(clause)", binds).first?.int(0) ?? 0
        let users = try db.query("SELECT \(Self.columns) FROM users \(clause) ORDER BY login LIMIT ? OFFSET ?",
                                 binds + [.integer(Int64(filter.limit)), .integer(Int64(filter.offset))])
            .map { row throws(StoreError) in try Self.record(row) }
        return (users, total)
    }
}

/// Which users a listing asks for; every condition given must hold.
public struct UserFilter: Sendable, Hashable {
    public var role: String?
    public var dealerId: String?
    /// Only what a branch manager of this branch manages: its sales representatives and its
    /// dealers' users.
    public var reachOfBranch: String?
    public var status: UserRecord.Status?
    /// Part of the login or the display name.
    public var text: String?
    public var limit: Int
    public var offset: Int

    public init(role: String? = nil, dealerId: String? = nil, reachOfBranch: String? = nil,
                status: UserRecord.Status? = nil, text: String? = nil, limit: Int = 50, offset: Int = 0) {
        self.role = role
        self.dealerId = dealerId
        self.reachOfBranch = reachOfBranch
        self.status = status
        self.text = text
        self.limit = limit
        self.offset = offset
    }
}

/// Signed-in sessions, by the digest of their cookie.
struct SessionTable {
    let db: any SQLDatabase

    func insert(digest: String, userId: String, csrfToken: String, address: String?, now: Int64, expires: Int64) throws(StoreError) {
        try db.execute("""
            INSERT INTO sessions (session_digest, user_id, csrf_token, address, created_at_ms, seen_at_ms, expires_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, .text(digest), .text(userId), .text(csrfToken), SQLValue(address), .integer(now), .integer(now), .integer(expires))
    }

    /// The session and its user, when the session exists, has not expired and its user is active.
    func session(digest: String, now: Int64) throws(StoreError) -> StoredSession? {
        let columns = UserTable.columns.split(separator: ",").map { "u." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")
        guard let row = try db.first("""
            SELECT s.csrf_token, s.created_at_ms, s.seen_at_ms, s.expires_at_ms, \(columns)
            FROM sessions s JOIN users u ON u.user_id = s.user_id
            WHERE s.session_digest = ? AND s.expires_at_ms > ? AND u.status = 'active'
            """, .text(digest), .integer(now)) else { return nil }
        return StoredSession(user: try UserTable.record(row, from: 4), csrfToken: row.string(0) ?? "", createdAtMilliseconds: row.int64(1),
                             seenAtMilliseconds: row.int64(2), expiresAtMilliseconds: row.int64(3))
    }

    func touch(digest: String, now: Int64, expires: Int64) throws(StoreError) {
        try db.execute("UPDATE sessions SET seen_at_ms = ?, expires_at_ms = ? WHERE session_digest = ?", .integer(now), .integer(expires), .text(digest))
    }

    func delete(digest: String) throws(StoreError) {
        try db.execute("DELETE FROM sessions WHERE session_digest = ?", .text(digest))
    }

    /// Ends a user's sessions, but `keeping` (the one that asked); how many ended.
    @discardableResult
    func deleteAll(userId: String, keeping: String? = nil) throws(StoreError) -> Int {
        try db.execute("DELETE FROM sessions WHERE user_id = ? AND session_digest <> ?", .text(userId), .text(keeping ?? ""))
    }

    func deleteExpired(now: Int64) throws(StoreError) -> Int {
        try db.execute("DELETE FROM sessions WHERE expires_at_ms <= ?", .integer(now))
    }
}

/// Failed sign-ins, per login and per address.
struct SignInFailureTable {
    let db: any SQLDatabase

    func failures(_ subjects: [String]) throws(StoreError) -> [String: SignInFailures] {
        var found: [String: SignInFailures] = [:]
        for row in try db.query("SELECT subject, failures, last_failure_ms FROM sign_in_failures WHERE subject IN (\(SQLText.placeholders(subjects.count)))",
                                subjects.map(SQLValue.text)) {
            found[row.string(0) ?? ""] = SignInFailures(count: row.int(1), lastAtMilliseconds: row.int64(2))
        }
        return found
    }

    func record(_ subjects: [String], now: Int64) throws(StoreError) {
        for subject in subjects {
            try db.execute("""
                INSERT INTO sign_in_failures (subject, failures, last_failure_ms) VALUES (?, 1, ?)
                ON CONFLICT (subject) DO UPDATE SET failures = sign_in_failures.failures + 1, last_failure_ms = excluded.last_failure_ms
                """, .text(subject), .integer(now))
        }
    }

    func clear(_ subject: String) throws(StoreError) {
        try db.execute("DELETE FROM sign_in_failures WHERE subject = ?", .text(subject))
    }

    func deleteOlder(than milliseconds: Int64) throws(StoreError) -> Int {
        try db.execute("DELETE FROM sign_in_failures WHERE last_failure_ms < ?", .integer(milliseconds))
    }
}

/// How many sign-ins failed in a row for a login or an address, and when the last did.
public struct SignInFailures: Sendable, Hashable {
    public var count: Int
    public var lastAtMilliseconds: Int64

    public init(count: Int, lastAtMilliseconds: Int64) {
        self.count = count
        self.lastAtMilliseconds = lastAtMilliseconds
    }
}

/// The audit log, and its events on `hub.audit` through the outbox: both in the transaction of
/// the change.
public struct AuditLogTable {
    let db: any SQLDatabase

    public func record(_ actor: ChangeActor, action: String, kind: String, id: String, before: [String: String]?, after: [String: String]?,
                at: Timestamp, topic: String) throws(StoreError) {
        let eventId = "audit-" + UUID().uuidString.lowercased()
        let key = "\(kind):\(id)"
        let event = CanonicalEvent(id: eventId, source: actor.source, occurredAt: at, subject: key, data: .auditRecorded(AuditRecorded(
            actor: actor.id, action: action, subjectKind: kind, subjectId: id, before: before, after: after)))
        let bytes: [UInt8]
        do {
            bytes = try event.encoded()
        } catch {
            throw StoreError(.statement, "cannot encode the audit event of \(action) \(key): \(error.description)")
        }
        try db.execute("""
            INSERT INTO audit_log (event_id, at, actor, action, subject_kind, subject_id, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, .text(eventId), .text(at.text), .text(actor.id), .text(action), .text(kind), .text(id),
            SQLValue(before.flatMap(Self.json)), SQLValue(after.flatMap(Self.json)))
        try OutboxTable(db: db).append([OutboxRow(topic: topic, key: key, eventId: eventId, value: bytes, traceParent: actor.traceParent)])
    }

    /// The newest entries first, older than `before` (a sequence) when given.
    func entries(kind: String?, id: String?, before: Int64?, limit: Int) throws(StoreError) -> [AuditEntry] {
        var conditions: [String] = []
        var binds: [SQLValue] = []
        if let kind { conditions.append("subject_kind = ?"); binds.append(.text(kind)) }
        if let id { conditions.append("subject_id = ?"); binds.append(.text(id)) }
        if let before { conditions.append("seq < ?"); binds.append(.integer(before)) }
        let clause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try db.query("""
            SELECT seq, event_id, at, actor, action, subject_kind, subject_id, before_json, after_json FROM audit_log \(clause) ORDER BY seq DESC LIMIT ?
            """, binds + [.integer(Int64(limit))]).map { row in
            AuditEntry(sequence: row.int64(0), eventId: row.string(1) ?? "", at: row.string(2) ?? "", actor: row.string(3) ?? "",
                       action: row.string(4) ?? "", subjectKind: row.string(5) ?? "", subjectId: row.string(6) ?? "",
                       before: row.string(7).flatMap(Self.fields), after: row.string(8).flatMap(Self.fields))
        }
    }

    static func json(_ fields: [String: String]) -> String? {
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func fields(_ json: String) -> [String: String]? {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: String]
    }
}
