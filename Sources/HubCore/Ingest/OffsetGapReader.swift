import HubStore
import Kafka

/// Reads the offsets of ``OffsetGap``s again, with a consumer of its own that is in no group: it
/// assigns itself each partition from the first gap's start, reads up to the last gap's end, and
/// keeps the messages inside a gap — ones its ingest's consumer was never handed. Between reads
/// it has nothing assigned, so it costs the broker no fetches.
final class OffsetGapReader: Sendable {
    /// What one read found.
    struct Found: Sendable {
        /// The messages inside the gaps, by partition and offset.
        var messages: [KafkaConsumerMessage] = []
        /// The highest offset read, per partition: every gap ending at or before it was read whole.
        var readThrough: [KafkaTopicPartition: Int64] = [:]

        /// Whether the whole of `gap` was read (the message that ends it, or one after, came).
        func covers(_ gap: OffsetGap) -> Bool {
            (readThrough[KafkaTopicPartition(topic: gap.topic, partition: gap.partition)] ?? -1) >= gap.to
        }
    }

    private let consumer: KafkaConsumer

    /// - Parameter configuration: the ingest's consumer's (its brokers, isolation level and fetch
    ///   settings); the reader subscribes to nothing.
    init(like configuration: KafkaConsumerConfiguration) throws(KafkaError) {
        var own = configuration
        own.topics = []
        own.groupID = configuration.groupID + "-gaps"
        consumer = try KafkaConsumer(configuration: own)
    }

    /// Reads `gaps` again, for at most `timeout`; what was read by then is returned.
    func read(_ gaps: [OffsetGap], timeout: Duration) async throws -> Found {
        let byPartition = Dictionary(grouping: gaps) { KafkaTopicPartition(topic: $0.topic, partition: $0.partition) }.mapValues { $0.sorted { $0.from < $1.from } }
        guard !byPartition.isEmpty else { return Found() }
        let ends = byPartition.mapValues { $0.map(\.to).max() ?? 0 }
        try consumer.assign(byPartition.mapValues { KafkaOffset($0.map(\.from).min() ?? 0) })
        defer { try? consumer.assign([:]) }
        let consumer = consumer
        var result = try await withThrowingTaskGroup(of: Found?.self) { tasks in
            tasks.addTask {
                var found = Found()
                var open = Set(ends.keys)
                // Ends when every partition was read to its end, or when the timer cancels it.
                while !open.isEmpty, let batch = try await consumer.nextBatch() {
                    for message in batch {
                        let partition = message.topicPartition
                        found.readThrough[partition] = max(found.readThrough[partition] ?? -1, message.offset)
                        if let gaps = byPartition[partition], Self.gap(in: gaps, containing: message.offset) != nil {
                            found.messages.append(message)
                        }
                    }
                    open = open.filter { (found.readThrough[$0] ?? -1) < ends[$0] ?? 0 }
                }
                return found
            }
            tasks.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            var read = Found()
            while let finished = try await tasks.next() {
                tasks.cancelAll()
                if let finished { read = finished }
            }
            return read
        }
        result.messages.sort { ($0.topic, $0.partition, $0.offset) < ($1.topic, $1.partition, $1.offset) }
        return result
    }

    /// The gap of `gaps` (sorted by start, not overlapping) that holds `offset`, if one does.
    static func gap(in gaps: [OffsetGap], containing offset: Int64) -> OffsetGap? {
        var (low, high) = (0, gaps.count)
        while low < high {
            let middle = (low + high) / 2
            if gaps[middle].from <= offset { low = middle + 1 } else { high = middle }
        }
        guard low > 0, offset < gaps[low - 1].to else { return nil }
        return gaps[low - 1]
    }

    func close() async {
        await consumer.close()
    }
}
