/// The ids of the events the core applied: a repeat (the same id again) changes nothing.
public struct AppliedEventTable {
    let db: any SQLDatabase

    /// Whether `eventId` was applied.
    public func contains(_ eventId: String) throws(StoreError) -> Bool {
        try db.first("SELECT 1 FROM applied_events WHERE event_id = ?", .text(eventId)) != nil
    }

    /// Records `eventId` as applied (so it is a duplicate from now on), read at `source`: also for
    /// the events the core itself publishes and later reads back.
    public func mark(_ eventId: String, source: EventSource) throws(StoreError) {
        try db.execute("INSERT INTO applied_events (event_id, topic, partition, source_offset) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                       .text(eventId), .text(source.topic), .integer(Int64(source.partition)), .integer(source.offset))
    }
}
