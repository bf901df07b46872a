public import HubContracts

/// The core store's operations inside one open transaction: several events applied, held or
/// released together and committed at once (``CoreStore/batch(_:)``), so a busy core pays for one
/// commit per fetched batch rather than one per event. Valid only inside the call that made it.
public struct CoreBatch {
    let db: any SQLDatabase
    private let shared: SharedDatabase?

    init(_ db: any SQLDatabase, shared: SharedDatabase? = nil) {
        self.db = db
        self.shared = shared
    }

    /// Whether another caller waits for the store's connection while this transaction holds it.
    public var othersWaiting: Bool { shared?.othersWaiting ?? false }

    /// Applies the event `eventId` read at `source` (see ``CoreStore/apply(eventId:source:releasing:rule:)``).
    public func apply(eventId: String, source: EventSource, releasing heldId: String? = nil,
                      rule: (any SQLDatabase) throws(StoreError) -> ApplyOutcome) throws(StoreError) -> ApplyOutcome {
        let consumed = [ConsumedPosition(topic: source.topic, partition: source.partition, nextOffset: source.offset + 1)]
        if try db.first("SELECT 1 FROM applied_events WHERE event_id = ?", .text(eventId)) != nil {
            try ConsumerOffsets.record(consumed, group: source.group, in: db)
            if let heldId { try release(heldId) }
            return .duplicate
        }
        try db.executeScript("SAVEPOINT rule")
        let outcome = try rule(db)
        switch outcome {
        case .applied:
            try db.executeScript("RELEASE SAVEPOINT rule")
            try CoreStore.markApplied(eventId, source: source, in: db)
            if let heldId { try release(heldId) }
            try ConsumerOffsets.record(consumed, group: source.group, in: db)
        case .duplicate:
            try db.executeScript("ROLLBACK TO SAVEPOINT rule")
            try db.executeScript("RELEASE SAVEPOINT rule")
            try ConsumerOffsets.record(consumed, group: source.group, in: db)
        case .notHandled, .unknownReference, .refused:
            try db.executeScript("ROLLBACK TO SAVEPOINT rule")
            try db.executeScript("RELEASE SAVEPOINT rule")
        }
        return outcome
    }

    /// Keeps an event whose reference is unknown and records its offset as consumed.
    public func hold(_ held: HeldEvent, group: String) throws(StoreError) {
        try db.execute("""
            INSERT INTO held_events (event_id, topic, partition, source_offset, subject, message_key, value, reason, held_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, .text(held.eventId), .text(held.topic), .integer(Int64(held.partition)), .integer(held.offset), .text(held.subject),
            SQLValue(held.key), .blob(held.value), .text(held.reason), .integer(held.heldAtMilliseconds))
        try ConsumerOffsets.record([ConsumedPosition(topic: held.topic, partition: held.partition, nextOffset: held.offset + 1)], group: group, in: db)
    }

    /// The held events (of one subject, or all), oldest first.
    public func heldEvents(subject: String? = nil) throws(StoreError) -> [HeldEvent] {
        let columns = "SELECT event_id, topic, partition, source_offset, subject, message_key, value, reason, held_at_ms FROM held_events"
        let order = "ORDER BY held_at_ms, topic, partition, source_offset"
        let rows = if let subject {
            try db.query("\(columns) WHERE subject = ? \(order)", .text(subject))
        } else {
            try db.query("\(columns) \(order)")
        }
        return rows.map {
            HeldEvent(eventId: $0.string(0) ?? "", topic: $0.string(1) ?? "", partition: Int32($0.int64(2)), offset: $0.int64(3),
                      subject: $0.string(4) ?? "", key: $0.blob(5), value: $0.blob(6) ?? [], reason: $0.string(7) ?? "",
                      heldAtMilliseconds: $0.int64(8))
        }
    }

    /// Drops a held event.
    public func release(_ eventId: String) throws(StoreError) {
        try db.execute("DELETE FROM held_events WHERE event_id = ?", .text(eventId))
    }

    /// Records a consumed offset without applying anything.
    public func skip(_ source: EventSource) throws(StoreError) {
        try ConsumerOffsets.record([ConsumedPosition(topic: source.topic, partition: source.partition, nextOffset: source.offset + 1)],
                                   group: source.group, in: db)
    }
}
