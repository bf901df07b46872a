/// Offsets of a partition a consumer was not handed: between two messages it got one after the
/// other (or between where it started and the first it got). Usually nothing is lost there — a
/// transaction's commit marker takes an offset, an aborted transaction's messages are never handed
/// out — but a broker that skips a consumer past messages (the local one does, see
/// `scripts/broker-race`) leaves them there too. Recorded in the transaction that records the
/// offset after the gap, so a crash cannot lose one; read again and dropped by the core.
public struct OffsetGap: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    /// The first offset not handed out.
    public var from: Int64
    /// The offset handed out next: the gap ends before it.
    public var to: Int64
    /// When the consumer saw it (milliseconds since 1970).
    public var seenAtMilliseconds: Int64

    public init(topic: String, partition: Int32, from: Int64, to: Int64, seenAtMilliseconds: Int64) {
        self.topic = topic
        self.partition = partition
        self.from = from
        self.to = to
        self.seenAtMilliseconds = seenAtMilliseconds
    }
}

/// The gaps in consumed offsets, per consumer group, until they are read again.
public struct OffsetGapTable {
    let db: any SQLDatabase

    /// Records gaps a consumer of `group` saw (a gap already recorded stays as it was).
    public func record(_ gaps: [OffsetGap], group: String) throws(StoreError) {
        for gap in gaps {
            try db.execute("""
                INSERT INTO offset_gaps (group_id, topic, partition, from_offset, to_offset, seen_at_ms) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                """, .text(group), .text(gap.topic), .integer(Int64(gap.partition)), .integer(gap.from), .integer(gap.to),
                .integer(gap.seenAtMilliseconds))
        }
    }

    /// Drops gaps of `group` (read again, or given up).
    public func drop(_ gaps: [OffsetGap], group: String) throws(StoreError) {
        for gap in gaps {
            try db.execute("DELETE FROM offset_gaps WHERE group_id = ? AND topic = ? AND partition = ? AND from_offset = ?",
                           .text(group), .text(gap.topic), .integer(Int64(gap.partition)), .integer(gap.from))
        }
    }

    /// The gaps a consumer of `group` saw on these topics, seen at or before `seenBy`, by
    /// partition and offset.
    public func seen(group: String, topics: Set<String>, seenBy: Int64) throws(StoreError) -> [OffsetGap] {
        try db.query("""
            SELECT topic, partition, from_offset, to_offset, seen_at_ms FROM offset_gaps
            WHERE group_id = ? AND seen_at_ms <= ? ORDER BY topic, partition, from_offset
            """, .text(group), .integer(seenBy))
        .map { OffsetGap(topic: $0.string(0) ?? "", partition: Int32($0.int64(1)), from: $0.int64(2), to: $0.int64(3), seenAtMilliseconds: $0.int64(4)) }
        .filter { topics.contains($0.topic) }
    }
}
