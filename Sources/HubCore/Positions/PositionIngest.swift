public import HubContracts
public import HubDomain
import HubMessaging
public import HubStore
public import Kafka
public import Logging
import Foundation
public import ServiceLifecycle
import Synchronization

/// The core's vehicle-position path: consumes `hub.vehicles.positions`, applies each batch to the
/// store in one transaction together with the consumed offsets, and starts each assigned partition
/// at the offset the store holds — so a replay or a crash at any moment applies every fix once.
/// A message that cannot be read goes to `hub.core.dlq` with the reason; the worker goes on. So
/// does a fix dated more than `futureMargin` ahead of the hub's clock, and a fix a carrier reports
/// for another carrier's vehicle. A fix at an implausible place (``FixPlausibility``) goes to the
/// history only.
public final class PositionIngest: Sendable, Service {
    public struct Configuration: Sendable {
        public var consumer: KafkaConsumerConfiguration
        public var deadLetterTopic: String
        /// Position history older than this (by fix time) is pruned about once a minute; `nil` keeps all.
        public var historyRetention: Duration?
        /// A fix dated further ahead of the hub's clock than this is refused (a wrong clock, or a
        /// forged fix that would pin the truck's position for good).
        public var futureMargin: Duration
        public var plausibility: FixPlausibility

        public init(consumer: KafkaConsumerConfiguration, deadLetterTopic: String = TopicName.coreDeadLetters, historyRetention: Duration? = nil,
                    futureMargin: Duration = .seconds(300), plausibility: FixPlausibility = FixPlausibility()) {
            self.futureMargin = futureMargin
            self.plausibility = plausibility
            self.consumer = consumer
            self.deadLetterTopic = deadLetterTopic
            self.historyRetention = historyRetention
        }
    }

