import Foundation
import HubContracts
import HubMessaging
public import Kafka
public import Logging
public import ServiceLifecycle
import Synchronization

/// Runs any ``AdapterMapping``: consumes its raw topics in a consumer group (`read_committed`),
/// maps each message, and produces the canonical events, the dead letters and the consumed offsets
/// in one Kafka transaction per batch — a `read_committed` reader downstream sees each input's
/// output exactly once, even when the worker is killed mid-batch. Messages are handled in order,
/// so per-partition order holds. A failed transaction is aborted and the batch read again from the
/// committed offsets; the deterministic event ids make any repeat recognisable. What an input
/// becomes continues the input's trace (`traceparent`) when it carries one.
public final class AdapterWorker: Service, Sendable {
    public struct Configuration: Sendable {
        public var client: KafkaClientConfiguration
        /// Distinguishes this worker's transactional id from other instances of the same adapter.
        public var instance: String
        public var maxBatchSize: Int
        public var fetchWaitMax: Duration
        /// Put before every topic the worker reads and writes (the mapping sees the catalogue's
        /// names): several copies of the hub on one cluster, or a test's own topics.
        public var topicPrefix: String

        public init(client: KafkaClientConfiguration, instance: String = "0", maxBatchSize: Int = 10_000, fetchWaitMax: Duration = .milliseconds(10),
                    topicPrefix: String = "") {
            self.client = client
            self.instance = instance
            self.topicPrefix = topicPrefix
            self.maxBatchSize = maxBatchSize
            self.fetchWaitMax = fetchWaitMax
        }
    }

    /// What the worker did so far (committed transactions only).
    public struct Counters: Sendable, Equatable {
        public var received = 0
        public var produced = 0
        public var deadLettered = 0
        public var skipped = 0
        public var transactions = 0
        public var aborted = 0
        /// Where the time went: mapping, handing messages to the producer, committing transactions.
        public var mapping = Duration.zero
        public var producing = Duration.zero
        public var committing = Duration.zero
    }

    public let mapping: any AdapterMapping
    private let configuration: Configuration
    /// Awaited before the first message is read (the JT/T 808 worker waits for its terminal registry).
    private let ready: (@Sendable () async -> Void)?
    private let logger: Logger
    private let counters = Mutex(Counters())
    private let metrics: AdapterMetrics
    private let running = Mutex<KafkaConsumer?>(nil)
    /// Inputs the mapping holds, per partition, as of the last committed transaction.
    private let pending = Mutex<[KafkaTopicPartition: PendingInputs]>([:])
    private let assignments = AssignmentTracker()

    public init(mapping: any AdapterMapping, configuration: Configuration, ready: (@Sendable () async -> Void)? = nil, logger: Logger? = nil,
                metrics: AdapterMetrics? = nil) {
        self.mapping = mapping
        self.configuration = configuration
        self.ready = ready
        self.logger = logger ?? Logger(label: "lubehub.adapter.\(mapping.name)")
        self.metrics = metrics ?? AdapterMetrics(adapter: mapping.name)
    }

    public var currentCounters: Counters { counters.withLock { $0 } }

    /// The consumer group of this adapter's workers.
    public var groupID: String { Self.groupID(mapping: mapping.name) }

    /// The consumer group of the worker of a mapping.
    public static func groupID(mapping name: String) -> String { "lubehub-adapter-\(name)" }

