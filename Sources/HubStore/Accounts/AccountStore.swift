import Foundation
public import HubContracts

/// People's accounts in the hub's database: users, their sessions, failed sign-ins and the audit
/// log. Every change of a user is one transaction that also writes its audit entry and the
/// `hub.audit` event (through the outbox, which the core's relay publishes): a change without its
/// audit record, or the reverse, cannot happen.
///
/// The API writes these tables itself rather than through a topic and the core: a password's hash
/// must not travel on Kafka, and disabling a user has to end its sessions at once, not when the
/// core gets to it. Master data the company administers (permission groups, warehouses) takes the
/// event path like the ERP's.
public final class AccountStore: Sendable {
    let connection: StoreConnection
    /// Where audit events go (`hub.audit`, with the deployment's prefix).
    public let auditTopic: String

    public init(_ location: DatabaseLocation, auditTopic: String = TopicName.audit) throws(StoreError) {
        connection = try StoreConnection(location, label: "accounts")
        self.auditTopic = auditTopic
    }

    // MARK: Users

    public func user(id: String) async throws(StoreError) -> UserRecord? {
        try await connection.run { db throws(StoreError) in try UserTable(db: db).user(id: id) }
    }

    public func user(login: String) async throws(StoreError) -> UserRecord? {
        try await connection.run { db throws(StoreError) in try UserTable(db: db).user(login: login.lowercased()) }
    }

    /// The user and its password's hash, for signing in.
    public func credential(login: String) async throws(StoreError) -> (user: UserRecord, passwordHash: String)? {
        try await connection.run { db throws(StoreError) -> (user: UserRecord, passwordHash: String)? in
            let table = UserTable(db: db)
            guard let user = try table.user(login: login.lowercased()), let hash = try table.passwordHash(userId: user.userId) else { return nil }
            return (user, hash)
        }
    }

    /// The password hash of a user, to check the current password before a change.
    public func passwordHash(userId: String) async throws(StoreError) -> String? {
        try await connection.run { db throws(StoreError) in try UserTable(db: db).passwordHash(userId: userId) }
    }

    public func users(_ filter: UserFilter) async throws(StoreError) -> (users: [UserRecord], total: Int) {
        try await connection.run { db throws(StoreError) in try UserTable(db: db).list(filter) }
    }

    /// Creates `user` (its login lower-cased, version 1) with `passwordHash`.
    public func create(_ user: UserRecord, passwordHash: String, by actor: ChangeActor, now: Timestamp) async throws -> Result<UserRecord, AccountWriteRefusal> {
        var user = user
        user.login = user.login.lowercased()
        user.version = 1
        user.createdAt = now.text
        user.updatedAt = now.text
        let created = user
        let topic = auditTopic
        return try await writing { db throws(StoreError) -> Result<UserRecord, AccountWriteRefusal> in
            let users = UserTable(db: db)
            if try users.user(login: created.login) != nil { return .failure(.loginTaken(created.login)) }
            try users.insert(created, passwordHash: passwordHash)
            try AuditLogTable(db: db).record(actor, action: "user.created", kind: "user", id: created.userId, before: nil, after: created.auditFields,
                                             at: now, topic: topic)
            return .success(created)
        }
    }

    /// Changes a user: `change` edits what it read at `expectedVersion` (nil: whatever is current);
    /// the version grows by one. Disabling ends its sessions in the same transaction. `action`
    /// names the change in the audit log.
    public func update(userId: String, expectedVersion: Int64?, action: String, by actor: ChangeActor, now: Timestamp,
                       _ change: @escaping @Sendable (inout UserRecord) -> Void) async throws -> Result<UserRecord, AccountWriteRefusal> {
        let topic = auditTopic
        return try await writing { db throws(StoreError) -> Result<UserRecord, AccountWriteRefusal> in
            let users = UserTable(db: db)
            guard let before = try users.user(id: userId) else { return .failure(.notFound) }
            if let expectedVersion, expectedVersion != before.version { return .failure(.stale(expected: expectedVersion, current: before.version)) }
            var after = before
            change(&after)
            after.userId = before.userId
            after.login = after.login.lowercased()
            if after.login != before.login, try users.user(login: after.login) != nil { return .failure(.loginTaken(after.login)) }
            after.version = before.version + 1
            after.createdAt = before.createdAt
            after.updatedAt = now.text
            guard try users.update(after, expected: before.version) else { return .failure(.stale(expected: before.version, current: before.version + 1)) }
            if after.status == .disabled && before.status != .disabled { try SessionTable(db: db).deleteAll(userId: userId) }
            try AuditLogTable(db: db).record(actor, action: action, kind: "user", id: userId, before: before.auditFields, after: after.auditFields,
                                             at: now, topic: topic)
            return .success(after)
        }
    }

    /// What a new password hash does to the user's sessions.
    public enum SessionsAfter: Sendable, Hashable {
        /// They end — all but the one with this digest (the session that changed the password),
        /// or all when nil (an administrator's reset).
        case end(keeping: String?)
        /// They stay: the password is the same, only its hash was renewed at a stronger cost.
        case stay
    }

