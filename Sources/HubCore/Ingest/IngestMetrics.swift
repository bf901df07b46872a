import CoreMetrics
import Kafka
import Synchronization

/// What the core's consumers did, through swift-metrics: `lubehub_core_messages_total` with the
/// stream (`events`, `positions`) and the outcome (received, applied, duplicate, held, released,
/// dead-lettered) as dimensions. A consumer with a name (`interactive`, `events`) also times where
/// an event's time goes: `lubehub_core_event_wait_seconds` by topic, from when its producer sent it
/// to the start of the transaction that applies it (the producer's linger or transaction, the
/// broker, the fetch wait, the runs ahead of it), and `lubehub_core_transaction_seconds` by
/// consumer, that transaction from asking for the store's connection (the wait for it and for the
/// database's write lock included) to its commit.
/// `lubehub_core_offset_gaps_total` counts the gaps in consumed offsets by outcome (recorded, read
/// again, given up: see ``OffsetGap``).
final class IngestMetrics: Sendable {
    private let counters: [String: Counter]
    private let gapCounters: [String: Counter]
    /// `nil` when the ingest has no consumer name: then nothing is timed.
    private let transaction: Timer?
    private let waits = Mutex<[String: Timer]>([:])
    private let factory: any MetricsFactory

    /// - Parameter gapOutcomes: the outcomes of gaps counted (none where gaps are not looked for).
    init(stream: String, outcomes: [String], gapOutcomes: [String] = [], consumer: String? = nil, factory: any MetricsFactory = MetricsSystem.factory) {
        var counters: [String: Counter] = [:]
        for outcome in outcomes {
            counters[outcome] = Counter(label: "lubehub_core_messages_total", dimensions: [("stream", stream), ("outcome", outcome)], factory: factory)
        }
        self.counters = counters
        gapCounters = Dictionary(uniqueKeysWithValues: gapOutcomes.map {
            ($0, Counter(label: "lubehub_core_offset_gaps_total", dimensions: [("stream", stream), ("outcome", $0)], factory: factory))
        })
        self.factory = factory
        transaction = consumer.map { Timer(label: "lubehub_core_transaction_seconds", dimensions: [("consumer", $0)], factory: factory) }
    }

    /// How long each of `messages` waited, from its producer's timestamp to now (the start of the
    /// transaction that applies it). A message without a timestamp, or stamped ahead of this
    /// machine's clock, is left out.
    func waited(_ messages: some Sequence<KafkaConsumerMessage>, nowMilliseconds: Int64) {
        guard transaction != nil else { return }
        for message in messages {
            guard let sent = message.timestampMilliseconds, sent > 0, nowMilliseconds >= sent else { continue }
            let timer = waits.withLock { timers in
                if let timer = timers[message.topic] { return timer }
                let timer = Timer(label: "lubehub_core_event_wait_seconds", dimensions: [("topic", message.topic)], factory: factory)
                timers[message.topic] = timer
                return timer
            }
            timer.recordMilliseconds(nowMilliseconds - sent)
        }
    }

    func transactionTook(_ duration: Duration) {
        transaction?.recordSeconds(duration / .seconds(1))
    }

    func count(_ outcome: String, by amount: Int = 1) {
        guard amount > 0 else { return }
        counters[outcome]?.increment(by: amount)
    }

    func countGaps(_ outcome: String, by amount: Int) {
        guard amount > 0 else { return }
        gapCounters[outcome]?.increment(by: amount)
    }
}
