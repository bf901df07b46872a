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

    /// Where the next read of the partition starts once this event is applied.
    var consumed: ConsumedPosition { ConsumedPosition(topic: topic, partition: partition, nextOffset: offset + 1) }
}

/// What applying an event did.
public enum ApplyOutcome: Sendable, Equatable {
    case applied
    /// The event id was applied before: nothing changed.
    case duplicate
    /// It refers to something the store does not know yet (the master record may be on its way,
    /// the order's confirmation may come later): nothing changed; hold it, retry, then dead-letter.
    case unknownReference(String)
    /// It can never apply (it breaks a rule): nothing changed; dead-letter it with this reason.
    case refused(String)
    /// An event this store does not handle.
    case notHandled
}
