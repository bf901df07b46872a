import Synchronization

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

/// The outbox table: rows are appended inside a writer's transaction and published in sequence
/// order by the relay, which marks them sent only after the broker acknowledged them.
public final class SQLiteOutbox: Sendable {
    private let connection: Mutex<SQLiteConnectionHolder>

    struct SQLiteConnectionHolder: ~Copyable {
        let connection: SQLiteConnection
    }

    /// Opens its own connection to the database at `path` (migrating it if needed).
    public init(path: String) throws(StoreError) {
        self.connection = Mutex(SQLiteConnectionHolder(connection: try CoreSchema.open(path: path)))
    }

    /// Appends rows in a transaction of `connection` (the caller's, so they commit with its change).
    public static func append(_ rows: [OutboxRow], in connection: SQLiteConnection) throws(StoreError) {
        let insert = try connection.statement("INSERT INTO outbox (topic, message_key, event_id, value) VALUES (?, ?, ?, ?)")
        for row in rows {
            insert.bind(1, row.topic)
            insert.bind(2, row.key)
            insert.bind(3, row.eventId)
            if let value = row.value { insert.bind(4, value) } else { insert.bindNull(4) }
            try insert.run()
        }
    }

    /// Appends rows in a transaction of their own.
    public func append(_ rows: [OutboxRow]) throws(StoreError) {
        try connection.withLock { holder throws(StoreError) in
            try holder.connection.transaction { () throws(StoreError) in try Self.append(rows, in: holder.connection) }
        }
    }

    /// The oldest unsent rows, in sequence order.
    public func unsent(limit: Int) throws(StoreError) -> [OutboxRow] {
        try connection.withLock { holder throws(StoreError) -> [OutboxRow] in
            let select = try holder.connection.statement(
                "SELECT seq, topic, message_key, event_id, value FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?")
            select.bind(1, Int64(limit))
            var rows: [OutboxRow] = []
            while try select.step() {
                rows.append(OutboxRow(sequence: select.int64(0), topic: select.string(1) ?? "", key: select.string(2) ?? "",
                                      eventId: select.string(3) ?? "", value: select.isNull(4) ? nil : select.blob(4)))
            }
            return rows
        }
    }

    /// Marks rows sent (after the broker acknowledged them).
    public func markSent(_ sequences: [Int64]) throws(StoreError) {
        guard !sequences.isEmpty else { return }
        try connection.withLock { holder throws(StoreError) in
            try holder.connection.transaction { () throws(StoreError) in
                let update = try holder.connection.statement(
                    "UPDATE outbox SET sent_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE seq = ? AND sent_at IS NULL")
                for sequence in sequences {
                    update.bind(1, sequence)
                    try update.run()
                }
            }
        }
    }

    /// Rows not yet sent.
    public func unsentCount() throws(StoreError) -> Int {
        try connection.withLock { holder throws(StoreError) -> Int in
            let count = try holder.connection.statement("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
            _ = try count.step()
            let value = Int(count.int64(0))
            _ = try count.step()
            return value
        }
    }
}
