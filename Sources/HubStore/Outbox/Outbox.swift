import Foundation

/// The publishing side of the outbox: events the core must publish, written in the same
/// transaction as the change they announce (``OutboxTable``), published by the outbox relay in
/// sequence order and marked sent only after the broker's ack.
public final class Outbox: Sendable {
    let connection: StoreConnection

    public init(_ location: DatabaseLocation) throws(StoreError) {
        connection = try StoreConnection(location, label: "outbox")
    }

    /// On the core store's connection (its queue and its transactions).
    public init(sharing store: CoreStore) {
        connection = store.connection
    }

    /// Runs `body` on the outbox connection's queue (its task executor preference,
    /// ``StoreExecutor``): the store calls it makes start without crossing threads. For a loop
    /// that does little but store work and waits (the relay); its code between calls holds the
    /// queue, so nothing CPU-heavy belongs in it.
    public func onConnectionQueue<R, Failure: Error>(_ body: () async throws(Failure) -> R) async throws(Failure) -> R {
        try await withTaskExecutorPreference(connection.executor, operation: body)
    }

    /// Appends rows in a transaction of their own.
    public func append(_ rows: [OutboxRow]) async throws(StoreError) {
        try await connection.transaction { db throws(StoreError) in try OutboxTable(db: db).append(rows) }
    }

    /// The oldest unsent rows, in sequence order.
    public func unsent(limit: Int) async throws(StoreError) -> [OutboxRow] {
        try await connection.run { db throws(StoreError) in
            try db.query("SELECT seq, topic, message_key, event_id, value, trace_parent FROM outbox WHERE sent_at_ms IS NULL ORDER BY seq LIMIT ?",
                         .integer(Int64(limit)))
                .map { OutboxRow(sequence: $0.int64(0), topic: $0.string(1) ?? "", key: $0.string(2) ?? "", eventId: $0.string(3) ?? "",
                                 value: $0.blob(4), traceParent: $0.string(5)) }
        }
    }

    /// Marks rows sent (after the broker acknowledged them).
    public func markSent(_ sequences: [Int64]) async throws(StoreError) {
        guard !sequences.isEmpty else { return }
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        try await connection.transaction { db throws(StoreError) in
            for sequence in sequences {
                try db.execute("UPDATE outbox SET sent_at_ms = ? WHERE seq = ? AND sent_at_ms IS NULL", .integer(now), .integer(sequence))
            }
        }
    }

    /// Whether this process may relay the outbox now: always on SQLite (one process owns the
    /// file); on PostgreSQL the holder of a session-level advisory lock, which a crashed relay's
    /// connection gives up when it closes.
    public func claimRelay() async throws(StoreError) -> Bool {
        try await connection.run { db throws(StoreError) -> Bool in
            guard db.dialect == .postgresql else { return true }
            // Taking it again in the same session succeeds at once (and nests; one unlock is never needed).
            return try db.first("SELECT pg_try_advisory_lock(?)", .integer(Self.relayLockKey))?.int(0) == 1
        }
    }

    static let relayLockKey: Int64 = 0x4C55_4245_4F42  // "LUBEOB"
    static let commitOrderLockKey: Int64 = 0x4C55_4245_4F43  // "LUBEOC"

    /// Rows not yet sent.
    public func unsentCount() async throws(StoreError) -> Int {
        try await connection.run { db throws(StoreError) in try db.first("SELECT COUNT(*) FROM outbox WHERE sent_at_ms IS NULL")?.int(0) ?? 0 }
    }
}
