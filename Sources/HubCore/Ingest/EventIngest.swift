import HubContracts
public import HubStore
public import Kafka
public import Logging
public import ServiceLifecycle
import Foundation
import Synchronization

/// The core's path for every canonical event but positions (master data, orders, inventory,
/// shipments, tier-2 orders, delivery notes): each event applied once (by id) by ``CoreRules`` in
/// one transaction with its consumed offset and the outbox rows it writes. An event that refers to
/// something not known yet (a credit limit before its dealer, the ERP's delivery before its
/// confirmation) is held in the store and retried — at once when something about the same subject
/// applied, and every `retryInterval` — until it applies or its time runs out, then dead-lettered:
/// never silently dropped. Unreadable events and events the rules refuse are dead-lettered at once.
public final class EventIngest: Sendable, Service {
    public struct Configuration: Sendable {
        public var consumer: KafkaConsumerConfiguration
        public var deadLetterTopic: String
        /// How long an event may wait for what it refers to.
        public var holdTimeout: Duration
        /// How often held events are tried again.
        public var retryInterval: Duration

        public init(consumer: KafkaConsumerConfiguration, deadLetterTopic: String = "hub.core.dlq",
                    holdTimeout: Duration = .seconds(300), retryInterval: Duration = .seconds(1)) {
            self.consumer = consumer
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
    }

    private let configuration: Configuration
    private let store: CoreStore
    private let rules: CoreRules
    private let deadLetters: KafkaProducer
    private let logger: Logger
    private let counters = Mutex(Counters())
    private let metrics = IngestMetrics(stream: "events", outcomes: ["received", "applied", "duplicate", "held", "released", "dead-lettered"])
    private let storeQueue = StoreQueue(label: "events-store")
    private let running = Mutex<KafkaConsumer?>(nil)

    public init(configuration: Configuration, store: CoreStore, rules: CoreRules = CoreRules(), deadLetters: KafkaProducer,
                logger: Logger = Logger(label: "lubehub.core.events")) {
        self.configuration = configuration
        self.store = store
        self.rules = rules
        self.deadLetters = deadLetters
        self.logger = logger
    }

    public var currentCounters: Counters { counters.withLock { $0 } }