    /// An unreadable message met an ingest that was given no dead-letter producer.
    public struct UnreadableWithoutDeadLetters: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "an unreadable position (\(reason)) and no dead-letter producer to send it to" }
    }

    /// What the ingest did so far.
    public struct Counters: Sendable, Equatable {
        /// Messages taken from Kafka and decoded (written or on their way to the store).
        public var received = 0
        /// Fixes the store has committed.
        public var applied = 0
        public var deadLettered = 0
        public var batches = 0
        /// Where the time went: waiting for the next batch, decoding it, and waiting for the store
        /// (the part of writing that decoding the next batch did not hide).
        public var waiting: Duration = .zero
        public var decoding: Duration = .zero
        public var storing: Duration = .zero
    }

    private let configuration: Configuration
    private let store: PositionStore
    private let deadLetters: KafkaProducer?
    private let logger: Logger
    private let metrics = IngestMetrics(stream: "positions", outcomes: ["received", "applied", "dead-lettered", "flagged"])
    /// Whose each vehicle is, as the store said: a registration never changes hands (the core
    /// refuses that), so what is known is kept; an unknown vehicle is asked about again.
    private let owners = Mutex<[String: String]>([:])
    /// The consumer of the current run, so graceful shutdown can close it.
    private let running = Mutex<KafkaConsumer?>(nil)

    /// - Parameter deadLetters: where unreadable messages go; `nil` makes them an error instead.
    public init(configuration: Configuration, store: PositionStore, deadLetters: KafkaProducer?, logger: Logger = Logger(label: "lubehub.core.positions")) {
        self.configuration = configuration
        self.store = store
        self.deadLetters = deadLetters
        self.logger = logger
    }

    /// Consumes and applies until `shouldStop` says so after a batch (or the consumer closes);
    /// returns once everything taken from Kafka is committed to the store.
    public func run(shouldStop: @Sendable (Counters) -> Bool = { _ in false }) async throws -> Counters {
        let group = configuration.consumer.groupID
        let pipeline = WritePipeline()
        let consumer = try KafkaConsumer(
            configuration: configuration.consumer,
            rebalanceListener: StoredOffsetsListener(stored: { [store] in try await store.storedOffsets(group: $0, topic: $1) }, group: group,
                                                     pipeline: pipeline, logger: logger),
            logger: logger
        )
        running.withLock { $0 = consumer }
        defer { running.withLock { $0 = nil } }
        var counters = Counters()
        let clock = ContinuousClock()
        // The group's committed offsets only help tools that show lag: the store is the source of
        // truth. They are committed only for batches the store has committed, so a partition the
        // store has never seen cannot start past a batch that was lost in a crash.
        var written: [KafkaTopicPartition: Int64] = [:]
        var lastPrune = clock.now
        do {
            var waitStarted = clock.now
            for try await batch in consumer.batches {
                counters.waiting += clock.now - waitStarted
                let decodeStarted = clock.now
                var decoded = decode(batch)
                try await refuseForeignVehicles(&decoded)
                counters.decoding += clock.now - decodeStarted
                try await deadLetter(decoded.rejected, counters: &counters)
                let storeStarted = clock.now
                let (store, fixes, consumed) = (store, decoded.fixes, decoded.consumed)
                let appliedBefore = counters.applied
                counters.applied = try await pipeline.submit { () async throws -> Int in
                    try await store.apply(fixes, consumed: consumed, group: group)
                    return fixes.count
                }
                metrics.count("applied", by: counters.applied - appliedBefore)
                counters.storing += clock.now - storeStarted
                counters.received += batch.count
                metrics.count("received", by: batch.count)
                counters.batches += 1
                // `submit` returned after the previous batch was committed to the store.
                try? await consumer.commit(written, mode: .async)
                written = decoded.nextOffsets
                if let retention = configuration.historyRetention, clock.now - lastPrune > .seconds(60) {
                    lastPrune = clock.now
                    let cutoff = Timestamp(Date().addingTimeInterval(-Double(retention.components.seconds)))
                    _ = try await pipeline.submit { () async throws -> Int in
                        let pruned = try await store.pruneHistory(olderThan: cutoff)
                        if pruned > 0 { self.logger.info("position history pruned", metadata: ["rows": "\(pruned)", "before": "\(cutoff)"]) }
                        return 0
                    }
                }
                if shouldStop(counters) { break }
                waitStarted = clock.now
            }
            let storeStarted = clock.now
            let appliedBefore = counters.applied
            counters.applied = try await pipeline.drain()
            metrics.count("applied", by: counters.applied - appliedBefore)
            counters.storing += clock.now - storeStarted
            try? await consumer.commit(written, mode: .sync)
        } catch {
            _ = try? await pipeline.drain()
            await consumer.close()
            throw error
        }
        await consumer.close()
        return counters
    }

    /// Runs until graceful shutdown (SIGTERM): the batch in hand is finished and committed to the
    /// store, then the consumer leaves the group.
    public func run() async throws {
        try await withGracefulShutdownHandler {
            let counters = try await self.run(shouldStop: { _ in false })
            logger.info("position ingest stopped", metadata: ["applied": "\(counters.applied)", "dead-lettered": "\(counters.deadLettered)"])
        } onGracefulShutdown: {
            // Closing ends the batch sequence once the current batch is handled.
            if let consumer = self.running.withLock({ $0 }) { Task { await consumer.close() } }
        }
    }

    struct DecodedBatch {
        var fixes: [IdentifiedFix] = []
        /// The message each fix came in, index for index.
        var fixMessages: [KafkaConsumerMessage] = []
        var consumed: [ConsumedPosition] = []
        var nextOffsets: [KafkaTopicPartition: Int64] = [:]
        var rejected: [(KafkaConsumerMessage, String)] = []
    }

    func decode(_ batch: [KafkaConsumerMessage]) -> DecodedBatch {
        var decoded = DecodedBatch()
        decoded.fixes.reserveCapacity(batch.count)
        let latest = Timestamp(Date()).milliseconds + Int64(configuration.futureMargin.components.seconds) * 1000
        var flagged = 0
        for message in batch {
            decoded.nextOffsets[message.topicPartition] = message.offset + 1
            guard let value = message.value else {
                decoded.rejected.append((message, "empty value: a vehicle.position event is required"))
                continue
            }
            do {
                let read = try VehicleFixReader.read(value)
                guard read.fix.fixAt.milliseconds <= latest else {
                    decoded.rejected.append((message, "data.fixAt: \(read.fix.fixAt.text) is more than \(configuration.futureMargin) ahead of the hub's clock"))
                    continue
                }
                let plausible = configuration.plausibility.flag(read.fix) == nil
                if !plausible { flagged += 1 }
                decoded.fixes.append(IdentifiedFix(eventId: read.eventId, fix: read.fix, plausible: plausible))
                decoded.fixMessages.append(message)
            } catch {
                decoded.rejected.append((message, error.description))
            }
        }
        decoded.consumed = decoded.nextOffsets.map { ConsumedPosition(topic: $0.key.topic, partition: $0.key.partition, nextOffset: $0.value) }
        if flagged > 0 { metrics.count("flagged", by: flagged) }
        return decoded
    }

    /// Moves each fix a carrier reported for another carrier's vehicle from the batch to its
    /// rejections. Owners not known yet are asked of the store once per batch.
    func refuseForeignVehicles(_ decoded: inout DecodedBatch) async throws {
        let reported = decoded.fixes.filter { $0.fix.carrierId != nil }
        guard !reported.isEmpty else { return }
        let unknown = owners.withLock { known in Set(reported.map(\.fix.vehicleId).filter { known[$0] == nil }) }
        if !unknown.isEmpty {
            let found = try await store.owners(of: unknown)
            owners.withLock { $0.merge(found) { old, _ in old } }
        }
        let known = owners.withLock { $0 }
        var kept: [IdentifiedFix] = []
        var keptMessages: [KafkaConsumerMessage] = []
        kept.reserveCapacity(decoded.fixes.count)
        keptMessages.reserveCapacity(decoded.fixes.count)
        for (item, message) in zip(decoded.fixes, decoded.fixMessages) {
            let vehicle = known[item.fix.vehicleId].map { CarrierOwnership.Vehicle(vehicleId: item.fix.vehicleId, carrierId: $0) }
            if let refusal = CarrierOwnership.vehicle(item.fix.vehicleId, by: item.fix.carrierId, registered: vehicle) {
                decoded.rejected.append((message, refusal))
            } else {
                kept.append(item)
                keptMessages.append(message)
            }
        }
        decoded.fixes = kept
        decoded.fixMessages = keptMessages
    }

    /// Dead letters go out before their batch is recorded as applied: if sending fails, the
    /// batch is read again rather than lost.
    private func deadLetter(_ rejected: [(KafkaConsumerMessage, String)], counters: inout Counters) async throws {
        guard !rejected.isEmpty else { return }
        guard let deadLetters else { throw UnreadableWithoutDeadLetters(reason: rejected[0].1) }
        for (message, reason) in rejected {
            try await deadLetters.send(DeadLetter.message(for: message, to: configuration.deadLetterTopic, reason: reason, stage: .decode))
        }
        counters.deadLettered += rejected.count
        metrics.count("dead-lettered", by: rejected.count)
    }
}
