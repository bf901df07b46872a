public import HubContracts
import HubMessaging
public import HubStore
public import Kafka
public import Logging
public import ServiceLifecycle
import Foundation
import Synchronization

/// The core's path for every canonical event but positions (master data, orders, inventory,
/// shipments, tier-2 orders, delivery notes): each event applied once (by id) by ``CoreRules`` in
/// the same transaction as its consumed offset and the outbox rows it writes (a run of a fetched
/// batch shares one transaction, each event in a savepoint of its own). An event that refers to
/// something not known yet (a credit limit before its dealer, the ERP's delivery before its
/// confirmation) is held in the store and retried — at once when something about the same subject
/// applied, and every `retryInterval` — until it applies or its time runs out, then dead-lettered:
/// never silently dropped. Unreadable events and events the rules refuse are dead-lettered at once.
///
/// With `gapRecheck` set, it also guards against a broker that skips its consumer past messages
/// (the local one does): every offset the consumer was not handed is recorded (``OffsetGap``) in
/// the transaction that records the offset after it, read again once it is `gapRecheck` old,
/// and whatever is found there is applied the same way. A commit marker or an aborted
/// transaction leaves such a gap too; reading it again finds nothing.
public final class EventIngest: Sendable, Service {
    public struct Configuration: Sendable {
        public var consumer: KafkaConsumerConfiguration
        /// The group its consumed offsets are recorded under in the database (the consumer's own
        /// group unless set): the core's two event consumers, on different topics, share one.
        public var offsetsGroup: String
        public var deadLetterTopic: String
        /// How long an event may wait for what it refers to.
        public var holdTimeout: Duration
        /// How often held events are tried again.
        public var retryInterval: Duration
        /// The `consumer` dimension of the ingest's timers (``IngestMetrics``); none without one.
        public var name: String?
        /// Whether a transaction ends early (after at least one event) when another writer waits
        /// for the store's connection: the bulk events' ingest gives way to the one orders go through.
        public var yieldsToWaitingWriters: Bool
        /// How old a gap in the consumed offsets is when it is read again (and how often that is
        /// done); `nil`: gaps are not looked for.
        public var gapRecheck: Duration?
        /// Whether the consuming loop runs on the store connection's queue
        /// (``CoreStore/connectionExecutor``): its transactions then start without crossing
        /// threads — for the interactive topics, where that is latency. A bulk consumer stays off
        /// the queue, so its parsing does not hold up the interactive path's transactions.
        public var onStoreQueue: Bool

        public init(consumer: KafkaConsumerConfiguration, offsetsGroup: String? = nil, deadLetterTopic: String = TopicName.coreDeadLetters,
                    holdTimeout: Duration = .seconds(300), retryInterval: Duration = .seconds(1), name: String? = nil,
                    yieldsToWaitingWriters: Bool = false, gapRecheck: Duration? = nil, onStoreQueue: Bool = false) {
            self.consumer = consumer
            self.onStoreQueue = onStoreQueue
            self.gapRecheck = gapRecheck
            self.name = name
            self.yieldsToWaitingWriters = yieldsToWaitingWriters
            self.offsetsGroup = offsetsGroup ?? consumer.groupID
            self.deadLetterTopic = deadLetterTopic
            self.holdTimeout = holdTimeout
            self.retryInterval = retryInterval
        }
    }

    public struct Counters: Sendable, Equatable {
        public var received = 0
        public var applied = 0
        public var duplicates = 0
        public var held = 0
        public var releasedFromHold = 0
        public var deadLettered = 0
        /// Messages the consumer was never handed, found by reading its gaps again.
        public var recovered = 0
        /// Gaps read again (most hold nothing: a transaction's commit marker).
        public var gapsRead = 0
    }

    private let configuration: Configuration
    private let store: CoreStore
    private let rules: CoreRules
    private let deadLetters: KafkaProducer
    private let logger: Logger
    private let counters = Mutex(Counters())
    private let metrics: IngestMetrics
    private let running = Mutex<KafkaConsumer?>(nil)
    private let gapTracker = Mutex(OffsetGapTracker())

