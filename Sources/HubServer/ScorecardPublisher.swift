import Foundation
import HubAPI
import HubContracts
import HubCore
import HubDomain
import HubStore
import Logging
import ServiceLifecycle

/// Publishes the scorecards (R8) on the compacted `hub.scorecards` for downstream BI: every
/// `interval`, each kind's rows for this month and for the year to date, each row as one
/// `scorecard.published` event keyed `kind:period:id` — only the rows that changed since it last
/// published them (all of them once after a start: compaction keeps the latest anyway). The rows
/// go through the core's outbox, so they reach the broker as the core's other events do.
final class ScorecardPublisher: Service, Sendable {
    private let store: CoreStore
    private let interval: Duration
    private let logger: Logger
    /// What each key last published, so an unchanged row is not sent again.
    private let changes = ChangedRows()

    init(store: CoreStore, interval: Duration, logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    func run() async throws {
        await everyRound(interval, logger: logger, failure: "scorecards not published this round") {
            let sent = try await self.publishOnce(now: Date())
            if sent > 0 { self.logger.info("scorecards published", metadata: ["rows": "\(sent)"]) }
        }
    }

    /// One round: the rows that changed, written to the outbox; how many.
    func publishOnce(now: Date) async throws -> Int {
        let month = FigureMonth(now)
        let periods = [(month.text, AnalyticsPeriod(months: month...month)),
                       (String(month.year), AnalyticsPeriod(months: (FigureMonth(year: month.year, month: 1) ?? month)...month))]
        var rows: [(key: String, data: ScorecardPublished)] = []
        for kind in ScorecardKind.allCases {
            let weights = (try? kind.weights(overriding: nil).get()) ?? [:]
            for (label, period) in periods {
                let table = try await store.read { reader throws(StoreError) in
                    try AnalyticsAnswers.scorecard(kind, period: period, reach: .all, weights: weights, sort: "score", descending: true,
                                                   limit: .max, offset: 0, in: reader)
                }
                for row in table.rows {
                    guard let from = CalendarDate(table.period.from), let to = CalendarDate(table.period.to) else { continue }
                    let decimal = { (text: String) in DecimalNumber(text) ?? DecimalNumber(0) }
                    rows.append(("\(kind.rawValue):\(label):\(row.id)", ScorecardPublished(
                        kind: kind.rawValue, period: label, from: from, to: to, id: row.id, name: row.name, rank: row.rank, score: row.score.text.flatMap(DecimalNumber.init),
                        measures: row.measures.compactMapValues { $0.text.flatMap(DecimalNumber.init) },
                        weights: Dictionary(uniqueKeysWithValues: weights.map { ($0.key.rawValue, $0.value) }),
                        contractedVolume: decimal(row.figures.contractedVolume), takenVolume: decimal(row.figures.takenVolume),
                        revenue: decimal(row.figures.revenue), grossMargin: decimal(row.figures.grossMargin),
                        ordersSubmitted: Int(row.figures.ordersSubmitted), ordersValid: Int(row.figures.ordersValid))))
                }
            }
        }
        // The same row published again (after a restart) carries the same id: subscribers drop the repeat.
        return try await changes.publish(rows, topic: TopicName.scorecards, store: store, now: now) { key, data, digest in
            ("scorecards:\(key):\(String(digest, radix: 36))", .scorecardPublished(data))
        }
    }

}
