public import ArgumentParser
import Foundation
public import Kafka
public import Simulator

/// `lubehub simulate --history-months`: years of the company's business published on the core's
/// topics, month by month (``CompanyHistory``), with a progress bar; what it took, said at the end.
public enum HistoryPublisher {
    public static func publish(_ company: Company, plan: CompanyHistory.Plan, client: KafkaClientConfiguration, topicPrefix: String,
                               report: (String) -> Void) async throws {
        try await publish(company, plan: plan, client: client, topic: { topicPrefix + $0 }, report: report)
    }

    /// Publishes each event on `topic(its canonical topic)` (one topic for all: `lubehub-bench
    /// analytics --through-kafka`, which wants them in order); how many events it published.
    @discardableResult
    public static func publish(_ company: Company, plan: CompanyHistory.Plan, client: KafkaClientConfiguration, topic: (String) -> String,
                               report: (String) -> Void) async throws -> Int {
        let started = ContinuousClock.now
        let producer = try KafkaProducer(configuration: .init(client: client, linger: .milliseconds(5)))
        var history = CompanyHistory(company: company, plan: plan)
        var progress = ProgressBar(title: "history", total: plan.months, unit: "months")
        var (events, orders) = (0, 0)
        for month in 0..<plan.months {
            let entries = history.events(ofMonth: month)
            for start in stride(from: 0, to: entries.count, by: 2_000) {
                let batch = try entries[start..<min(start + 2_000, entries.count)].map { entry in
                    KafkaProducerMessage(topic: topic(entry.entry.topic), key: Array(entry.entry.event.subject.utf8), value: try entry.entry.event.encoded())
                }
                let reports = try await producer.sendBatch(batch)
                if let failed = reports.first(where: { !$0.succeeded }) {
                    throw ValidationError("the broker refused a message: \(failed.error.map { "\($0)" } ?? "no acknowledgement")")
                }
            }
            events += entries.count
            orders += entries.filter { if case .orderSubmit = $0.entry.event.data { true } else { false } }.count
            progress.advance(to: month + 1)
        }
        progress.finish()
        try await producer.shutdown()
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        let first = history.month(at: 0), last = history.month(at: plan.months - 1)
        report("published \(plan.months) months of history (\(first.year)-\(first.month) to \(last.year)-\(last.month)): \(orders) orders, \(events) events in "
               + "\(String(format: "%.1f", seconds)) s; the core takes it from here")
        return events
    }
}
