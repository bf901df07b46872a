import CoreMetrics

/// What the core's consumers did, through swift-metrics: `lubehub_core_messages_total` with the
/// stream (`events`, `positions`) and the outcome (received, applied, duplicate, held, released,
/// dead-lettered) as dimensions.
final class IngestMetrics: Sendable {
    private let counters: [String: Counter]

    init(stream: String, outcomes: [String], factory: any MetricsFactory = MetricsSystem.factory) {
        var counters: [String: Counter] = [:]
        for outcome in outcomes {
            counters[outcome] = Counter(label: "lubehub_core_messages_total", dimensions: [("stream", stream), ("outcome", outcome)], factory: factory)
        }
        self.counters = counters
    }

    func count(_ outcome: String, by amount: Int = 1) {
        guard amount > 0 else { return }
        counters[outcome]?.increment(by: amount)
    }
}
