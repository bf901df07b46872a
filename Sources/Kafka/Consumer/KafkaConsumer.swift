internal import CRdKafka
public import Logging
public import ServiceLifecycle

/// A consumer-group member over librdkafka.
///
/// Read with ``messages`` (one by one) or ``batches`` (for throughput) from one task. Offsets are
/// committed by the application (``commit(_:mode:)``); a ``KafkaRebalanceListener`` sees partitions
/// before they are revoked and chooses where assigned ones start. Keys, values and headers may be
/// absent or binary: a tombstone is a message with a `nil` value.
public final class KafkaConsumer: Sendable, Service {
    let handle: RdKafkaClient
    private let poller: ConsumerPoller
    private let blocking: BlockingCalls
    public let configuration: KafkaConsumerConfiguration
    public let logger: Logger

    public init(
        configuration: KafkaConsumerConfiguration,
        rebalanceListener: (any KafkaRebalanceListener)? = nil,
        logger: Logger = Logger(label: "lubehub.kafka.consumer")
    ) throws(KafkaError) {
        let coordinator = RebalanceCoordinator(listener: rebalanceListener, logger: logger)
        let callbacks = RdKafkaClient.Callbacks(logger: logger, onRebalance: { rk, err, list in
            coordinator.handle(rk, err, list)
        })
        let client = try RdKafkaClient(kind: .consumer, properties: configuration.librdkafkaProperties, callbacks: callbacks)
        // Route the client's events (errors, rebalances) to the consumer queue the poll thread serves.
        let redirect = rd_kafka_poll_set_consumer(client.handle)
        if redirect != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.rdkafka(.clientCreation, redirect, context: "poll_set_consumer")
        }
        // Without topics it joins no group: a client that only asks what a group has committed.
        if !configuration.topics.isEmpty {
            let topics = configuration.topics.map { (KafkaTopicPartition(topic: $0, partition: -1), KafkaOffset.committed) }
            let subscribed = RdKafkaTopicPartitionList.withList(topics) { rd_kafka_subscribe(client.handle, $0) }
            if subscribed != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError.rdkafka(.consume, subscribed, context: "subscribe to \(configuration.topics)")
            }
        }
        self.handle = client
        self.poller = ConsumerPoller(client: client, maxBatchSize: configuration.maxBatchSize, logger: logger)
        self.blocking = BlockingCalls(label: "consumer")
        self.configuration = configuration
        self.logger = logger
        coordinator.attach(self)
        poller.start()
    }

    deinit {
        // Without an explicit close, leave the group from the poll thread and let it finish.
        let poller = poller
        Task { await poller.close() }
    }

    /// The next batch (at least one message); `nil` once the consumer is closed or the task is cancelled.
    /// - Throws: a fatal ``KafkaError``; non-fatal consume errors are logged and consuming goes on.
    public func nextBatch() async throws(KafkaError) -> [KafkaConsumerMessage]? {
        switch await poller.nextBatch() {
        case .batch(let messages): return messages
        case .finished: return nil
        case .failed(let error): throw error
        }
    }

    /// Batches of messages as they arrive (at most ``KafkaConsumerConfiguration/maxBatchSize`` each).
    public var batches: Batches { Batches(consumer: self) }

    /// Messages one by one (read in batches underneath).
    public var messages: Messages { Messages(consumer: self) }

    public enum CommitMode: Sendable { case sync, async }

    /// Commits, for each partition, the offset of the next message to read.
    /// `sync` returns when the broker stored them; `async` returns at once (failures are logged).
    public func commit(_ offsets: [KafkaTopicPartition: Int64], mode: CommitMode = .sync) async throws(KafkaError) {
        try ensureOpen()
        guard !offsets.isEmpty else { return }
        let entries = offsets.map { ($0.key, KafkaOffset($0.value)) }
        let handle = handle
        switch mode {
        case .async:
            let err = RdKafkaTopicPartitionList.withList(entries) { rd_kafka_commit(handle.handle, $0, 1) }
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.rdkafka(.commit, err, context: "commit") }
        case .sync:
            try await blocking.run { () throws(KafkaError) in
                try RdKafkaTopicPartitionList.withList(entries) { list throws(KafkaError) in
                    let err = rd_kafka_commit(handle.handle, list, 0)
                    if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.rdkafka(.commit, err, context: "commit") }
                    for (partition, _, partitionError) in RdKafkaTopicPartitionList.entries(list) where partitionError != RD_KAFKA_RESP_ERR_NO_ERROR {
                        throw KafkaError.rdkafka(.commit, partitionError, context: "commit \(partition)")
                    }
                }
            }
        }
    }

    /// Commits the position after `message` (it and everything before it in its partition are done).
    public func commit(_ message: KafkaConsumerMessage, mode: CommitMode = .sync) async throws(KafkaError) {
        try await commit([message.topicPartition: message.offset + 1], mode: mode)
    }

    /// The group's committed offsets for these partitions (`nil` where none is committed).
    public func committed(_ partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10)) async throws(KafkaError) -> [KafkaTopicPartition: Int64?] {
        try ensureOpen()
        let (handle, milliseconds) = (handle, Int32(clamping: timeout.milliseconds))
        let entries = partitions.map { ($0, KafkaOffset.committed) }
        return try await blocking.run { () throws(KafkaError) in
            try RdKafkaTopicPartitionList.withList(entries) { list throws(KafkaError) in
                let err = rd_kafka_committed(handle.handle, list, milliseconds)
                if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.rdkafka(.commit, err, context: "committed offsets") }
                var result: [KafkaTopicPartition: Int64?] = [:]
                for (partition, offset, _) in RdKafkaTopicPartitionList.entries(list) {
                    result[partition] = offset.rawValue >= 0 ? offset.rawValue : nil
                }
                return result
            }
        }
    }

    /// The end offset (high watermark) of each partition, asked of its leader.
    public func endOffsets(_ partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10)) async throws(KafkaError) -> [KafkaTopicPartition: Int64] {
        try await watermarks(partitions, timeout: timeout).mapValues(\.high)
    }

    /// The first offset still in each partition (`low`) and its end offset (`high`, the next to
    /// be written), asked of its leader.
    public func watermarks(_ partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10)) async throws(KafkaError) -> [KafkaTopicPartition: (low: Int64, high: Int64)] {
        try ensureOpen()
        let (handle, milliseconds) = (handle, Int32(clamping: timeout.milliseconds))
        return try await blocking.run { () throws(KafkaError) in
            var marks: [KafkaTopicPartition: (low: Int64, high: Int64)] = [:]
            for partition in partitions {
                var low: Int64 = 0
                var high: Int64 = 0
                let err = rd_kafka_query_watermark_offsets(handle.handle, partition.topic, partition.partition, &low, &high, milliseconds)
                if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.rdkafka(.consume, err, context: "watermarks of \(partition)") }
                marks[partition] = (low, high)
            }
            return marks
        }
    }

    /// The partition's end offset as the last fetch response gave it: no request, so cheap enough
    /// to read per batch (consumer lag). `nil` before the first fetch of that partition.
    public func cachedEndOffset(_ partition: KafkaTopicPartition) -> Int64? {
        if poller.isClosed { return nil }
        var low: Int64 = -1
        var high: Int64 = -1
        let err = rd_kafka_get_watermark_offsets(handle.handle, partition.topic, partition.partition, &low, &high)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { return nil }
        return high
    }

    /// The partitions currently assigned to this member.
    public func assignment() throws(KafkaError) -> [KafkaTopicPartition] {
        if poller.isClosed { return [] }
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>? = nil
        let err = rd_kafka_assignment(handle.handle, &list)
        defer { if let list { rd_kafka_topic_partition_list_destroy(list) } }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.rdkafka(.consume, err, context: "assignment") }
        return RdKafkaTopicPartitionList.entries(list).map(\.0)
    }

    /// Reads exactly these partitions from these offsets, replacing what was assigned before; an
    /// empty assignment stops all fetching. Only for a consumer made without topics (it is in no
    /// group, so nothing rebalances its partitions away and nothing it reads is committed).
    public func assign(_ starts: [KafkaTopicPartition: KafkaOffset]) throws(KafkaError) {
        try ensureOpen()
        guard configuration.topics.isEmpty else {
            throw KafkaError(code: .consume, message: "assign on a consumer subscribed to \(configuration.topics): its group assigns its partitions")
        }
        let handle = handle
        let err = starts.isEmpty
            ? rd_kafka_assign(handle.handle, nil)
            : RdKafkaTopicPartitionList.withList(starts.map { ($0.key, $0.value) }) { rd_kafka_assign(handle.handle, $0) }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.rdkafka(.consume, err, context: "assign \(starts.keys.map(\.description).sorted())") }
    }

    /// Stops fetching these partitions until ``resume(_:)``; messages not yet handed out are dropped
    /// by librdkafka and fetched again after resuming.
    public func pause(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        try changePause(partitions, pause: true)
    }

    /// Resumes fetching partitions stopped with ``pause(_:)``.
    public func resume(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        try changePause(partitions, pause: false)
    }

    private func changePause(_ partitions: [KafkaTopicPartition], pause: Bool) throws(KafkaError) {
        try ensureOpen()
        let entries = partitions.map { ($0, KafkaOffset.committed) }
        let handle = handle
        let err = RdKafkaTopicPartitionList.withList(entries) { list in
            pause ? rd_kafka_pause_partitions(handle.handle, list) : rd_kafka_resume_partitions(handle.handle, list)
        }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError.rdkafka(.consume, err, context: pause ? "pause" : "resume") }
    }

    /// Moves the read position of assigned partitions.
    public func seek(_ positions: [KafkaTopicPartition: KafkaOffset], timeout: Duration = .seconds(10)) async throws(KafkaError) {
        try ensureOpen()
        let (handle, milliseconds) = (handle, Int32(clamping: timeout.milliseconds))
        let entries = positions.map { ($0.key, $0.value) }
        try await blocking.run { () throws(KafkaError) in
            try RdKafkaTopicPartitionList.withList(entries) { list throws(KafkaError) in
                if let error = rd_kafka_seek_partitions(handle.handle, list, milliseconds) {
                    throw KafkaError.consuming(error, code: .consume, context: "seek")
                }
                for (partition, _, partitionError) in RdKafkaTopicPartitionList.entries(list) where partitionError != RD_KAFKA_RESP_ERR_NO_ERROR {
                    throw KafkaError.rdkafka(.consume, partitionError, context: "seek \(partition)")
                }
            }
        }
    }

    /// Leaves the group cleanly (the revoke hook runs first) and ends ``messages`` and ``batches``.
    public func close() async {
        await poller.close()
    }

    public var isClosed: Bool { poller.isClosed }

    private func ensureOpen(_ function: String = #function) throws(KafkaError) {
        if poller.isClosed { throw KafkaError(code: .closed, message: "\(function) on a closed consumer") }
    }

    /// The kernel id of the poll thread, for CPU accounting in tests.
    var pollThreadID: Int32 { poller.threadID }

    /// Runs until graceful shutdown, then closes.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}

extension KafkaConsumer {
    public struct Batches: AsyncSequence, Sendable {
        public typealias Element = [KafkaConsumerMessage]
        public typealias Failure = KafkaError
        let consumer: KafkaConsumer

        public struct AsyncIterator: AsyncIteratorProtocol {
            let consumer: KafkaConsumer
            public mutating func next() async throws(KafkaError) -> [KafkaConsumerMessage]? {
                try await consumer.nextBatch()
            }
        }

        public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(consumer: consumer) }
    }

    public struct Messages: AsyncSequence, Sendable {
        public typealias Element = KafkaConsumerMessage
        public typealias Failure = KafkaError
        let consumer: KafkaConsumer

        public struct AsyncIterator: AsyncIteratorProtocol {
            let consumer: KafkaConsumer
            var batch: [KafkaConsumerMessage] = []
            var index = 0

            public mutating func next() async throws(KafkaError) -> KafkaConsumerMessage? {
                while index == batch.count {
                    guard let next = try await consumer.nextBatch() else { return nil }
                    batch = next
                    index = 0
                }
                defer { index += 1 }
                return batch[index]
            }
        }

        public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(consumer: consumer) }
    }
}
