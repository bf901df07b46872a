import Foundation
public import HubContracts
public import Kafka
public import Logging
public import ServiceLifecycle
import Synchronization

/// Keeps what a mapping looks things up in current from a compacted canonical topic (every
/// entity's latest record): reads it from the beginning at start, hands each event to `apply`, then
/// follows the topic. ``waitUntilLoaded()`` returns once everything that was on the topic at start
/// was applied, so a worker does not dead-letter inputs about entities it simply has not read yet
/// (the JT/T 808 worker's terminals from `hub.vehicles`, the anti-counterfeit worker's dealers from
/// `hub.dealers`).
public final class CanonicalTopicFeed: Service, Sendable {
    private let client: KafkaClientConfiguration
    private let topic: String
    private let apply: @Sendable (CanonicalEvent) -> Void
    private let logger: Logger
    private let loaded = Mutex<(done: Bool, waiters: [UUID: CheckedContinuation<Void, Never>])>((false, [:]))
    /// Loaded also when no registration arrived for this long: the last records of a partition
    /// may be transaction markers, which a consumer never sees, so its end offset is not always reached.
    private let quietPeriod: Duration

    public init(client: KafkaClientConfiguration, topic: String, quietPeriod: Duration = .seconds(3), logger: Logger,
                apply: @escaping @Sendable (CanonicalEvent) -> Void) {
        self.apply = apply
        self.quietPeriod = quietPeriod
        self.client = client
        self.topic = topic
        self.logger = logger
    }

    /// Returns once the topic is loaded, or at once when the task is cancelled (shutdown).
    public func waitUntilLoaded() async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let done = loaded.withLock { state in
                    if state.done || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if done { continuation.resume() }
            }
        } onCancel: {
            loaded.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    private func markLoaded() {
        let waiters = loaded.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.done else { return [] }
            state.done = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    /// How long to wait for the first message of a topic that holds some before taking it as loaded anyway.
    static let firstMessageWait: Duration = .seconds(30)

    public func run() async throws {
        let ends = try await KafkaAdmin(configuration: client).endOffsets(topic: topic)
        let remaining = ends.filter { $0.value > 0 }
        if remaining.isEmpty { markLoaded() }
        // A group of its own for each process: every process reads every registration.
        let consumer = try KafkaConsumer(configuration: .init(
            client: client, groupID: "lubehub-feed-\(topic)-\(UUID().uuidString.prefix(8))", topics: [topic],
            sessionTimeout: .seconds(6), autoOffsetReset: .earliest, autoCommit: false, fetchWaitMax: .milliseconds(100)), logger: logger)
        let lastProgress = LastProgress()
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    // Nothing new for `quietPeriod` since the last message (the end may be a transaction
                    // marker): loaded. Before the first message the consumer may still be joining its
                    // group (seconds on tansu), so then only after `firstMessageWait`.
                    let started = ContinuousClock.now
                    while !self.loaded.withLock({ $0.done }) {
                        try await Task.sleep(for: .milliseconds(200))
                        let quiet = lastProgress.instant.map { ContinuousClock.now - $0 >= self.quietPeriod } ?? (ContinuousClock.now - started >= Self.firstMessageWait)
                        if quiet { self.markLoaded() }
                    }
                }
                tasks.addTask {
                    var remaining = remaining
                    for try await batch in consumer.batches {
                        if !batch.isEmpty { lastProgress.touch() }
                        for message in batch {
                            if let value = message.value, let event = try? CanonicalEvent.decode(value) { self.apply(event) }
                            if let end = remaining[message.partition], message.offset + 1 >= end { remaining[message.partition] = nil }
                        }
                        if remaining.isEmpty, !self.loaded.withLock({ $0.done }) {
                            self.logger.info("loaded", metadata: ["topic": "\(self.topic)"])
                            self.markLoaded()
                        }
                    }
                    self.markLoaded()  // closed: nobody waits for a topic that will not load
                }
                // The watcher ends once loaded; the reader follows the topic until the consumer closes.
                try await tasks.waitForAll()
            }
        } onGracefulShutdown: {
            Task { await consumer.close() }
        }
        await consumer.close()
        markLoaded()
    }
}

/// When the last message came (`nil`: none yet), shared between tasks.
private final class LastProgress: Sendable {
    private let last = Mutex<ContinuousClock.Instant?>(nil)
    var instant: ContinuousClock.Instant? { last.withLock { $0 } }
    func touch() { last.withLock { $0 = .now } }
}
