public import Kafka
import HubContracts
import Synchronization

/// The systems' raw topics on a Kafka cluster: an idempotent producer that sends again what the
/// broker did not acknowledge (a paused or restarting broker delays a run, it does not end it).
public final class KafkaMessageSink: MessageSink {
    private let producer: KafkaProducer
    private let topicPrefix: String

    public init(client: KafkaClientConfiguration, topicPrefix: String = "") throws {
        producer = try KafkaProducer(configuration: .init(client: client, linger: .milliseconds(5), messageTimeout: .seconds(30)))
        self.topicPrefix = topicPrefix
    }

    public func send(_ messages: [ERPDocuments.Message]) async throws {
        var pending = messages.map { KafkaProducerMessage(topic: topicPrefix + $0.topic, key: Array($0.key.utf8), value: $0.value) }
        var attempt = 0
        while !pending.isEmpty {
            let reports = try await producer.sendBatch(pending)
            pending = zip(pending, reports).filter { !$0.1.succeeded }.map(\.0)
            guard !pending.isEmpty else { return }
            attempt += 1
            try await Task.sleep(for: .milliseconds(min(2_000, 100 * attempt)))
        }
    }

    public func close() async {
        try? await producer.shutdown(flushTimeout: .seconds(10))
    }
}

/// `erp.out.orders` read by the simulated ERP's own consumer group, committed once answered.
public final class KafkaERPOutbox: ERPOutbox {
    private let consumer: KafkaConsumer
    private let pending = PendingOffsets()

    public init(client: KafkaClientConfiguration, group: String = "lubehub-simulated-erp", topicPrefix: String = "") throws {
        consumer = try KafkaConsumer(configuration: .init(client: client, groupID: group, topics: [topicPrefix + TopicName.ERP.outboundOrders],
                                                          sessionTimeout: .seconds(10), autoOffsetReset: .earliest, isolationLevel: .readCommitted,
                                                          fetchWaitMax: .milliseconds(50), maxBatchSize: 500))
    }

    public func next() async throws -> [[UInt8]]? {
        guard let batch = try await consumer.nextBatch() else { return nil }
        pending.note(batch)
        return batch.compactMap(\.value)
    }

    public func answered() async throws {
        let offsets = pending.take()
        guard !offsets.isEmpty else { return }
        try? await consumer.commit(offsets, mode: .async)
    }

    public func close() async {
        await consumer.close()
    }
}

/// The next offset to commit per partition, of what was read so far.
final class PendingOffsets: Sendable {
    private let offsets = Synchronization.Mutex<[KafkaTopicPartition: Int64]>([:])

    func note(_ batch: [KafkaConsumerMessage]) {
        offsets.withLock { offsets in
            for message in batch {
                offsets[KafkaTopicPartition(topic: message.topic, partition: message.partition)] = message.offset + 1
            }
        }
    }

    func take() -> [KafkaTopicPartition: Int64] {
        offsets.withLock { offsets in
            defer { offsets = [:] }
            return offsets
        }
    }
}

/// The canonical `hub.vehicles` topic the carrier adapter learns terminals from, read from the
/// beginning by a group of its own.
public struct KafkaVehicleRegistry: VehicleRegistry {
    private let client: KafkaClientConfiguration
    private let topic: String

    public init(client: KafkaClientConfiguration, topicPrefix: String = "") {
        self.client = client
        topic = topicPrefix + TopicName.vehicles
    }

    public func waitUntilRegistered(_ vehicleIds: Set<String>, timeout: Duration) async throws -> Int {
        let consumer = try KafkaConsumer(configuration: .init(client: client, groupID: "lubehub-simulator-vehicles-\(UInt64.random(in: 0...UInt64.max))",
                                                              topics: [topic], sessionTimeout: .seconds(6), autoOffsetReset: .earliest, autoCommit: false,
                                                              fetchWaitMax: .milliseconds(50)))
        let missing = MissingVehicles(vehicleIds)
        let deadline = ContinuousClock.now + timeout
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                while let batch = try await consumer.nextBatch() {
                    let registered = batch.compactMap { message -> VehicleRegistered? in
                        guard let value = message.value, let event = try? CanonicalEvent.decode(value) else { return nil }
                        return event.data.payload(as: VehicleRegistered.self)
                    }
                    missing.remove(registered.map(\.vehicleId))
                }
            }
            // Watching a set the reader fills (no event to await across the consumer's thread).
            while missing.count > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            await consumer.close()
            try await tasks.waitForAll()
        }
        return missing.count
    }
}

/// The vehicles not seen registered yet, shared by the reader and the waiter.
private final class MissingVehicles: Sendable {
    private let ids: Mutex<Set<String>>

    init(_ ids: Set<String>) { self.ids = Mutex(ids) }

    var count: Int { ids.withLock(\.count) }

    func remove(_ registered: [String]) {
        ids.withLock { ids in registered.forEach { ids.remove($0) } }
    }
}
