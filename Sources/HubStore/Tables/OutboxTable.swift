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
    /// The W3C `traceparent` the message carries: the trace of the work that wrote the row.
    public var traceParent: String?

    public init(sequence: Int64 = 0, topic: String, key: String, eventId: String, value: [UInt8]?, traceParent: String? = nil) {
        self.sequence = sequence
        self.topic = topic
        self.key = key
        self.eventId = eventId
        self.value = value
        self.traceParent = traceParent
    }
}

/// The outbox inside a writer's transaction: rows appended with the change they announce.
public struct OutboxTable {
    let db: any SQLDatabase

    /// Appends rows.
    ///
    /// On PostgreSQL several processes may write the outbox at once, and a row's sequence is taken
    /// when it is inserted, not when its transaction commits: without more, sequence 11 could be
    /// visible while 10 is still to commit, and a reader that follows the sequence (the API's live
    /// streams) would pass 10 by. So a writer first takes a transaction-scoped advisory lock, held
    /// until it commits: sequences are then handed out in commit order, and a visible row means
    /// every lower one is visible too. (SQLite has one writer at a time already.)
    public func append(_ rows: [OutboxRow]) throws(StoreError) {
        guard !rows.isEmpty else { return }
        if db.dialect == .postgresql { _ = try db.query("SELECT pg_advisory_xact_lock(?)", .integer(Outbox.commitOrderLockKey)) }
        let now = Int64((Date().timeIntervalSince1970 * 1000).rounded())
        for row in rows {
            try db.execute("INSERT INTO outbox (topic, message_key, event_id, value, created_at_ms, trace_parent) VALUES (?, ?, ?, ?, ?, ?)",
                           .text(row.topic), .text(row.key), .text(row.eventId), SQLValue(row.value), .integer(now), SQLValue(row.traceParent))
        }
    }
}
