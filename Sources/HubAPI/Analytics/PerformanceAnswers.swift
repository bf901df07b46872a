public import HubDomain
public import HubStore
public import Foundation

/// "Why (no) performance" (issue 30): a sales rep's dealers over a period — contracted against taken
/// volume, fulfilment and growth against the same months a year before — beside what the company's
/// people did with each of them in the same period (activities done, the last one). The dealers
/// that fall short with nobody going to see them read first.
public struct PerformanceTable: Encodable, Sendable {
    public struct Row: Encodable, Sendable {
        public var dealerId: String
        public var name: String?
        /// Litres (and kilograms for bulk) to three places, as the figures.
        public var contractedVolume: String
        public var takenVolume: String
        public var yearBeforeTakenVolume: String
        public var fulfilmentRate: DecimalText
        public var growth: DecimalText
        public var ordersSubmitted: Int
        /// Activities done with the dealer in the period (by anyone of the company).
        public var activitiesDone: Int
        public var lastActivityAt: String?
        /// Fulfilment under 80 % (or growth under −10 % without a contract) and no activity in the period.
        public var neglected: Bool
    }

    public var salesRepId: String
    public var period: AnalyticsPeriod.Stated
    public var rows: [Row]
    /// The rep's dealers together.
    public var contractedVolume: String
    public var takenVolume: String
    public var fulfilmentRate: DecimalText
    public var growth: DecimalText
    public var dealersContacted: Int
    public var activitiesDone: Int
}

public enum PerformanceAnswers {
    public static func table(salesRepId: String, period: AnalyticsPeriod, visibleTo visibility: DealerVisibility, in reader: StoreReader) throws(StoreError) -> PerformanceTable {
        let analytics = reader.analytics
        let dealers = try reader.dealers.ids(ofSalesRep: salesRepId, visibleTo: visibility)
        let reach = AnalyticsReadModel.Reach.dealers(.salesRep(salesRepId))
        let now = try analytics.everyId(.dealer, months: period.months, reach: reach)
        let before = try analytics.everyId(.dealer, months: period.yearBefore, reach: reach)
        let from = AnalyticsAnswers.start(period.months.lowerBound), to = AnalyticsAnswers.start(period.months.upperBound.adding(months: 1))
        let done = try reader.activities.doneWith(dealers, from: from, to: to)
        let names = try analytics.names(.dealer, ids: dealers)
        var total = AnalyticsMeasures(), totalBefore = AnalyticsMeasures()
        var totalLines: [String: AnalyticsMeasures] = [:]
        var rows: [(row: PerformanceTable.Row, fulfilment: Decimal?)] = []
        for id in dealers {
            let lines = now[id] ?? [:]
            let all = lines[FigureKey.allLines] ?? AnalyticsMeasures()
            let yearBefore = before[id]?[FigureKey.allLines] ?? AnalyticsMeasures()
            total += all
            totalBefore += yearBefore
            for (line, measures) in lines where line != FigureKey.allLines { totalLines[line, default: AnalyticsMeasures()] += measures }
            let fulfilment = FigureRatios.fulfilment(byLine: lines.filter { $0.key != FigureKey.allLines })
            let growth = FigureRatios.growth(all, lastYear: yearBefore)
            let activity = done[id]
            let short = fulfilment.map { $0 < Decimal(8) / 10 } ?? (growth.map { $0 < Decimal(-1) / 10 } ?? false)
            rows.append((PerformanceTable.Row(
                dealerId: id, name: names[id], contractedVolume: MinorUnits.text(all.contractedMl, scale: 3), takenVolume: MinorUnits.text(all.takenMl, scale: 3),
                yearBeforeTakenVolume: MinorUnits.text(yearBefore.takenMl, scale: 3), fulfilmentRate: .ratio(fulfilment), growth: .ratio(growth),
                ordersSubmitted: Int(all.ordersSubmitted), activitiesDone: activity?.done ?? 0, lastActivityAt: activity?.last?.text,
                neglected: short && (activity?.done ?? 0) == 0), fulfilment))
        }
        // The neglected first, then the lowest fulfilment (none last), then by id.
        let ordered = rows.sorted { a, b in
            if a.row.neglected != b.row.neglected { return a.row.neglected }
            if a.fulfilment != b.fulfilment { return (a.fulfilment ?? .greatestFiniteMagnitude) < (b.fulfilment ?? .greatestFiniteMagnitude) }
            return a.row.dealerId < b.row.dealerId
        }.map(\.row)
        return PerformanceTable(salesRepId: salesRepId, period: period.stated, rows: ordered, contractedVolume: MinorUnits.text(total.contractedMl, scale: 3),
                                takenVolume: MinorUnits.text(total.takenMl, scale: 3), fulfilmentRate: .ratio(FigureRatios.fulfilment(byLine: totalLines)),
                                growth: .ratio(FigureRatios.growth(total, lastYear: totalBefore)), dealersContacted: ordered.filter { $0.activitiesDone > 0 }.count,
                                activitiesDone: ordered.reduce(0) { $0 + $1.activitiesDone })
    }
}
