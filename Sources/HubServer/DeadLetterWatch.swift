public import Foundation
public import HubContracts
public import HubMessaging
public import Kafka
public import Logging
public import ServiceLifecycle
import Synchronization

/// Follows every dead-letter topic of the catalogue from its start, for the console's operations
/// page: counts by topic and (folded) reason, and the latest letters with their original message.
/// A consumer group of its own per process, never committed: each process reads the topics whole
/// (a dead letter is rare; if they are not, that is what the page is for). What it keeps is
/// bounded: the latest `keep` letters and one count per topic and reason.
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
        /// Whether the watch has read to the end of the topics at least once.
        public var caughtUp: Bool
    }

    private struct State {
        var counts: [String: (topic: String, reason: String, count: Int)] = [:]
        var latest: [Letter] = []
        var caughtUp = false
    }

    private let client: KafkaClientConfiguration
    private let topics: [String]
    private let keep: Int
    private let logger: Logger
    private let state = Mutex(State())

    public init(client: KafkaClientConfiguration, catalogue: TopicCatalogue, topicPrefix: String = "", keep: Int = 100,
                logger: Logger = Logger(label: "lubehub.console.dead-letters")) {
        self.client = client
        self.topics = catalogue.topics.filter { $0.flow == .deadLetter }.map { topicPrefix + $0.name }
        self.keep = keep
        self.logger = logger
    }

    public var snapshot: Snapshot {
        state.withLock { state in
            Snapshot(counts: state.counts.values.sorted { ($0.count, $1.reason) > ($1.count, $0.reason) }, latest: state.latest.reversed(),
                     caughtUp: state.caughtUp)
        }
    }

    public func run() async throws {
        guard !topics.isEmpty else { return }
        var quiet = client
        quiet.properties["log_level"] = "0"
        let consumer = try KafkaConsumer(configuration: .init(client: quiet, groupID: "lubehub-console-dlq-\(UUID().uuidString.prefix(8))", topics: topics,
                                                              sessionTimeout: .seconds(10), autoOffsetReset: .earliest, maxBatchSize: 1_000))
        await cancelWhenGracefulShutdown {
            do {
                while let batch = try await consumer.nextBatch() {
                    self.take(batch)
                }
            } catch {
                self.logger.warning("the dead-letter topics could not be read; the operations page shows none", metadata: ["error": "\(error)"])
            }
        }
        await consumer.close()
    }

    func take(_ batch: [KafkaConsumerMessage]) {
        let letters = batch.map { message in
            Letter(topic: message.topic, offset: message.offset, record: DeadLetter.record(of: message.headers),
                   original: String(decoding: (message.value ?? []).prefix(4_096), as: UTF8.self))
        }
        state.withLock { state in
            for letter in letters {
                let reason = DeadLetter.fold(letter.record?.reason ?? "(no reason header)")
                state.counts[letter.topic + "|" + reason, default: (letter.topic, reason, 0)].count += 1
                state.latest.append(letter)
            }
            if state.latest.count > keep { state.latest.removeFirst(state.latest.count - keep) }
            // A batch smaller than the largest the consumer hands out: it read what there was.
            if batch.count < 1_000 { state.caughtUp = true }
        }
    }
}