    /// Consumes and applies until `shouldStop` holds (checked after each batch and each retry pass)
    /// or the consumer closes.
    public func run(shouldStop: @escaping @Sendable (Counters) -> Bool) async throws -> Counters {
        let group = configuration.consumer.groupID
        let consumer = try KafkaConsumer(
            configuration: configuration.consumer,
            rebalanceListener: StoredOffsetsListener(stored: { [store] in try store.storedOffsets(group: $0, topic: $1) }, group: group, pipeline: nil, logger: logger),
            logger: logger
        )
        running.withLock { $0 = consumer }
        defer { running.withLock { $0 = nil } }
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    for try await batch in consumer.batches {
                        for message in batch { try await self.handle(message, group: group) }
                        if shouldStop(self.currentCounters) { break }
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
            throw error
        }
        await consumer.close()
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

    func handle(_ message: KafkaConsumerMessage, group: String) async throws {
        counters.withLock { $0.received += 1 }
        metrics.count("received")
        let source = EventSource(group: group, topic: message.topic, partition: message.partition, offset: message.offset)
        guard let value = message.value else {
            return try await deadLetter(message, source: source, reason: "empty value: a canonical event is required", stage: .decode)
        }
        let event: CanonicalEvent
        do {
            event = try CanonicalEvent.decode(value)
        } catch {
            return try await deadLetter(message, source: source, reason: error.description, stage: .decode)
        }
        let (store, rules) = (store, rules)
        let outcome = try await retryingWhenBusy { () throws(StoreError) in
            try store.apply(eventId: event.id, source: source) { db throws(StoreError) in try rules.apply(event, source: source, in: db) }
        }
        switch outcome {
        case .applied:
            counters.withLock { $0.applied += 1 }
            metrics.count("applied")
            try await retryHeld(group: group, subject: event.subject)
        case .duplicate:
            counters.withLock { $0.duplicates += 1 }
            metrics.count("duplicate")
        case .notHandled:
            try await deadLetter(message, source: source, reason: "\(event.type) is not an event the core applies; it does not belong on \(message.topic)", stage: .validate)
        case .refused(let reason):
            try await deadLetter(message, source: source, reason: reason, stage: .apply)
        case .unknownReference(let reference):
            let held = HeldEvent(eventId: event.id, topic: message.topic, partition: message.partition, offset: message.offset,
                                 subject: event.subject, key: message.key, value: value, reason: "unknown \(reference)", heldAtMilliseconds: Self.now())
            try await retryingWhenBusy { [store] () throws(StoreError) in try store.hold(held, group: group) }
            counters.withLock { $0.held += 1 }
            metrics.count("held")
            logger.info("event held until what it refers to arrives", metadata: ["event": "\(event.id)", "waiting-for": "\(reference)"])
        }
    }

    /// Tries held events again (those of one subject, or all); dead-letters those whose time ran out.
    func retryHeld(group: String, subject: String? = nil) async throws {
        var progressed = true
        // Releasing one event may let another of the same subject apply: go round until nothing moves.
        while progressed {
            progressed = false
            let held = try await retryingWhenBusy { [store] () throws(StoreError) in try store.heldEvents(subject: subject) }
            for item in held {
                if try await retry(item, group: group) { progressed = true }
            }
            if subject == nil { break }
        }
    }

    /// One held event again; whether it left the hold.
    private func retry(_ held: HeldEvent, group: String) async throws -> Bool {
        let event: CanonicalEvent
        do {
            event = try CanonicalEvent.decode(held.value)
        } catch {
            try await deadLetterHeld(held, reason: error.description, stage: .decode)
            return true
        }
        let source = EventSource(group: group, topic: held.topic, partition: held.partition, offset: held.offset)
        let (store, rules) = (store, rules)
        let outcome = try await retryingWhenBusy { () throws(StoreError) in
            try store.apply(eventId: event.id, source: source, releasing: held.eventId) { db throws(StoreError) in try rules.apply(event, source: source, in: db) }
        }
        switch outcome {
        case .applied:
            counters.withLock { $0.releasedFromHold += 1 }
            metrics.count("released")
            return true
        case .duplicate:
            return true  // released by another pass (or another core) meanwhile
        case .unknownReference(let reference):
            let waited = Self.now() - held.heldAtMilliseconds
            if Duration.milliseconds(waited) >= configuration.holdTimeout {
                try await deadLetterHeld(held, reason: "unknown \(reference) after waiting \(waited / 1000) s", stage: .apply)
                return true
            }
            return false
        case .notHandled:
            try await deadLetterHeld(held, reason: "\(event.type) is not an event the core applies", stage: .validate)
            return true
        case .refused(let reason):
            try await deadLetterHeld(held, reason: reason, stage: .apply)
            return true
        }
    }

    private func deadLetterHeld(_ held: HeldEvent, reason: String, stage: DeadLetter.Stage) async throws {
        let original = KafkaConsumerMessage(topic: held.topic, partition: held.partition, offset: held.offset, key: held.key, value: held.value)
        try await deadLetters.send(DeadLetter.message(for: original, to: configuration.deadLetterTopic, reason: reason, stage: stage))
        try await retryingWhenBusy { [store] () throws(StoreError) in try store.release(held.eventId) }
        counters.withLock { $0.deadLettered += 1 }
        metrics.count("dead-lettered")
        logger.warning("dead-lettered a held event", metadata: ["event": "\(held.eventId)", "reason": "\(reason)"])
    }

    /// Dead-letters a message, then records its offset as consumed: after a restart it is not read
    /// (and dead-lettered) again.
    private func deadLetter(_ message: KafkaConsumerMessage, source: EventSource, reason: String, stage: DeadLetter.Stage) async throws {
        try await deadLetters.send(DeadLetter.message(for: message, to: configuration.deadLetterTopic, reason: reason, stage: stage))
        try await retryingWhenBusy { [store] () throws(StoreError) in try store.skip(source) }
        counters.withLock { $0.deadLettered += 1 }
        metrics.count("dead-lettered")
        logger.warning("dead-lettered", metadata: ["topic": "\(message.topic)", "offset": "\(message.offset)", "reason": "\(reason)"])
    }

    /// Runs a store call, retrying with backoff while the database is busy (another writer holds
    /// it): a transient fault is waited out, never dead-lettered.
    private func retryingWhenBusy<T: Sendable>(_ body: @escaping @Sendable () throws(StoreError) -> T) async throws -> T {
        var backoff = BusyBackoff()
        while true {
            do {
                return try await storeQueue.run(body)
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
