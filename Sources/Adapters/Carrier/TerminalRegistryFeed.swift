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
    private let loaded = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    public init(registry: TerminalRegistry, client: KafkaClientConfiguration, topic: String = "hub.vehicles",
                logger: Logger = Logger(label: "lubehub.adapter.terminal-registry")) {
        self.registry = registry
        self.client = client
        self.topic = topic
        self.logger = logger
    }

    public func waitUntilLoaded() async {
        await withCheckedContinuation { continuation in
            let done = loaded.withLock { state in
                if state.done { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func markLoaded() {
        let waiters = loaded.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.done else { return [] }
            state.done = true
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    public func run() async throws {
        let ends = try await KafkaAdmin(configuration: client).endOffsets(topic: topic)
        var remaining = ends.filter { $0.value > 0 }
        if remaining.isEmpty { markLoaded() }
        // A group of its own for each process: every process reads every registration.
        let consumer = try KafkaConsumer(configuration: .init(
            client: client, groupID: "lubehub-terminal-registry-\(UUID().uuidString.prefix(8))", topics: [topic],
            sessionTimeout: .seconds(6), autoOffsetReset: .earliest, autoCommit: false, fetchWaitMax: .milliseconds(50)), logger: logger)
        try await withGracefulShutdownHandler {
            for try await batch in consumer.batches {
                for message in batch {
                    if let value = message.value, let event = try? CanonicalEvent.decode(value), let registration = event.data as? VehicleRegistered {
                        registry.register(terminal: registration.terminalId, vehicle: registration.vehicleId)
                    }
                    if let end = remaining[message.partition], message.offset + 1 >= end { remaining[message.partition] = nil }
                }
                if !remaining.isEmpty { continue }
                if !loaded.withLock({ $0.done }) {
                    logger.info("terminal registry loaded", metadata: ["terminals": "\(registry.count)"])
                    markLoaded()
                }
            }
        } onGracefulShutdown: {
            Task { await consumer.close() }
        }
        await consumer.close()
        markLoaded()
    }
}