    public init(configuration: Configuration, store: CoreStore, rules: CoreRules = CoreRules(), deadLetters: KafkaProducer,
                logger: Logger = Logger(label: "lubehub.core.events")) {
        self.configuration = configuration
        self.store = store
        self.rules = rules
        self.deadLetters = deadLetters
        self.logger = logger
        metrics = IngestMetrics(stream: "events", outcomes: ["received", "applied", "duplicate", "held", "released", "dead-lettered", "recovered"],
                                gapOutcomes: configuration.gapRecheck == nil ? [] : ["recorded", "read", "given-up"],
                                consumer: configuration.name)
    }

    public var currentCounters: Counters { counters.withLock { $0 } }

    /// Consumes and applies until `shouldStop` holds (checked after each batch and each retry pass)
    /// or the consumer closes.
    public func run(shouldStop: @escaping @Sendable (Counters) -> Bool) async throws -> Counters {
        let group = configuration.offsetsGroup
        // A store made before the figures existed has them built from its facts before any event changes them.
        try await AnalyticsRebuild.ensureBuilt(store, logger: logger)
        let gapReader = try configuration.gapRecheck.map { _ throws(KafkaError) in try OffsetGapReader(like: configuration.consumer) }
        var listener = StoredOffsetsListener(stored: { [store] group, topic in
            try await store.read { reader throws(StoreError) in try reader.coreProgress.storedOffsets(group: group, topic: topic) }
        }, group: group, pipeline: nil, logger: logger)
        if gapReader != nil {
            listener.started = { [self] partitions, starts in gapTracker.withLock { $0.started(partitions, at: starts) } }
            listener.stopped = { [self] partitions in gapTracker.withLock { $0.stopped(partitions) } }
        }
        let consumer = try KafkaConsumer(configuration: configuration.consumer, rebalanceListener: listener, logger: logger)
        running.withLock { $0 = consumer }
        defer { running.withLock { $0 = nil } }
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask(executorPreference: configuration.onStoreQueue ? store.connectionExecutor : nil) {
                    for try await batch in consumer.batches {
                        let gaps = gapReader == nil ? [] : self.gapTracker.withLock { $0.gaps(before: batch, seenAtMilliseconds: Self.now()) }
                        try await self.handle(batch, group: group, gaps: gaps)
                        if shouldStop(self.currentCounters) { break }
                    }
                }
                if let gapReader, let interval = configuration.gapRecheck {
                    tasks.addTask {
                        while !Task.isCancelled {
                            try await Task.sleep(for: interval)
                            do {
                                try await self.readGapsAgain(with: gapReader, olderThan: interval, group: group)
                            } catch is CancellationError {
                                return
                            } catch {
                                // The gaps stay recorded: the next pass reads them.
                                self.logger.error("reading the gaps in the consumed offsets again failed; trying again", metadata: ["error": "\(error)"])
                            }
                            if shouldStop(self.currentCounters) { return }
                        }
                    }
                }
                tasks.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: self.configuration.retryInterval)
                        try await self.retryHeld(group: group)
                        if shouldStop(self.currentCounters) { return }
                    }
                }
                // Whichever finishes first (the consumer closing, or the stop condition) ends both.
                try await tasks.next()
                tasks.cancelAll()
            }
        } catch is CancellationError {
        } catch {
            await consumer.close()
            await gapReader?.close()
            throw error
        }
        await consumer.close()
        await gapReader?.close()
        return currentCounters
    }

    /// Runs until graceful shutdown.
    public func run() async throws {
        try await withGracefulShutdownHandler {
            _ = try await self.run(shouldStop: { _ in false })
        } onGracefulShutdown: {
            if let consumer = self.running.withLock({ $0 }) { Task { await consumer.close() } }
        }
    }

    /// Applies a fetched batch in runs of up to ``transactionSize`` messages (and at most
    /// ``transactionBudget`` long), one transaction each: one commit, not one per event. A message
    /// to dead-letter ends its run: the run before it commits, the dead letter goes out and its
    /// offset is recorded, then the rest follows. `gaps` (the offsets the consumer skipped before
    /// these messages) are recorded in the first transaction.
    func handle(_ messages: [KafkaConsumerMessage], group: String, gaps: [OffsetGap] = []) async throws {
        counters.withLock { $0.received += messages.count }
        metrics.count("received", by: messages.count)
        let received = IngestStep.read(messages)
        var rest = received[...]
        var unrecorded = gaps
        while !rest.isEmpty {
            let run = rest.prefix(Self.transactionSize)
            let (store, rules, metrics, yielding, gaps) = (store, rules, metrics, configuration.yieldsToWaitingWriters, unrecorded)
            let step = try await retryingWhenBusy { () async throws(StoreError) in
                let now = Self.now()
                let (step, took) = try await store.timedTransaction { tables throws(StoreError) in
                    try tables.offsetGaps.record(gaps, group: group)
                    return try IngestStep.apply(run, group: group, rules: rules, heldAtMilliseconds: now,
                                                budget: Self.transactionBudget, yielding: yielding, in: tables)
                }
                metrics.transactionTook(took)
                metrics.waited(run.prefix(step.consumed).lazy.map(\.message), nowMilliseconds: now)
                return step
            }
            record(step)
            metrics.countGaps("recorded", by: gaps.count)
            unrecorded = []
            rest = rest.dropFirst(step.consumed)
            if let stop = step.stop, let message = rest.first?.message {
                let source = EventSource(group: group, topic: message.topic, partition: message.partition, offset: message.offset)
                try await deadLetter(message, source: source, reason: stop.reason, stage: stop.stage)
                rest = rest.dropFirst()
            }
        }
    }

    /// Events applied per transaction at most: enough to pay one commit for many events, few
    /// enough that the positions' writer and the outbox relay, which share the database, wait
    /// briefly.
    static let transactionSize = 200

    /// How long one transaction may go on taking events: the core's two consumers share the
    /// database's write lock, and an order's decision must not wait behind a long run of bulk events.
    static let transactionBudget = Duration.milliseconds(20)

    private func record(_ step: IngestStep) {
        counters.withLock {
            $0.applied += step.applied
            $0.duplicates += step.duplicates
            $0.held += step.held.count
            $0.releasedFromHold += step.released
        }
        metrics.count("applied", by: step.applied)
        metrics.count("duplicate", by: step.duplicates)
        metrics.count("held", by: step.held.count)
        metrics.count("released", by: step.released)
        for held in step.held {
            logger.info("event held until what it refers to arrives", metadata: ["event": "\(held.eventId)", "waiting-for": "\(held.reference)"])
        }
    }

    /// Reads again the gaps of its topics seen at least `age` ago and applies what was in them.
    /// A gap read whole is dropped; one that could not be (the reader timed out) is tried on the
    /// next pass, until it is `holdTimeout` old — then it is given up, with an error in the log.
    func readGapsAgain(with reader: OffsetGapReader, olderThan age: Duration, group: String) async throws {
        let topics = Set(configuration.consumer.topics)
        let seenBy = Self.now() - Int64(age / .milliseconds(1))
        var gaps = try await retryingWhenBusy { [store] () async throws(StoreError) in
            try await store.read { reader throws(StoreError) in try reader.coreProgress.offsetGaps(group: group, topics: topics, seenBy: seenBy) }
        }
        // Each core reads the gaps of the partitions it has (another core's gaps are its own to read).
        if let consumer = running.withLock({ $0 }), let assigned = try? Set(consumer.assignment()) {
            gaps = gaps.filter { assigned.contains(KafkaTopicPartition(topic: $0.topic, partition: $0.partition)) }
        }
        guard !gaps.isEmpty else { return }
        let found = try await reader.read(gaps, timeout: .seconds(10))
        let (read, unread) = (gaps.filter(found.covers), gaps.filter { !found.covers($0) })
        // Only what lies in a gap read whole: a gap read in part is read again, whole, next time.
        let readWhole = Dictionary(grouping: read) { KafkaTopicPartition(topic: $0.topic, partition: $0.partition) }
        let recovered = found.messages.filter { message in
            readWhole[message.topicPartition].map { OffsetGapReader.gap(in: $0, containing: message.offset) != nil } ?? false
        }
        if !recovered.isEmpty {
            logger.warning("the consumer was skipped past messages; read them again", metadata: [
                "messages": "\(recovered.count)",
                "at": "\(recovered.map { "\($0.topic)[\($0.partition)]@\($0.offset)" }.joined(separator: " "))",
            ])
            try await handle(recovered, group: group)
            counters.withLock { $0.recovered += recovered.count }
            metrics.count("recovered", by: recovered.count)
        }
        let expired = unread.filter { Duration.milliseconds(Self.now() - $0.seenAtMilliseconds) >= configuration.holdTimeout }
        for gap in expired {
            logger.error("gave up reading a gap in the consumed offsets again: what was there, if anything, was not applied", metadata: [
                "partition": "\(gap.topic)[\(gap.partition)]", "from": "\(gap.from)", "to": "\(gap.to)",
            ])
        }
        try await retryingWhenBusy { [store] () async throws(StoreError) in try await store.dropGaps(read + expired, group: group) }
        counters.withLock { $0.gapsRead += read.count }
        metrics.countGaps("read", by: read.count)
        metrics.countGaps("given-up", by: expired.count)
    }

    /// Tries every held event of its topics again; dead-letters those whose time ran out.
    func retryHeld(group: String) async throws {
        let topics = Set(configuration.consumer.topics)
        let held = try await retryingWhenBusy { [store] () async throws(StoreError) in
            try await store.read { reader throws(StoreError) in try reader.coreProgress.heldEvents() }
        }
        for item in held where topics.contains(item.topic) { try await retry(item, group: group) }
    }

    /// One held event again.
    private func retry(_ held: HeldEvent, group: String) async throws {
        let event: CanonicalEvent
        do {
            event = try CanonicalEvent.decode(held.value)
        } catch {
            try await deadLetterHeld(held, reason: error.description, stage: .decode)
            return
        }
        let source = EventSource(group: group, topic: held.topic, partition: held.partition, offset: held.offset)
        let (store, rules) = (store, rules)
        let trace = held.traceParent
        let outcome = try await retryingWhenBusy { () async throws(StoreError) in
            try await store.apply(eventId: event.id, source: source, releasing: held.eventId) { tables throws(StoreError) in
                try rules.apply(event, source: source, trace: trace, in: tables)
            }
        }
        switch outcome {
        case .applied:
            counters.withLock { $0.releasedFromHold += 1 }
            metrics.count("released")
        case .duplicate:
            break  // released by another pass (or another core) meanwhile
        case .unknownReference(let reference):
            let waited = Self.now() - held.heldAtMilliseconds
            if Duration.milliseconds(waited) >= configuration.holdTimeout {
                try await deadLetterHeld(held, reason: "unknown \(reference) after waiting \(waited / 1000) s", stage: .apply)
            }
        case .notHandled:
            try await deadLetterHeld(held, reason: "\(event.type) is not an event the core applies", stage: .validate)
        case .refused(let reason):
            try await deadLetterHeld(held, reason: reason, stage: .apply)
        }
    }

    private func deadLetterHeld(_ held: HeldEvent, reason: String, stage: DeadLetter.Stage) async throws {
        let original = KafkaConsumerMessage(topic: held.topic, partition: held.partition, offset: held.offset, key: held.key, value: held.value)
        try await deadLetters.send(DeadLetter.message(for: original, to: configuration.deadLetterTopic, reason: reason, stage: stage))
        try await retryingWhenBusy { [store] () async throws(StoreError) in try await store.release(held.eventId) }
        counters.withLock { $0.deadLettered += 1 }
        metrics.count("dead-lettered")
        logger.warning("dead-lettered a held event", metadata: ["event": "\(held.eventId)", "reason": "\(reason)"])
    }

    /// Dead-letters a message, then records its offset as consumed: after a restart it is not read
    /// (and dead-lettered) again.
    private func deadLetter(_ message: KafkaConsumerMessage, source: EventSource, reason: String, stage: DeadLetter.Stage) async throws {
        try await deadLetters.send(DeadLetter.message(for: message, to: configuration.deadLetterTopic, reason: reason, stage: stage))
        try await retryingWhenBusy { [store] () async throws(StoreError) in try await store.skip(source) }
        counters.withLock { $0.deadLettered += 1 }
        metrics.count("dead-lettered")
        logger.warning("dead-lettered", metadata: ["topic": "\(message.topic)", "offset": "\(message.offset)", "reason": "\(reason)"])
    }

    /// Runs a store call, retrying with backoff while the database is busy (another writer holds
    /// it): a transient fault is waited out, never dead-lettered.
    private func retryingWhenBusy<T: Sendable>(_ body: () async throws(StoreError) -> T) async throws -> T {
        var backoff = BusyBackoff()
        while true {
            do {
                return try await body()
            } catch {
                guard error.isTransient else { throw error }
                let delay = backoff.next()
                logger.warning("store busy; retrying", metadata: ["delay": "\(delay)"])
                try await Task.sleep(for: delay)
            }
        }
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
