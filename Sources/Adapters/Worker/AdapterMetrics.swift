public import CoreMetrics
import Kafka
import Synchronization

/// One adapter's metrics, recorded through swift-metrics (exported in Prometheus format by the
/// server): messages in, canonical messages out, dead letters, skipped inputs, transactions
/// committed and aborted with their duration, and the consumer lag of each partition it reads.
///
/// | metric | dimensions |
/// |---|---|
/// | `lubehub_adapter_messages_in_total` | adapter |
/// | `lubehub_adapter_messages_out_total` | adapter |
/// | `lubehub_adapter_dead_letters_total` | adapter |
/// | `lubehub_adapter_skipped_total` | adapter |
/// | `lubehub_adapter_transactions_total` | adapter, result (committed, aborted) |
/// | `lubehub_adapter_transaction_seconds` | adapter |
/// | `lubehub_adapter_lag_messages` | adapter, topic, partition |
public final class AdapterMetrics: Sendable {
    private let adapter: String
    private let factory: any MetricsFactory
    private let received: Counter
    private let produced: Counter
    private let deadLettered: Counter
    private let skipped: Counter
    private let committed: Counter
    private let aborted: Counter
    private let transactionTime: Timer
    private let lagGauges = Mutex<[KafkaTopicPartition: Gauge]>([:])

    public init(adapter: String, factory: any MetricsFactory = MetricsSystem.factory) {
        self.adapter = adapter
        self.factory = factory
        let dimensions = [("adapter", adapter)]
        received = Counter(label: "lubehub_adapter_messages_in_total", dimensions: dimensions, factory: factory)
        produced = Counter(label: "lubehub_adapter_messages_out_total", dimensions: dimensions, factory: factory)
        deadLettered = Counter(label: "lubehub_adapter_dead_letters_total", dimensions: dimensions, factory: factory)
        skipped = Counter(label: "lubehub_adapter_skipped_total", dimensions: dimensions, factory: factory)
        committed = Counter(label: "lubehub_adapter_transactions_total", dimensions: dimensions + [("result", "committed")], factory: factory)
        aborted = Counter(label: "lubehub_adapter_transactions_total", dimensions: dimensions + [("result", "aborted")], factory: factory)
        transactionTime = Timer(label: "lubehub_adapter_transaction_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds, factory: factory)
    }

    func committed(received: Int, produced: Int, deadLettered: Int, skipped: Int, duration: Duration) {
        self.received.increment(by: received)
        self.produced.increment(by: produced)
        self.deadLettered.increment(by: deadLettered)
        self.skipped.increment(by: skipped)
        committed.increment()
        transactionTime.recordNanoseconds(Self.nanoseconds(duration))
    }

    func aborted(duration: Duration) {
        aborted.increment()
        transactionTime.recordNanoseconds(Self.nanoseconds(duration))
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds &* 1_000_000_000 &+ duration.components.attoseconds / 1_000_000_000
    }

    /// Messages between the next offset to read and the partition's end.
    func lag(_ partition: KafkaTopicPartition, messages: Int64) {
        let gauge = lagGauges.withLock { gauges in
            if let gauge = gauges[partition] { return gauge }
            let gauge = Gauge(label: "lubehub_adapter_lag_messages",
                              dimensions: [("adapter", adapter), ("topic", partition.topic), ("partition", String(partition.partition))], factory: factory)
            gauges[partition] = gauge
            return gauge
        }
        gauge.record(max(0, messages))
    }
}