    /// Sets a user's password hash; `mustChange` marks it for a change at the next sign-in (an
    /// administrator's reset); `sessions` says whether the user's sessions end.
    public func setPassword(userId: String, hash: String, mustChange: Bool, action: String, by actor: ChangeActor, now: Timestamp,
                            sessions: SessionsAfter) async throws -> Result<UserRecord, AccountWriteRefusal> {
        let topic = auditTopic
        return try await writing { db throws(StoreError) -> Result<UserRecord, AccountWriteRefusal> in
            let users = UserTable(db: db)
            guard let before = try users.user(id: userId) else { return .failure(.notFound) }
            var after = before
            after.mustChangePassword = mustChange
            after.version = before.version + 1
            after.updatedAt = now.text
            guard try users.update(after, expected: before.version) else { return .failure(.stale(expected: before.version, current: before.version + 1)) }
            try users.setPasswordHash(userId: userId, hash)
            if case .end(let keeping) = sessions { try SessionTable(db: db).deleteAll(userId: userId, keeping: keeping) }
            try AuditLogTable(db: db).record(actor, action: action, kind: "user", id: userId, before: before.auditFields, after: after.auditFields,
                                             at: now, topic: topic)
            return .success(after)
        }
    }

    /// Deletes a user and its sessions.
    public func delete(userId: String, expectedVersion: Int64?, by actor: ChangeActor, now: Timestamp) async throws -> Result<UserRecord, AccountWriteRefusal> {
        let topic = auditTopic
        return try await writing { db throws(StoreError) -> Result<UserRecord, AccountWriteRefusal> in
            let users = UserTable(db: db)
            guard let before = try users.user(id: userId) else { return .failure(.notFound) }
            if let expectedVersion, expectedVersion != before.version { return .failure(.stale(expected: expectedVersion, current: before.version)) }
            try SessionTable(db: db).deleteAll(userId: userId)
            try users.delete(id: userId)
            try AuditLogTable(db: db).record(actor, action: "user.deleted", kind: "user", id: userId, before: before.auditFields, after: nil,
                                             at: now, topic: topic)
            return .success(before)
        }
    }

    // MARK: Sessions

    public func startSession(digest: String, userId: String, csrfToken: String, address: String?, now: Int64, expires: Int64) async throws {
        try await writing { db throws(StoreError) in
            try SessionTable(db: db).insert(digest: digest, userId: userId, csrfToken: csrfToken, address: address, now: now, expires: expires)
            try DealerSignInTable(db: db).count(userId: userId, at: now)
        }
    }

    /// The live session of `digest` with its (active) user.
    public func session(digest: String, now: Int64) async throws(StoreError) -> StoredSession? {
        try await connection.run { db throws(StoreError) in try SessionTable(db: db).session(digest: digest, now: now) }
    }

    /// Records that a session was used and moves its idle expiry.
    public func touchSession(digest: String, now: Int64, expires: Int64) async throws {
        try await writing { db throws(StoreError) in try SessionTable(db: db).touch(digest: digest, now: now, expires: expires) }
    }

    public func endSession(digest: String) async throws {
        try await writing { db throws(StoreError) in try SessionTable(db: db).delete(digest: digest) }
    }

    /// Deletes sessions past their expiry at `now` and failed-sign-in counts last added to before
    /// `failuresBefore` (the throttle has forgotten them); how many of each.
    @discardableResult
    public func sweep(now: Int64, failuresBefore: Int64) async throws -> (sessions: Int, failures: Int) {
        try await writing { db throws(StoreError) in
            (try SessionTable(db: db).deleteExpired(now: now), try SignInFailureTable(db: db).deleteOlder(than: failuresBefore))
        }
    }

    // MARK: Failed sign-ins

    public func signInFailures(_ subjects: [String]) async throws(StoreError) -> [String: SignInFailures] {
        try await connection.run { db throws(StoreError) in try SignInFailureTable(db: db).failures(subjects) }
    }

    public func recordSignInFailure(_ subjects: [String], now: Int64) async throws {
        try await writing { db throws(StoreError) in try SignInFailureTable(db: db).record(subjects, now: now) }
    }

    public func clearSignInFailures(_ subject: String) async throws {
        try await writing { db throws(StoreError) in try SignInFailureTable(db: db).clear(subject) }
    }

    // MARK: Audit

    public func audit(kind: String? = nil, id: String? = nil, before: Int64? = nil, limit: Int = 100) async throws(StoreError) -> [AuditEntry] {
        try await connection.run { db throws(StoreError) in try AuditLogTable(db: db).entries(kind: kind, id: id, before: before, limit: limit) }
    }

    /// A write transaction; a busy database (the core holds SQLite's write lock) is waited out
    /// with the common backoff, never reported as a failure.
    private func writing<R: Sendable>(_ work: @escaping @Sendable (any SQLDatabase) throws(StoreError) -> R) async throws -> R {
        var backoff = BusyBackoff()
        while true {
            do {
                return try await connection.transaction(work)
            } catch {
                guard error.isTransient else { throw error }
                try await Task.sleep(for: backoff.next())
            }
        }
    }
}
