import Foundation

/// An event waiting to be published, written in the same transaction as the state change behind it.
public struct OutboxRow: Sendable, Equatable {
    public var sequence: Int64
    public var topic: String
    public var key: String
    /// The event's stable id: a republished row carries the same id, so subscribers drop repeats.
    public var eventId: String
    /// `nil` publishes a tombstone.
    public var value: [UInt8]?

    public init(sequence: Int64 = 0, topic: String, key: String, eventId: String, value: [UInt8]?) {
        self.sequence = sequence
        self.topic = topic
        self.key = key
        self.eventId = eventId
        self.value = value
    }
}

/// Events the core must publish, written in the same transaction as the change they announce and
/// published by the ``OutboxRelay`` in sequence order; marked sent only after the broker's ack.
public final class Outbox: Sendable {
    public let database: SharedDatabase

    public init(_ location: DatabaseLocation) throws(StoreError) {
        self.database = try SharedDatabase(location)
    }

    public init(sharing database: SharedDatabase) {
        self.database = database
    }

    /// Appends rows inside a writer's transaction.
    ///
    /// On PostgreSQL several processes may write the outbox at once, and a row's sequence is taken
    /// when it is inserted, not when its transaction commits: without more, sequence 11 could be
    /// visible while 10 is still to commit, and a reader that follows the sequence (the API's live
    /// streams) would pass 10 by. So a writer first takes a transaction-scoped advisory lock, held
    /// until it commits: sequences are then handed out in commit order, and a visible row means
    /// every lower one is visible too. (SQLite has one writer at a time already.)
    public static func append(_ rows: [OutboxRow], in db: any SQLDatabase) throws(StoreError) {
        guard !rows.isEmpty else { return }
        if db.dialect == .postgresql { _ = try db.query("SELECT pg_advisory_xact_lock(?)", .integer(commitOrderLockKey)) }
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        for row in rows {
            try db.execute("INSERT INTO outbox (topic, message_key, event_id, value, created_at_ms) VALUES (?, ?, ?, ?, ?)",
                           .text(row.topic), .text(row.key), .text(row.eventId), SQLValue(row.value), .integer(now))
        }
    }

    /// Appends rows in a transaction of their own.
    public func append(_ rows: [OutboxRow]) throws(StoreError) {
        try database.transaction { db throws(StoreError) in try Self.append(rows, in: db) }
    }

    /// The oldest unsent rows, in sequence order.
    public func unsent(limit: Int) throws(StoreError) -> [OutboxRow] {
        try database.with { db throws(StoreError) in
            try db.query("SELECT seq, topic, message_key, event_id, value FROM outbox WHERE sent_at_ms IS NULL ORDER BY seq LIMIT ?", .integer(Int64(limit)))
                .map { OutboxRow(sequence: $0.int64(0), topic: $0.string(1) ?? "", key: $0.string(2) ?? "", eventId: $0.string(3) ?? "", value: $0.blob(4)) }
        }
    }

    /// Marks rows sent (after the broker acknowledged them).
    public func markSent(_ sequences: [Int64]) throws(StoreError) {
        guard !sequences.isEmpty else { return }
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        try database.transaction { db throws(StoreError) in
            for sequence in sequences {
                try db.execute("UPDATE outbox SET sent_at_ms = ? WHERE seq = ? AND sent_at_ms IS NULL", .integer(now), .integer(sequence))
            }
        }
    }

    /// Whether this process may relay the outbox now: always on SQLite (one process owns the
    /// file); on PostgreSQL the holder of a session-level advisory lock, which a crashed relay's
    /// connection gives up when it closes.
    public func claimRelay() throws(StoreError) -> Bool {
        try database.with { db throws(StoreError) -> Bool in
            guard db.dialect == .postgresql else { return true }
            // Taking it again in the same session succeeds at once (and nests; one unlock is never needed).
            return try db.first("SELECT pg_try_advisory_lock(?)", .integer(Self.relayLockKey))?.int(0) == 1
        }
    }

    static let relayLockKey: Int64 = 0x4C55_4245_4F42  // "LUBEOB"
    static let commitOrderLockKey: Int64 = 0x4C55_4245_4F43  // "LUBEOC"

    /// Rows not yet sent.
    public func unsentCount() throws(StoreError) -> Int {
        try database.with { db throws(StoreError) in try db.first("SELECT COUNT(*) FROM outbox WHERE sent_at_ms IS NULL")?.int(0) ?? 0 }
    }
}
