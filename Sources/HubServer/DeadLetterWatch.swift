public import Foundation
public import HubContracts
public import HubMessaging
public import Kafka
public import Logging
public import ServiceLifecycle
import Synchronization

/// Reads every dead-letter topic of the catalogue for the console's operations page: counts by
/// topic and (folded) reason, and the latest letters with their original message.
///
/// It does not follow the topics with a consumer group: on the broker used here a follower can be
/// skipped past messages (README, the broker's known defects), and a dead letter missed that way
/// would never show. Instead it asks each partition's end offset every `interval` and, where the
/// end moved, reads that partition again — the last `window` offsets before its end, with a
/// consumer in no group assigned to them — and replaces what it held for it. A read that ends on a
/// transaction's commit marker cannot tell it reached the end, so a partition is read once more at
/// the same end before it counts as settled. What it keeps is bounded: per partition the latest
/// `keep` letters and one count per reason.
public final class DeadLetterWatch: Service, Sendable {
    public struct Letter: Sendable, Equatable {
        public var topic: String
        public var offset: Int64
        public var record: DeadLetter.Record?
        public var original: String
    }

    public struct Snapshot: Sendable {
        public var counts: [(topic: String, reason: String, count: Int)]
        public var latest: [Letter]
        /// Whether every dead-letter partition has been read to its end at least once.
        public var caughtUp: Bool
    }

    /// What one partition held when it was last read.
    struct PartitionLetters: Sendable {
        var end: Int64
        var reads = 1
        var counts: [String: Int] = [:]
        var latest: [Letter] = []
    }

    private struct State {
        var partitions: [KafkaTopicPartition: PartitionLetters] = [:]
        var caughtUp = false
    }

    private let client: KafkaClientConfiguration
    private let topics: [String]
    private let keep: Int
    private let window: Int64
    private let interval: Duration
    private let logger: Logger
    private let state = Mutex(State())

    public init(client: KafkaClientConfiguration, catalogue: TopicCatalogue, topicPrefix: String = "", keep: Int = 100, window: Int64 = 10_000,
                interval: Duration = .seconds(3), logger: Logger = Logger(label: "lubehub.console.dead-letters")) {
        self.client = client
        self.topics = catalogue.topics.filter { $0.flow == .deadLetter }.map { topicPrefix + $0.name }
        self.keep = keep
        self.window = window
        self.interval = interval
        self.logger = logger
    }

    public var snapshot: Snapshot {
        state.withLock { state in
            var counts: [String: (topic: String, reason: String, count: Int)] = [:]
            for (partition, held) in state.partitions {
                for (reason, count) in held.counts { counts[partition.topic + "|" + reason, default: (partition.topic, reason, 0)].count += count }
            }
            // Newest first: by when the letter was written (its header), then by offset.
            let latest = state.partitions.values.flatMap(\.latest)
                .sorted { ($0.record?.failedAt ?? "", $0.offset) > ($1.record?.failedAt ?? "", $1.offset) }
            return Snapshot(counts: counts.values.sorted { ($0.count, $1.reason) > ($1.count, $0.reason) }, latest: Array(latest.prefix(keep)),
                            caughtUp: state.caughtUp)
        }
    }

    public func run() async throws {
        guard !topics.isEmpty else { return }
        var quiet = client
        quiet.properties["log_level"] = "0"
        let admin = try KafkaAdmin(configuration: quiet)
        let reader = try KafkaConsumer(configuration: .init(client: quiet, groupID: "lubehub-console-dlq-\(UUID().uuidString.prefix(8))", topics: [],
                                                            autoOffsetReset: .earliest, maxBatchSize: 1_000))
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.sweep(admin: admin, reader: reader)
                } catch {
                    self.logger.warning("the dead-letter topics could not be read; the operations page shows what was read before", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.interval)
            }
        }
        await reader.close()
    }

    /// One round: the partitions whose end moved (or that are not settled yet) are read again.
    func sweep(admin: KafkaAdmin, reader: KafkaConsumer) async throws {
        let existing = try await admin.listTopics()
        let partitions = topics.flatMap { topic in (0..<(existing[topic] ?? 0)).map { KafkaTopicPartition(topic: topic, partition: $0) } }
        let marks = try await reader.watermarks(partitions)
        let held = state.withLock { $0.partitions }
        let stale = marks.filter { partition, mark in
            guard let before = held[partition] else { return true }
            return before.end != mark.high || before.reads < 2
        }
        logger.debug("dead-letter sweep", metadata: ["marks": "\(marks.filter { $0.value.high > 0 }.map { "\($0.key)=\($0.value.low)..\($0.value.high)" })",
                                                     "stale": "\(stale.count)"])
        let empty = stale.filter { $0.value.high <= $0.value.low }
        var read: [KafkaTopicPartition: [KafkaConsumerMessage]] = empty.mapValues { _ in [] }
        let toRead = stale.filter { $0.value.high > $0.value.low }
        if !toRead.isEmpty {
            let starts = toRead.mapValues { max($0.low, $0.high - window) }
            read.merge(try await Self.read(reader, from: starts, to: toRead.mapValues(\.high), timeout: .seconds(2))) { $1 }
        }
        logger.debug("dead-letter read", metadata: ["read": "\(read.filter { !$0.value.isEmpty }.mapValues(\.count))"])
        let keep = keep
        state.withLock { state in
            for (partition, messages) in read {
                let end = marks[partition]?.high ?? 0
                var letters = PartitionLetters(end: end)
                if let before = state.partitions[partition], before.end == end { letters.reads = before.reads + 1 }
                for message in messages {
                    let letter = Letter(topic: message.topic, offset: message.offset, record: DeadLetter.record(of: message.headers),
                                        original: String(decoding: (message.value ?? []).prefix(4_096), as: UTF8.self))
                    letters.counts[DeadLetter.fold(letter.record?.reason ?? "(no reason header)"), default: 0] += 1
                    letters.latest.append(letter)
                }
                letters.latest = Array(letters.latest.suffix(keep))
                state.partitions[partition] = letters
            }
            state.caughtUp = partitions.allSatisfy { state.partitions[$0] != nil }
        }
    }

    /// The messages of each partition from its start up to (not including) its end, or what came
    /// within `timeout` (a partition whose last offset is a commit marker never hands out its end).
    static func read(_ reader: KafkaConsumer, from starts: [KafkaTopicPartition: Int64], to ends: [KafkaTopicPartition: Int64],
                     timeout: Duration) async throws -> [KafkaTopicPartition: [KafkaConsumerMessage]] {
        try reader.assign(starts.mapValues { KafkaOffset($0) })
        defer { try? reader.assign([:]) }
        return try await withThrowingTaskGroup(of: [KafkaTopicPartition: [KafkaConsumerMessage]]?.self) { tasks in
            tasks.addTask {
                var found: [KafkaTopicPartition: [KafkaConsumerMessage]] = starts.mapValues { _ in [] }
                var open = Set(starts.keys)
                while !open.isEmpty, let batch = try await reader.nextBatch() {
                    for message in batch where message.offset < ends[message.topicPartition] ?? 0 {
                        found[message.topicPartition, default: []].append(message)
                        if message.offset >= (ends[message.topicPartition] ?? 0) - 1 { open.remove(message.topicPartition) }
                    }
                }
                return found
            }
            tasks.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            // At the timeout the reader is cancelled: its batch wait ends and it hands back what it read.
            var found: [KafkaTopicPartition: [KafkaConsumerMessage]] = [:]
            while let finished = try await tasks.next() {
                tasks.cancelAll()
                if let finished { found = finished }
            }
            return found
        }
    }
}
