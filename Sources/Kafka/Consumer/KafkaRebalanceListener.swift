/// Hooks into a consumer group's rebalances. Both run on the consumer's poll thread's behalf while
/// the rebalance waits for them: no message of a revoked partition is handed out after
/// ``partitionsRevoked(_:lost:consumer:)`` starts, and fetching of an assigned partition starts only
/// after ``partitionsAssigned(_:consumer:)`` returned.
public protocol KafkaRebalanceListener: Sendable {
    /// Partitions were assigned to this member. Return where to start reading any of them
    /// (for example offsets stored in the application's own database); partitions left out start
    /// at the group's committed offset.
    func partitionsAssigned(_ partitions: [KafkaTopicPartition], consumer: KafkaConsumer) async -> [KafkaTopicPartition: KafkaOffset]

    /// Partitions are about to be taken away. Finish in-flight work and commit now: another member
    /// will read them next. `lost` means the group already gave them away (session timed out), so a
    /// commit will fail and another member may already be reading them.
    func partitionsRevoked(_ partitions: [KafkaTopicPartition], lost: Bool, consumer: KafkaConsumer) async
}

extension KafkaRebalanceListener {
    public func partitionsAssigned(_ partitions: [KafkaTopicPartition], consumer: KafkaConsumer) async -> [KafkaTopicPartition: KafkaOffset] { [:] }
    public func partitionsRevoked(_ partitions: [KafkaTopicPartition], lost: Bool, consumer: KafkaConsumer) async {}
}
