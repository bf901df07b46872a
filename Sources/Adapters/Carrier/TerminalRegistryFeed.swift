import Foundation
public import HubContracts
public import Kafka
public import Logging
public import ServiceLifecycle
import Synchronization

/// Keeps a ``TerminalRegistry`` current from `hub.vehicles` (compacted: every vehicle's latest
/// registration): reads it from the beginning at start, then follows it. ``waitUntilLoaded()``
/// returns once everything that was on the topic at start is in the registry, so the JT/T 808
/// worker does not dead-letter frames of terminals whose registration it simply has not read yet.
public final class TerminalRegistryFeed: Service, Sendable {
    public let registry: TerminalRegistry
    private let client: KafkaClientConfiguration
    private let topic: String
    private let logger: Logger
    private let loaded = Mutex<(done: Bool, waiters: [UUID: CheckedContinuation<Void, Never>])>((false, [:]))
    /// Loaded also when no registration arrived for this long: the last records of a partition
    /// may be transaction markers, which a consumer never sees, so its end offset is not always reached.
    private let quietPeriod: Duration

    public init(registry: TerminalRegistry, client: KafkaClientConfiguration, topic: String = "hub.vehicles", quietPeriod: Duration = .seconds(3),
                logger: Logger = Logger(label: "lubehub.adapter.terminal-registry")) {
        self.registry = registry
        self.quietPeriod = quietPeriod
        self.client = client
        self.topic = topic
        self.logger = logger
    }

    /// Returns once the registry is loaded, or at once when the task is cancelled (shutdown).
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

    public func run() async throws {
        let ends = try await KafkaAdmin(configuration: client).endOffsets(topic: topic)
        let remaining = ends.filter { $0.value > 0 }
        if remaining.isEmpty { markLoaded() }
        // A group of its own for each process: every process reads every registration.
        let consumer = try KafkaConsumer(configuration: .init(
            client: client, groupID: "lubehub-terminal-registry-\(UUID().uuidString.prefix(8))", topics: [topic],
            sessionTimeout: .seconds(6), autoOffsetReset: .earliest, autoCommit: false, fetchWaitMax: .milliseconds(50)), logger: logger)
        let lastProgress = LastProgress()
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask {
                    // Nothing new for `quietPeriod` (the end may be a transaction marker): loaded.
                    while !self.loaded.withLock({ $0.done }) {
                        try await Task.sleep(for: .milliseconds(200))
                        if ContinuousClock.now - lastProgress.instant >= self.quietPeriod { self.markLoaded() }
                    }
                }
                tasks.addTask {
                    var remaining = remaining
                    for try await batch in consumer.batches {
                        lastProgress.touch()
                        for message in batch {
                            if let value = message.value, let event = try? CanonicalEvent.decode(value), let registration = event.data as? VehicleRegistered {
                                self.registry.register(terminal: registration.terminalId, vehicle: registration.vehicleId)
                            }
                            if let end = remaining[message.partition], message.offset + 1 >= end { remaining[message.partition] = nil }
                        }
                        if remaining.isEmpty, !self.loaded.withLock({ $0.done }) {
                            self.logger.info("terminal registry loaded", metadata: ["terminals": "\(self.registry.count)"])
                            self.markLoaded()
                        }
                    }
                    self.markLoaded()  // closed: nobody waits for a registry that will not load
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

/// When something last happened, shared between tasks.
private final class LastProgress: Sendable {
    private let last = Mutex(ContinuousClock.now)
    var instant: ContinuousClock.Instant { last.withLock { $0 } }
    func touch() { last.withLock { $0 = .now } }
}
