public import HubStore
public import Kafka

/// Follows the offsets a consumer is handed, partition by partition, and names the ones it was
/// not handed (``OffsetGap``). A partition is followed from where its consumer was told to start
/// (so a gap right after a restart counts) or, without such a start, from its first message.
public struct OffsetGapTracker: Sendable {
    private var next: [KafkaTopicPartition: Int64] = [:]

    public init() {}

    /// Partitions were assigned: each starts at its offset (logical starts — the beginning, the
    /// group's committed offset — follow from the first message instead).
    public mutating func started(_ partitions: [KafkaTopicPartition], at starts: [KafkaTopicPartition: KafkaOffset]) {
        for partition in partitions {
            if let start = starts[partition], start.rawValue >= 0 {
                next[partition] = start.rawValue
            } else {
                next[partition] = nil
            }
        }
    }

    /// Partitions were taken away.
    public mutating func stopped(_ partitions: [KafkaTopicPartition]) {
        for partition in partitions { next[partition] = nil }
    }

    /// The gaps before `messages` (in the order they were handed out), and follows on after them.
    /// A message behind the position (read again after a seek) moves it back without a gap.
    public mutating func gaps(before messages: [KafkaConsumerMessage], seenAtMilliseconds: Int64) -> [OffsetGap] {
        var gaps: [OffsetGap] = []
        for message in messages {
            let partition = message.topicPartition
            if let expected = next[partition], message.offset > expected {
                gaps.append(OffsetGap(topic: message.topic, partition: message.partition, from: expected, to: message.offset,
                                      seenAtMilliseconds: seenAtMilliseconds))
            }
            next[partition] = message.offset + 1
        }
        return gaps
    }
}
