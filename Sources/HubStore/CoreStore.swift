public import HubContracts

/// Where an applied event was read: what the core records in the same transaction as its effect.
public struct EventSource: Sendable, Hashable {
    public var group: String
    public var topic: String
    public var partition: Int32
    public var offset: Int64

    public init(group: String, topic: String, partition: Int32, offset: Int64) {
        self.group = group
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}

/// The core's state store for every event but vehicle positions: each event is applied by a
/// caller-supplied rule inside one transaction that also records the event id (a repeat changes
/// nothing) and the consumed offset, and that holds the outbox rows the rule wrote.
public final class CoreStore: Sendable {
    public let database: SharedDatabase
    /// Told after every batch that committed, for the API's outbox watch in this process.
    public let commits: CommitSignal?

    public init(_ location: DatabaseLocation, commits: CommitSignal? = nil) throws(StoreError) {
        self.database = try SharedDatabase(location)
        self.commits = commits
    }

    /// Applies the event `eventId` read at `source`: `rule` runs inside the transaction and says
    /// what it did. Anything but `.applied` rolls back whatever `rule` wrote; `.applied` and
    /// `.duplicate` record the offset (the consumer moves on); `.unknownReference`, `.refused` and
    /// `.notHandled` leave that to the caller (hold, or dead-letter then ``skip(_:)``). When
    /// `releasing` names a held event, it is released in the same transaction once it applied.
    public func apply(eventId: String, source: EventSource, releasing heldId: String? = nil,
                      rule: (any SQLDatabase) throws(StoreError) -> ApplyOutcome) throws(StoreError) -> ApplyOutcome {
        try batch { batch throws(StoreError) in try batch.apply(eventId: eventId, source: source, releasing: heldId, rule: rule) }
    }

    /// Runs `body` with the store's operations in one transaction: everything it applied, held,
    /// released and skipped commits together, or nothing does.
    public func batch<R>(_ body: (CoreBatch) throws(StoreError) -> R) throws(StoreError) -> R {
        let result = try database.transaction { db throws(StoreError) -> R in try body(CoreBatch(db, shared: database)) }
        commits?.notify()
        return result
    }

    /// Records an event id as applied (so it is a duplicate from now on): for the events the core
    /// itself publishes and later reads back.
    public static func markApplied(_ eventId: String, source: EventSource, in db: any SQLDatabase) throws(StoreError) {
        try db.execute("INSERT INTO applied_events (event_id, topic, partition, source_offset) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                       .text(eventId), .text(source.topic), .integer(Int64(source.partition)), .integer(source.offset))
    }

    /// Records a consumed offset without applying anything (after the event was dead-lettered).
    public func skip(_ source: EventSource) throws(StoreError) {
        try batch { batch throws(StoreError) in try batch.skip(source) }
    }

    /// Keeps an event whose reference is unknown, and records its offset as consumed, in one
    /// transaction: the consumer moves on and the event is not lost.
    public func hold(_ held: HeldEvent, group: String) throws(StoreError) {
        try batch { batch throws(StoreError) in try batch.hold(held, group: group) }
    }

    /// The held events (of one subject, or all), oldest first.
    public func heldEvents(subject: String? = nil) throws(StoreError) -> [HeldEvent] {
        try database.with { db throws(StoreError) in try CoreBatch(db).heldEvents(subject: subject) }
    }

    /// Drops a held event (after it was dead-lettered).
    public func release(_ eventId: String) throws(StoreError) {
        try batch { batch throws(StoreError) in try batch.release(eventId) }
    }

    /// Where each partition's next read starts, as applied or held; partitions never seen are absent.
    public func storedOffsets(group: String, topic: String) throws(StoreError) -> [Int32: Int64] {
        try database.with { db throws(StoreError) in try ConsumerOffsets.stored(group: group, topic: topic, in: db) }
    }

    /// Whether an event id was applied.
    public func wasApplied(_ eventId: String) throws(StoreError) -> Bool {
        try database.with { db throws(StoreError) in try db.first("SELECT 1 FROM applied_events WHERE event_id = ?", .text(eventId)) != nil }
    }

    /// Runs a read (or a maintenance write) with the connection.
    public func read<R>(_ body: (any SQLDatabase) throws(StoreError) -> R) throws(StoreError) -> R {
        try database.with(body)
    }
}
