/// How far the core has got, read apart from its transactions: where each consumer's next read
/// starts, which events were applied, which wait for what they refer to, and the gaps in its
/// consumed offsets still to be read again.
public struct CoreProgress {
    let db: any SQLDatabase

    /// Where each partition's next read starts, as stored; partitions never seen are absent.
    public func storedOffsets(group: String, topic: String) throws(StoreError) -> [Int32: Int64] {
        try ConsumerOffsetTable(db: db).stored(group: group, topic: topic)
    }

    /// Whether `eventId` was applied.
    public func wasApplied(_ eventId: String) throws(StoreError) -> Bool {
        try AppliedEventTable(db: db).contains(eventId)
    }

    /// The held events (of one subject, or all), oldest first.
    public func heldEvents(subject: String? = nil) throws(StoreError) -> [HeldEvent] {
        try HeldEventTable(db: db).all(subject: subject)
    }

    /// The gaps a consumer of `group` saw on `topics`, seen at or before `seenBy`.
    public func offsetGaps(group: String, topics: Set<String>, seenBy: Int64) throws(StoreError) -> [OffsetGap] {
        try OffsetGapTable(db: db).seen(group: group, topics: topics, seenBy: seenBy)
    }
}