    /// Consumes and maps until `shouldStop` holds (checked after each committed batch) or the consumer closes.
    public func run(shouldStop: @escaping @Sendable (Counters) -> Bool) async throws -> Counters {
        if let ready {
            await cancelWhenGracefulShutdown { await ready() }
            if Task.isShuttingDownGracefully || Task.isCancelled { return currentCounters }
        }
        let producer = try KafkaProducer(configuration: .init(
            client: configuration.client, linger: .milliseconds(5),
            transactionalID: "\(groupID)-\(configuration.instance)"))
        try await producer.initTransactions()
        let consumer = try KafkaConsumer(configuration: .init(
            client: configuration.client, groupID: groupID, topics: mapping.inputTopics.map { configuration.topicPrefix + $0 }, sessionTimeout: .seconds(6),
            autoOffsetReset: .earliest, isolationLevel: .readCommitted, autoCommit: false,
            fetchWaitMax: configuration.fetchWaitMax, maxBatchSize: configuration.maxBatchSize), rebalanceListener: assignments, logger: logger)
        running.withLock { $0 = consumer }
        defer { running.withLock { $0 = nil } }
        do {
            for try await batch in consumer.batches {
                try await process(batch, producer: producer, consumer: consumer)
                if shouldStop(currentCounters) { break }
            }
        } catch {
            await consumer.close()
            try? await producer.shutdown()
            throw error
        }
        await consumer.close()
        try await producer.shutdown()
        return currentCounters
    }

    /// Runs until graceful shutdown (the batch in hand is finished and committed first).
    public func run() async throws {
        try await withGracefulShutdownHandler {
            _ = try await self.run(shouldStop: { _ in false })
        } onGracefulShutdown: {
            if let consumer = self.running.withLock({ $0 }) { Task { await consumer.close() } }
        }
    }

