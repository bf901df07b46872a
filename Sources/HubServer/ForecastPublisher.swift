import Foundation
import HubAPI
import HubContracts
import HubCore
import HubDomain
import HubStore
import Logging
import Metrics
import ServiceLifecycle

/// Publishes the demand forecasts (R4, issue 30) on the compacted `hub.forecasts` for downstream
/// planning: every `interval`, each product line's (the company's) and each product line × province's
/// forecast with two years of history or more, as one `forecast.published` keyed
/// `product-line:<line>` or `province:<line>:<province>` — only those that changed since it last
/// published them (all once after a start). Through the core's outbox, like its other events.
final class ForecastPublisher: Service, Sendable {
    private let store: CoreStore
    private let interval: Duration
    private let logger: Logger
    private let changes = ChangedRows()
    private let seconds = Timer(label: "lubehub_forecast_round_seconds")

    init(store: CoreStore, interval: Duration, logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    func run() async throws {
        await everyRound(interval, logger: logger, failure: "forecasts not published this round") {
            let sent = try await self.publishOnce(now: Date())
            if sent > 0 { self.logger.info("forecasts published", metadata: ["series": "\(sent)"]) }
        }
    }

    /// One round: the forecasts that changed, written to the outbox; how many.
    func publishOnce(now: Date) async throws -> Int {
        let started = ContinuousClock.now
        var rows: [(key: String, data: ForecastPublished)] = []
        for by in [ForecastBreakdown.productLine, .province] {
            let table = try await store.read { reader throws(StoreError) in try ForecastAnswers.forecast(by: by, reach: .all, now: now, in: reader) }
            for row in table.rows {
                guard let data = Self.event(row, of: table) else { continue }
                rows.append(((by == .productLine ? "product-line:" : "province:") + row.id, data))
            }
        }
        seconds.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
        // Published again unchanged (after a restart) it carries the same id: subscribers drop the repeat. The key may
        // name a province in Chinese, which an event id may not carry: its digest stands in for it.
        return try await changes.publish(rows, topic: TopicName.forecasts, store: store, now: now) { key, data, digest in
            ("forecasts:\(data.basedOn):\(String(stableDigest(key), radix: 36)):\(String(digest, radix: 36))", .forecastPublished(data))
        }
    }

    /// A forecast row as the topic carries it; nil without a forecast (too short a history).
    static func event(_ row: ForecastTable.Row, of table: ForecastTable) -> ForecastPublished? {
        guard let quarter = row.nextQuarter.flatMap(DecimalNumber.init), let year = row.nextYear.flatMap(DecimalNumber.init),
              let trend = row.trendPerMonth.flatMap(DecimalNumber.init) else { return nil }
        let decimal = { (text: DecimalText) in text.text.flatMap(DecimalNumber.init) }
        return ForecastPublished(
            breakdown: table.by, productLine: row.productLine, province: row.province, basedOn: table.basedOn, unit: row.unit, historyMonths: row.historyMonths,
            nextQuarter: table.nextQuarter, nextQuarterVolume: quarter, nextYear: table.nextYear, nextYearVolume: year, trendPerMonth: trend,
            months: row.months.compactMap { month in DecimalNumber(month.volume).map { ForecastPublished.Month(month: month.month, volume: $0) } },
            backtest: row.backtest.map { ForecastPublished.Backtest(months: $0.months, mape: decimal($0.mape), bias: decimal($0.bias),
                                                                    naiveMape: decimal($0.naiveMape), naiveBias: decimal($0.naiveBias)) })
    }
}

private extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
