import Kafka
import Logging

/// Starts each assigned partition where the store says the last applied batch ended, and lets
/// the write in flight finish before partitions are given up.
struct StoredOffsetsListener: KafkaRebalanceListener {
    let stored: @Sendable (_ group: String, _ topic: String) async throws -> [Int32: Int64]
    let group: String
    /// The writes to finish before partitions go; `nil` when writes are not pipelined.
    let pipeline: WritePipeline?
    let logger: Logger
    /// Told where the assigned partitions start (before any of their messages is handed out).
    var started: (@Sendable (_ partitions: [KafkaTopicPartition], _ starts: [KafkaTopicPartition: KafkaOffset]) -> Void)? = nil
    /// Told which partitions go (after the write in flight finished).
    var stopped: (@Sendable (_ partitions: [KafkaTopicPartition]) -> Void)? = nil

    func partitionsAssigned(_ partitions: [KafkaTopicPartition], consumer: KafkaConsumer) async -> [KafkaTopicPartition: KafkaOffset] {
        var starts: [KafkaTopicPartition: KafkaOffset] = [:]
        for topic in Set(partitions.map(\.topic)) {
            do {
                let stored = try await self.stored(group, topic)
                for partition in partitions where partition.topic == topic {
                    if let next = stored[partition.partition] { starts[partition] = KafkaOffset(next) }
                }
            } catch {
                logger.error("cannot read stored offsets; starting from the group's committed offsets", metadata: ["error": "\(error)"])
            }
        }
        await startOverWhereTheLogIsShorter(&starts, consumer: consumer)
        if let started { started(partitions, await concrete(starts, of: partitions, consumer: consumer)) }
        logger.info("partitions assigned", metadata: [
            "group": "\(group)", "count": "\(partitions.count)",
            "partitions": "\(Self.summary(partitions, starts: starts))",
        ])
        return starts
    }

    /// `topic: 0@120 1@committed …` per topic, partitions in order.
    static func summary(_ partitions: [KafkaTopicPartition], starts: [KafkaTopicPartition: KafkaOffset]) -> String {
        Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }.map { topic, parts in
            "\(topic): " + parts.sorted { $0.partition < $1.partition }
                .map { "\($0.partition)@\(starts[$0].map { "\($0.rawValue)" } ?? "committed")" }.joined(separator: " ")
        }.joined(separator: "; ")
    }

    /// A stored offset beyond the end of its partition means the log was recreated (a broker with
    /// memory storage restarted, a topic deleted and created again): reading from the stored
    /// offset would skip everything written since. Such partitions start from the beginning; what
    /// was applied before is recognised by its event id and changes nothing.
    private func startOverWhereTheLogIsShorter(_ starts: inout [KafkaTopicPartition: KafkaOffset], consumer: KafkaConsumer) async {
        guard !starts.isEmpty else { return }
        do {
            let ends = try await consumer.endOffsets(Array(starts.keys), timeout: .seconds(5))
            for (partition, start) in starts where start.rawValue > ends[partition] ?? Int64.max {
                logger.warning("stored offset is beyond the end of the log (was the topic recreated?): reading it from the beginning", metadata: [
                    "partition": "\(partition)", "stored": "\(start)", "end": "\(ends[partition] ?? -1)",
                ])
                starts[partition] = .beginning
            }
        } catch {
            logger.warning("cannot read the partitions' end offsets; starting at the stored offsets", metadata: ["error": "\(error)"])
        }
    }

    /// The starts with the partitions that start at the beginning, or at the group's committed
    /// offset, at the first offset still in the partition: the core records its offsets in its
    /// database, never in the group, so a committed start is `auto.offset.reset`'s earliest. Left
    /// logical when the broker does not say.
    private func concrete(_ starts: [KafkaTopicPartition: KafkaOffset], of partitions: [KafkaTopicPartition],
                          consumer: KafkaConsumer) async -> [KafkaTopicPartition: KafkaOffset] {
        let logical = partitions.filter { (starts[$0]?.rawValue ?? -1) < 0 }
        guard !logical.isEmpty else { return starts }
        do {
            var concrete = starts
            for (partition, marks) in try await consumer.watermarks(logical, timeout: .seconds(5)) { concrete[partition] = KafkaOffset(marks.low) }
            return concrete
        } catch {
            logger.warning("cannot read where the partitions begin; offsets skipped before the first message are not looked for", metadata: ["error": "\(error)"])
            return starts
        }
    }

    func partitionsRevoked(_ partitions: [KafkaTopicPartition], lost: Bool, consumer: KafkaConsumer) async {
        logger.info("partitions revoked", metadata: ["group": "\(group)", "count": "\(partitions.count)", "lost": "\(lost)"])
        defer { stopped?(partitions) }
        guard let pipeline else { return }
        do {
            try await pipeline.drain()
        } catch {
            logger.error("the last write before a rebalance failed; its batch will be read again", metadata: ["error": "\(error)"])
        }
    }
}
