/// The outbox read as a feed: its newest sequence, the keys of the rows after a sequence (who
/// changed), and the order views after a sequence for the dealers a caller may see — what the
/// API's outbox watch and its live streams read.
public struct OutboxFeed {
    let db: any SQLDatabase

    /// The newest outbox sequence (0 for an empty outbox).
    public func newestSequence() throws(StoreError) -> Int64 {
        try db.first("SELECT COALESCE(MAX(seq), 0) FROM outbox")?.int64(0) ?? 0
    }

    /// The sequence and key of the rows after `sequence`, at most `limit`, in order.
    /// Whether a row keyed `key` was written after `sequence`.
    public func hasRow(key: String, after sequence: Int64) throws(StoreError) -> Bool {
        try db.first("SELECT 1 FROM outbox WHERE seq > ? AND message_key = ? LIMIT 1", .integer(sequence), .text(key)) != nil
    }

    public func keys(after sequence: Int64, limit: Int) throws(StoreError) -> [(sequence: Int64, key: String)] {
        try db.query("SELECT seq, message_key FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?", .integer(sequence), .integer(Int64(limit)))
            .map { ($0.int64(0), $0.string(1) ?? "") }
    }

    /// The rows of `topic` after `sequence` (up to `newest`) about orders of dealers `visibility`
    /// lets the caller see: each an order's whole view. At most `limit`, in order.
    public func orderUpdates(after sequence: Int64, upTo newest: Int64, topic: String, visibleTo visibility: DealerVisibility,
                             limit: Int) throws(StoreError) -> [(sequence: Int64, value: String)] {
        let (scopeSQL, scopeBinds) = visibility.condition(on: "r.dealer_id")
        return try db.query("""
            SELECT o.seq, o.value FROM outbox o JOIN orders r ON r.order_id = o.message_key
            WHERE o.seq > ? AND o.seq <= ? AND o.topic = ? AND \(scopeSQL) ORDER BY o.seq LIMIT ?
            """, [.integer(sequence), .integer(newest), .text(topic)] + scopeBinds + [.integer(Int64(limit))]).map {
            ($0.int64(0), String(decoding: $0.blob(1) ?? [], as: UTF8.self))
        }
    }

    /// The things of `kind` changed after `sequence` (up to `newest`) as the core audits them, each in the
    /// transaction that applies the change, keyed `<kind>:<id>`: announcements published or changed,
    /// tier-2 orders' steps (`kind` holds no `%` or `_`). In order, at most `limit`.
    public func auditedChanges(of kind: String, after sequence: Int64, upTo newest: Int64, limit: Int) throws(StoreError) -> [(sequence: Int64, id: String)] {
        let prefix = kind + ":"
        return try db.query("""
            SELECT seq, message_key FROM outbox WHERE seq > ? AND seq <= ? AND message_key LIKE ? ORDER BY seq LIMIT ?
            """, .integer(sequence), .integer(newest), .text(prefix + "%"), .integer(Int64(limit))).compactMap {
            guard let key = $0.string(1), key.hasPrefix(prefix) else { return nil }
            return ($0.int64(0), String(key.dropFirst(prefix.count)))
        }
    }
}
