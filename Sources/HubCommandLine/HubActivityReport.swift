import Adapters
public import Foundation
public import HubContracts
import HubMessaging
public import HubServer
import HubStore
public import Kafka

/// What the hub made of a stretch of business, read from where it keeps it: orders by status,
/// shipments (and the late ones), positions applied, from the core's database; dead letters by
/// reason, from the dead-letter topics; how far behind the core and each adapter are, from the
/// broker's end offsets against the offsets they stored or committed.
public struct HubActivityReport {
    var counts = HubActivityCounts()
    var deadLetters: [(topic: String, reason: String, count: Int)] = []
    var coreLag: [String: Int64] = [:]
    var adapterLag: [String: Int64] = [:]

    var totalLag: Int64 { coreLag.values.reduce(0, +) + adapterLag.values.reduce(0, +) }

    /// Every lag, once: the core's (per topic) and each adapter worker's (per consumer group).
    public static func lags(configuration: HubConfiguration, catalogue: TopicCatalogue, client: KafkaClientConfiguration) async throws -> (core: [String: Int64], adapters: [String: Int64]) {
        let core = configuration.core
        let coreLag = try await ConsumerLagReadiness(client: client, location: DatabaseLocation(parsing: core.database), groups: [core.group, core.eventsGroup],
                                                     topics: core.eventTopics + [core.positionsTopic], maxLag: .max).lags()
        var quiet = client
        quiet.properties["log_level"] = "0"
        var adapters: [String: Int64] = [:]
        let admin = try KafkaAdmin(configuration: quiet)
        for (group, topics) in HubAdapters.consumerGroups(catalogue: catalogue) {
            let consumer = try KafkaConsumer(configuration: .init(client: quiet, groupID: group, topics: []))
            var lag: Int64 = 0
            for topic in topics {
                let ends = try await admin.endOffsets(topic: topic, timeout: .seconds(5))
                let committed = try await consumer.committed(ends.keys.map { KafkaTopicPartition(topic: topic, partition: $0) }, timeout: .seconds(5))
                for (partition, end) in ends {
                    let done = committed[KafkaTopicPartition(topic: topic, partition: partition)].flatMap { $0 } ?? 0
                    lag += max(0, end - done)
                }
            }
            await consumer.close()
            adapters[group] = lag
        }
        return (coreLag, adapters)
    }

    /// The report of everything since `since` (orders submitted, shipments updated, fixes taken, dead letters written).
    public static func collect(configuration: HubConfiguration, catalogue: TopicCatalogue, client: KafkaClientConfiguration, since: Date) async throws -> HubActivityReport {
        var report = HubActivityReport()
        let location = DatabaseLocation(parsing: configuration.core.database)
        let sinceTime = Timestamp(since)
        report.counts = try await ReadConnections.open(location, label: "activity-report").read { reader throws(StoreError) in try reader.activity.since(sinceTime) }
        report.deadLetters = try await deadLetters(catalogue: catalogue, client: client, since: since)
        (report.coreLag, report.adapterLag) = try await lags(configuration: configuration, catalogue: catalogue, client: client)
        return report
    }