    private func process(_ batch: [KafkaConsumerMessage], producer: KafkaProducer, consumer: KafkaConsumer) async throws {
        guard !batch.isEmpty else { return }
        var attempt = 0
        let clock = ContinuousClock()
        // A partition (re)assigned is read again from its committed offset: what was held for it is
        // rebuilt from there.
        let reassigned = assignments.takeAssigned()
        pending.withLock { state in for partition in reassigned { state[partition] = nil } }
        while true {
            attempt += 1
            let start = clock.now
            do {
                var held = pending.withLock { $0 }
                let done = try await transact(batch, held: &held, producer: producer, consumer: consumer)
                pending.withLock { $0 = held }
                metrics.committed(received: batch.count, produced: done.produced, deadLettered: done.deadLettered, skipped: done.skipped,
                                  duration: clock.now - start)
                for (partition, next) in done.next {
                    if let end = consumer.cachedEndOffset(partition) { metrics.lag(partition, messages: end - next) }
                }
                counters.withLock {
                    $0.received += batch.count
                    $0.produced += done.produced
                    $0.deadLettered += done.deadLettered
                    $0.skipped += done.skipped
                    $0.transactions += 1
                    $0.mapping += done.mapping
                    $0.producing += done.producing
                    $0.committing += done.committing
                }
                return
            } catch {
                counters.withLock { $0.aborted += 1 }
                metrics.aborted(duration: clock.now - start)
                logger.warning("transaction failed; aborting and trying the batch again", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                try? await producer.abortTransaction()
                guard attempt < 5 else { throw error }
                try await Task.sleep(for: .milliseconds(100 * attempt))
            }
        }
    }

    /// One partition's share of a batch, mapped in order with the inputs it holds.
    private struct MappedPartition: Sendable {
        var partition: KafkaTopicPartition
        var items: [(message: KafkaConsumerMessage, result: MappingResult)]
        var held: PendingInputs
    }

    /// Maps a batch, its partitions side by side (each one's messages in order): mapping is pure
    /// CPU work, and partitions share nothing.
    private func map(_ batch: [KafkaConsumerMessage], held: [KafkaTopicPartition: PendingInputs]) async -> [MappedPartition] {
        var seen: [KafkaTopicPartition] = []
        var grouped: [[KafkaConsumerMessage]] = []
        var position: [KafkaTopicPartition: Int] = [:]
        for message in batch {
            let partition = message.topicPartition
            if let index = position[partition] {
                grouped[index].append(message)
            } else {
                position[partition] = seen.count
                seen.append(partition)
                grouped.append([message])
            }
        }
        let (mapping, order, messages, prefix) = (self.mapping, seen, grouped, configuration.topicPrefix)
        @Sendable func mapPartition(_ index: Int) -> MappedPartition {
            var state = held[order[index]] ?? PendingInputs()
            let items = messages[index].map { message in
                var record = RawRecord(message)
                record.topic = String(record.topic.dropFirst(prefix.count))
                return (message, mapping.map(record, pending: &state))
            }
            return MappedPartition(partition: order[index], items: items, held: state)
        }
        if order.count == 1 { return [mapPartition(0)] }
        return await withTaskGroup(of: (Int, MappedPartition).self) { group in
            for index in order.indices { group.addTask { (index, mapPartition(index)) } }
            var mapped: [(Int, MappedPartition)] = []
            for await result in group { mapped.append(result) }
            return mapped.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    private func transact(_ batch: [KafkaConsumerMessage], held: inout [KafkaTopicPartition: PendingInputs], producer: KafkaProducer,
                          consumer: KafkaConsumer) async throws
        -> (produced: Int, deadLettered: Int, skipped: Int, mapping: Duration, producing: Duration, committing: Duration, next: [KafkaTopicPartition: Int64]) {
        let clock = ContinuousClock()
        let mapStart = clock.now
        let partitions = await map(batch, held: held)
        let produceStart = clock.now
        try producer.beginTransaction()
        var produced = 0, deadLettered = 0, skipped = 0
        var next: [KafkaTopicPartition: Int64] = [:]
        for mapped in partitions {
            held[mapped.partition] = mapped.held.isEmpty ? nil : mapped.held
            for (message, result) in mapped.items {
                next[mapped.partition] = message.offset + 1
                // One span for the adapter's work on this input: every event made of it is in it.
                let trace = result.events.isEmpty ? nil : MessageTrace.continuation(of: message.headers).map(MessageTrace.header)
                for event in result.events {
                    var headers = [KafkaHeader(name: MessageHeader.eventId, string: event.id)]
                    if let trace { headers.append(trace) }
                    try await producer.enqueue(KafkaProducerMessage(topic: configuration.topicPrefix + event.topic, key: Array(event.key.utf8), value: event.value,
                                                                    headers: headers))
                    produced += 1
                }
                for rejection in result.rejections {
                    var original = message
                    if let input = rejection.heldInput {
                        original = KafkaConsumerMessage(topic: configuration.topicPrefix + input.topic, partition: input.partition, offset: input.offset, key: input.key,
                                                        value: input.value, headers: input.headers, timestampMilliseconds: input.timestampMilliseconds)
                    }
                    if let payload = rejection.payload { original.value = payload }
                    try await producer.enqueue(DeadLetter.message(for: original, to: configuration.topicPrefix + mapping.deadLetterTopic,
                                                                  reason: rejection.reason, stage: .decode))
                    deadLettered += 1
                }
                if result.skipped != nil { skipped += 1 }
            }
            // Never past an input still held: after a crash it must be read again.
            if let lowest = mapped.held.lowestOffset, let offset = next[mapped.partition] { next[mapped.partition] = min(offset, lowest) }
        }
        let commitStart = clock.now
        try await producer.sendOffsetsToTransaction(next, consumer: consumer)
        try await producer.commitTransaction()
        return (produced, deadLettered, skipped, produceStart - mapStart, commitStart - produceStart, clock.now - commitStart, next)
    }
}

/// Notes which partitions were assigned since the worker last asked.
private final class AssignmentTracker: KafkaRebalanceListener {
    private let assigned = Mutex<Set<KafkaTopicPartition>>([])

    func partitionsAssigned(_ partitions: [KafkaTopicPartition], consumer: KafkaConsumer) async -> [KafkaTopicPartition: KafkaOffset] {
        assigned.withLock { $0.formUnion(partitions) }
        return [:]
    }

    func partitionsRevoked(_ partitions: [KafkaTopicPartition], lost: Bool, consumer: KafkaConsumer) async {}

    func takeAssigned() -> Set<KafkaTopicPartition> {
        assigned.withLock { set in
            defer { set = [] }
            return set
        }
    }
}
