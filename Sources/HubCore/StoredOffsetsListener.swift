import Kafka
import Logging

/// Starts each assigned partition where the store says the last applied batch ended, and lets
/// the write in flight finish before partitions are given up.
struct StoredOffsetsListener: KafkaRebalanceListener {
    let stored: @Sendable (_ group: String, _ topic: String) throws -> [Int32: Int64]
    let group: String
    /// The writes to finish before partitions go; `nil` when writes are not pipelined.
    let pipeline: WritePipeline?
    let logger: Logger

    func partitionsAssigned(_ partitions: [KafkaTopicPartition], consumer: KafkaConsumer) async -> [KafkaTopicPartition: KafkaOffset] {
        var starts: [KafkaTopicPartition: KafkaOffset] = [:]
        for topic in Set(partitions.map(\.topic)) {
            do {
                let stored = try self.stored(group, topic)
                for partition in partitions where partition.topic == topic {
                    if let next = stored[partition.partition] { starts[partition] = KafkaOffset(next) }
                }
            } catch {
                logger.error("cannot read stored offsets; starting from the group's committed offsets", metadata: ["error": "\(error)"])
            }
        }
        logger.info("partitions assigned", metadata: [
            "group": "\(group)", "count": "\(partitions.count)",
            "partitions": "\(partitions.map { "\($0.topic)/\($0.partition)@\(starts[$0].map { "\($0)" } ?? "committed")" }.sorted().joined(separator: ","))",
        ])
        return starts
    }

    func partitionsRevoked(_ partitions: [KafkaTopicPartition], lost: Bool, consumer: KafkaConsumer) async {
        logger.info("partitions revoked", metadata: ["group": "\(group)", "count": "\(partitions.count)", "lost": "\(lost)"])
        guard let pipeline else { return }
        do {
            try await pipeline.drain()
        } catch {
            logger.error("the last write before a rebalance failed; its batch will be read again", metadata: ["error": "\(error)"])
        }
    }
}
