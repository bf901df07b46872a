/// An event kept because it refers to something not known yet; retried until it applies or its
/// time runs out (then it is dead-lettered).
public struct HeldEvent: Sendable, Equatable {
    public var eventId: String
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// The entity it is about (the envelope's subject): held events of a subject are retried as
    /// soon as something about that subject applied.
    public var subject: String
    public var key: [UInt8]?
    public var value: [UInt8]
    public var reason: String
    public var heldAtMilliseconds: Int64
    /// The W3C `traceparent` of the message it came in: the work it does when it applies belongs to that trace.
    public var traceParent: String?

    public init(eventId: String, topic: String, partition: Int32, offset: Int64, subject: String, key: [UInt8]?, value: [UInt8], reason: String,
                heldAtMilliseconds: Int64, traceParent: String? = nil) {
        self.eventId = eventId
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.subject = subject
        self.key = key
        self.value = value
        self.reason = reason
        self.heldAtMilliseconds = heldAtMilliseconds
        self.traceParent = traceParent
    }
}

/// The events held until what they refer to arrives.
public struct HeldEventTable {
    let db: any SQLDatabase

    func insert(_ held: HeldEvent) throws(StoreError) {
        try db.execute("""
            INSERT INTO held_events (event_id, topic, partition, source_offset, subject, message_key, value, reason, held_at_ms, trace_parent)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, .text(held.eventId), .text(held.topic), .integer(Int64(held.partition)), .integer(held.offset), .text(held.subject),
            SQLValue(held.key), .blob(held.value), .text(held.reason), .integer(held.heldAtMilliseconds), SQLValue(held.traceParent))
    }

    /// The held events (of one subject, or all), oldest first.
    public func all(subject: String? = nil) throws(StoreError) -> [HeldEvent] {
        let columns = "SELECT event_id, topic, partition, source_offset, subject, message_key, value, reason, held_at_ms, trace_parent FROM held_events"
        let order = "ORDER BY held_at_ms, topic, partition, source_offset"
        let rows = if let subject {
            try db.query("\(columns) WHERE subject = ? \(order)", .text(subject))
        } else {
            try db.query("\(columns) \(order)")
        }
        return rows.map {
            HeldEvent(eventId: $0.string(0) ?? "", topic: $0.string(1) ?? "", partition: Int32($0.int64(2)), offset: $0.int64(3),
                      subject: $0.string(4) ?? "", key: $0.blob(5), value: $0.blob(6) ?? [], reason: $0.string(7) ?? "",
                      heldAtMilliseconds: $0.int64(8), traceParent: $0.string(9))
        }
    }

    /// Drops a held event.
    public func release(_ eventId: String) throws(StoreError) {
        try db.execute("DELETE FROM held_events WHERE event_id = ?", .text(eventId))
    }
}
