/// One partition of one topic.
public struct KafkaTopicPartition: Hashable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)[\(partition)]" }
}

/// A position in a partition: a real offset or one of librdkafka's logical ones.
public struct KafkaOffset: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: Int64

    public init(_ rawValue: Int64) { self.rawValue = rawValue }

    /// The oldest message still in the partition.
    public static let beginning = KafkaOffset(-2)
    /// The next message to be written.
    public static let end = KafkaOffset(-1)
    /// The group's committed offset (or `auto.offset.reset` without one).
    public static let committed = KafkaOffset(-1000)

    public static func < (lhs: KafkaOffset, rhs: KafkaOffset) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .beginning: "beginning"
        case .end: "end"
        case .committed: "committed"
        default: String(rawValue)
        }
    }
}
