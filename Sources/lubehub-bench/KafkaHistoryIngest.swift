import ArgumentParser
import Foundation
import HubCommandLine
import HubContracts
import HubCore
import HubServer
import HubStore
import Kafka
import Simulator

/// The core's ingest of a slice of history as `lubehub core` runs it: the slice's events published
/// once, in the order the business made them, on one topic of one partition; then, on a fresh
/// database each time (its master data applied first, untimed), ``EventIngest`` — its Kafka
/// consumer, its parsing, a savepoint per event, the consumed offsets, transactions of up to 200
/// events or 20 ms — with the figures kept and not. What ``HistoryLoader`` times is the rules alone
/// in transactions of 500; this is the ingest the 15 % is about, both are reported.
struct KafkaHistoryIngest {
    let client: KafkaClientConfiguration
    let topic: String
    let events: Int
    static let deadLetterTopic = "bench.analytics.dead-letters"

    /// Publishes the slice's history (not its master data) to a new topic.
    static func publish(_ company: Company, plan: CompanyHistory.Plan, client: KafkaClientConfiguration, runID: String,
                        progress: (String) -> Void) async throws -> KafkaHistoryIngest {
        let topic = "bench.analytics.\(runID)"
        let admin = try KafkaAdmin(configuration: client)
        let created = try await admin.createTopics([KafkaNewTopic(name: topic, partitions: 1), KafkaNewTopic(name: Self.deadLetterTopic, partitions: 1)])
        if case .failed(let reason)? = created[topic] { throw ValidationError("could not create \(topic): \(reason)") }
        let published = try await HistoryPublisher.publish(company, plan: plan, client: client, topic: { _ in topic }, report: progress)
        return KafkaHistoryIngest(client: client, topic: topic, events: published)
    }

    struct Ingested {
        var rate: Double
        var counters: EventIngest.Counters
        /// This process's CPU time from the master data's end to the last event (its Kafka client's threads included).
        var cpuSeconds: Double
        /// The figures' folds over the run (none with the figures not kept).
        var folds: FigureFolder.Totals
    }

    /// Runs the core's ingest over the topic into a fresh database with `company`'s master data,
    /// until it has received every event; the rate counts from its first applied batch. `beside`,
    /// when given, runs from the master data's end until the ingest's, then is cancelled; what it
    /// throws, this does.
    func ingest(into location: DatabaseLocation, company: Company, keepsFigures: Bool, foldInterval: Duration, group: String,
                beside: (@Sendable () async throws -> Void)? = nil) async throws -> Ingested {
        var loader = try HistoryLoader(location: location, keepsFigures: keepsFigures, foldInterval: foldInterval)
        _ = try await loader.applyMasterData(company)
        let store = loader.store
        let usage = ProcessUsage.current()
        var consumerClient = client
        consumerClient.clientID = "lubehub-bench-analytics-ingest"
        consumerClient.properties = ["queued.min.messages": "200000"]
        let deadLetters = try KafkaProducer(configuration: .init(client: client))
        let ingest = EventIngest(
            configuration: .init(consumer: .init(client: consumerClient, groupID: group, topics: [topic], sessionTimeout: .seconds(6),
                                                 autoOffsetReset: .earliest, fetchWaitMax: .milliseconds(20)),
                                 deadLetterTopic: Self.deadLetterTopic, retryInterval: .seconds(1)),
            store: store, rules: CoreRules(keepsFigures: keepsFigures), deadLetters: deadLetters)
        let target = events
        let clock = FirstBatchClock()
        let besideTask = beside.map { body in Task { try await body() } }
        let counters = try await loader.whileMaintained {
            try await ingest.run { counters in
                if counters.applied > 0 { clock.mark(applied: counters.received) }
                return counters.received >= target
            }
        }
        besideTask?.cancel()
        try await besideTask?.value
        try await deadLetters.shutdown()
        // What was appended since the last fold, as the core's next fold would: in the CPU time, not in the rate.
        if loader.folds { try await loader.folder.fold() }
        return Ingested(rate: clock.rate(applied: counters.received), counters: counters, cpuSeconds: ProcessUsage.current().cpuSeconds - usage.cpuSeconds,
                        folds: loader.folder.totals)
    }
}