    /// The dead letters written since `since`, counted by topic and reason (numbers and quoted
    /// values in a reason are folded, so one kind of fault is one line).
    static func deadLetters(catalogue: TopicCatalogue, client: KafkaClientConfiguration, since: Date) async throws -> [(topic: String, reason: String, count: Int)] {
        let topics = catalogue.topics.filter { $0.flow == .deadLetter }.map(\.name)
        var quiet = client
        quiet.properties["log_level"] = "0"
        let admin = try KafkaAdmin(configuration: quiet)
        var written = false
        for topic in topics where try await admin.endOffsets(topic: topic, timeout: .seconds(5)).values.contains(where: { $0 > 0 }) {
            written = true
            break
        }
        guard written else { return [] }
        let consumer = try KafkaConsumer(configuration: .init(client: quiet, groupID: "lubehub-report-\(UUID().uuidString.prefix(8))", topics: topics,
                                                              sessionTimeout: .seconds(6), autoOffsetReset: .earliest, maxBatchSize: 5_000))
        var counts: [String: (topic: String, reason: String, count: Int)] = [:]
        let sinceMs = Int64(since.timeIntervalSince1970 * 1000)
        // Read until nothing more comes (the group join first): a broker's end offsets are not
        // trusted to say where a topic ends (tansu's count the last batch, not the last record).
        var idle: Duration = .seconds(15)
        while let batch = try await nextBatch(consumer, within: idle) {
            idle = .seconds(2)
            for message in batch {
                guard (message.timestampMilliseconds ?? sinceMs) >= sinceMs else { continue }
                let reason = message.headers.first { $0.name == DeadLetter.reasonHeader }?.value.map { String(decoding: $0, as: UTF8.self) } ?? "(no reason header)"
                let folded = DeadLetter.fold(reason)
                counts[message.topic + "|" + folded, default: (message.topic, folded, 0)].count += 1
            }
        }
        await consumer.close()
        return counts.values.sorted { ($0.count, $1.reason) > ($1.count, $0.reason) }
    }

    /// The consumer's next batch, or `nil` when none comes within `limit`.
    static func nextBatch(_ consumer: KafkaConsumer, within limit: Duration) async throws -> [KafkaConsumerMessage]? {
        try await withThrowingTaskGroup(of: [KafkaConsumerMessage]?.self) { group in
            group.addTask { try await consumer.nextBatch() }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    public var text: String {
        var lines: [String] = []
        func byStatus(_ entries: [(status: String, count: Int)]) -> String {
            entries.isEmpty ? "" : " — " + entries.map { "\($0.status) \($0.count)" }.joined(separator: ", ")
        }
        let orders = counts.ordersByStatus.reduce(0) { $0 + $1.count }
        lines.append("orders submitted in the run: \(orders)" + byStatus(counts.ordersByStatus))
        let shipments = counts.shipmentsByStatus.reduce(0) { $0 + $1.count }
        lines.append("shipments: \(shipments)" + byStatus(counts.shipmentsByStatus) + "; late: \(counts.lateShipments)")
        lines.append("positions applied: \(counts.positionsApplied) fixes, \(counts.vehiclesTracked) vehicles with a current position")
        lines.append("sell-through kept (流向): \(counts.sellThroughRecords) records from \(counts.sellThroughDealers) dealers")
        lines.append("engagement: \(counts.announcements) announcements, \(counts.promotionPricedLines) order lines priced by a promotion; "
                     + "\(counts.surveys) surveys, \(counts.surveyResponses) responses kept; tickets "
                     + counts.ticketsByKind.map { "\($0.kind) \($0.count)" }.joined(separator: ", ")
                     + (counts.ticketsByStatus.isEmpty ? "" : " (" + counts.ticketsByStatus.map { "\($0.status) \($0.count)" }.joined(separator: ", ") + ")")
                     + "; counterfeit reports the anti-counterfeit system confirms: \(counts.counterfeitConfirmed)")
        let dead = deadLetters.reduce(0) { $0 + $1.count }
        lines.append("dead letters: \(dead)")
        for entry in deadLetters.prefix(15) { lines.append("  \(entry.count) × \(entry.topic): \(entry.reason)") }
        if deadLetters.count > 15 { lines.append("  … and \(deadLetters.count - 15) other reasons") }
        // Offsets, not messages: a partition a transactional producer wrote ends in its commit
        // marker, which a consumer that has read everything never passes.
        lines.append("consumer lag (offsets; up to one per partition is a transaction's commit marker): core \(coreLag.values.reduce(0, +)), "
                     + "adapters \(adapterLag.values.reduce(0, +))"
                     + (totalLag == 0 ? "" : " — " + (coreLag.merging(adapterLag) { $0 + $1 }).filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }
}
