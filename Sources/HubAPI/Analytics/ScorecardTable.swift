public import HubDomain
public import Foundation

/// A scorecard (R8) as the API, the console, CSV and `hub.scorecards` carry it: every id of the
/// kind the reader reaches, its measures, score and rank, with the figures behind them.
public struct ScorecardTable: Encodable, Sendable {
    public struct Measure: Encodable, Sendable {
        public var name: String
        public var weight: Int
    }

    public struct Row: Encodable, Sendable {
        public var id: String
        public var name: String?
        /// A dealer's kind: `tier1`, `tier2`, `key-account` or `quick-lube` (dealers' scorecard only).
        public var customerKind: String?
        /// 1 for the best score among the rows the reader reaches (rows without a score last, by id).
        public var rank: Int
        /// 0–100, two places; null when no weighted measure has data.
        public var score: DecimalText
        /// Each measure's value: rates as fractions, marks 1–5, hours, counts.
        public var measures: [String: DecimalText]
        public var figures: FigureSummary
        public var yearBeforeTakenVolume: String
        /// The row's gross margin ÷ the company's in the same months.
        public var shareOfCompanyMargin: DecimalText
        /// 1 for the largest contribution (gross margin − fund use) among the rows the reader reaches.
        public var contributionRank: Int

        var scoreValue: Decimal?
        var measureValues: [ScorecardMeasure: Decimal]
        var contributionFen: Int64

        enum CodingKeys: String, CodingKey {
            case id, name, customerKind, rank, score, measures, figures, yearBeforeTakenVolume, shareOfCompanyMargin, contributionRank
        }
    }

    public var kind: String
    public var period: AnalyticsPeriod.Stated
    public var measures: [Measure]
    public var total: Int
    public var limit: Int
    public var offset: Int
    public var rows: [Row]

    /// The inputs of one row: its figures per product line in the period (with the all-lines row)
    /// and the all-lines figures a year before; for sales reps, their dealers.
    public struct Input: Sendable {
        public var lines: [String: AnalyticsMeasures]
        public var yearBefore: AnalyticsMeasures
        public var dealers: (assigned: Int, active: Int, new: Int)?
        /// For branches, their dealers' tickets in the period.
        public var service: ServiceFigures?
        /// For sales reps, what their people did with their dealers in the period.
        public var activity: SalesRepActivity?

        public init(lines: [String: AnalyticsMeasures], yearBefore: AnalyticsMeasures, dealers: (assigned: Int, active: Int, new: Int)? = nil,
                    service: ServiceFigures? = nil, activity: SalesRepActivity? = nil) {
            (self.lines, self.yearBefore, self.dealers, self.service, self.activity) = (lines, yearBefore, dealers, service, activity)
        }
    }

    /// A measure's value for one row.
    static func value(_ measure: ScorecardMeasure, _ input: Input) -> Decimal? {
        let all = input.lines[FigureKey.allLines] ?? AnalyticsMeasures()
        switch measure {
        case .fulfilmentRate: return FigureRatios.fulfilment(byLine: input.lines.filter { $0.key != FigureKey.allLines })
        case .validOrderRate: return FigureRatios.validOrderRate(all)
        case .receiptSpeed: return FigureRatios.meanReceiptSpeed(all)
        case .growth: return FigureRatios.growth(all, lastYear: input.yearBefore)
        case .activeDealerShare: return input.dealers.flatMap { $0.assigned == 0 ? nil : Decimal($0.active) / Decimal($0.assigned) }
        case .newDealers: return input.dealers.map { Decimal($0.new) }
        case .activityCoverage:
            guard let activity = input.activity, activity.assignedDealers > 0 else { return nil }
            return Decimal(activity.dealersCovered) / Decimal(activity.assignedDealers)
        case .planKept:
            guard let activity = input.activity, activity.planned > 0 else { return nil }
            return Decimal(activity.plannedDone) / Decimal(activity.planned)
        case .onTimeDispatchRate: return FigureRatios.onTimeDispatchRate(all)
        case .confirmToDispatchHours: return FigureRatios.confirmToDispatchHours(all)
        case .productQuality: return FigureRatios.meanQuality(all)
        case .dispatchSpeed: return FigureRatios.meanDispatchSpeed(all)
        case .serviceQuality: return FigureRatios.meanService(all)
        case .onTimeDeliveryRate: return FigureRatios.onTimeDeliveryRate(all)
        case .exceptionRate: return FigureRatios.exceptionRate(all)
        case .etaKeptRate: return FigureRatios.etaKeptRate(all)
        case .etaErrorMinutes: return FigureRatios.etaErrorMinutes(all)
        case .gpsCoverage: return FigureRatios.gpsCoverage(all)
        case .ticketsOpened: return input.service.map { Decimal($0.opened) }
        case .ticketFirstResponseHours: return input.service?.meanFirstResponseHours.map { Decimal($0) }
        case .ticketOverdueShare: return input.service.flatMap { $0.opened == 0 ? nil : Decimal($0.overdue) / Decimal($0.opened) }
        case .ticketSatisfaction: return input.service?.meanRating.map { Decimal($0) }
        }
    }

    static func text(_ measure: ScorecardMeasure, _ value: Decimal?) -> DecimalText {
        switch measure {
        case .receiptSpeed, .productQuality, .dispatchSpeed, .serviceQuality, .confirmToDispatchHours, .ticketSatisfaction: .mark(value)
        case .etaErrorMinutes, .ticketFirstResponseHours: DecimalText(value.map { FigureRatios.text($0, places: 1) })
        case .newDealers, .ticketsOpened: DecimalText(value.map { FigureRatios.text($0, places: 0) })
        default: .ratio(value)
        }
    }

    /// What a table can be sorted by besides a measure.
    public static let sortKeys = ["score", "id", "name", "takenVolume", "revenue", "grossMargin", "contribution", "fundUsed", "ordersSubmitted"]

    /// Scores and ranks every row, then sorts (`sort` a measure or one of ``sortKeys``, nil values
    /// last either way) and takes the page.
    public init(kind: ScorecardKind, period: AnalyticsPeriod, weights: [ScorecardMeasure: Int], inputs: [String: Input], names: [String: String],
                customerKinds: [String: String] = [:], company: AnalyticsMeasures, sort: String = "score", descending: Bool = true, limit: Int = 50,
                offset: Int = 0) {
        self.kind = kind.rawValue
        self.period = period.stated
        measures = kind.measures.map { Measure(name: $0.0.rawValue, weight: weights[$0.0] ?? 0) }
        var rows = inputs.map { id, input in
            let values = kind.measures.map { ($0.0, Self.value($0.0, input)) }
            let scored = ScoredRow(id: id, values: values, weights: weights)
            let all = input.lines[FigureKey.allLines] ?? AnalyticsMeasures()
            return Row(id: id, name: names[id], customerKind: customerKinds[id], rank: 0, score: .mark(scored.score), measures: Dictionary(uniqueKeysWithValues: values.map { ($0.0.rawValue, Self.text($0.0, $0.1)) }),
                       figures: FigureSummary(lines: input.lines), yearBeforeTakenVolume: MinorUnits.text(input.yearBefore.takenMl, scale: 3),
                       shareOfCompanyMargin: .ratio(FigureRatios.shareOfMargin(all, company: company)), contributionRank: 0,
                       scoreValue: scored.score, measureValues: Dictionary(uniqueKeysWithValues: values.compactMap { m, v in v.map { (m, $0) } }),
                       contributionFen: FigureRatios.contributionFen(all))
        }
        rows.sort { $0.contributionFen != $1.contributionFen ? $0.contributionFen > $1.contributionFen : $0.id < $1.id }
        for index in rows.indices { rows[index].contributionRank = index + 1 }
        rows.sort { Self.before($0.scoreValue, $1.scoreValue, descending: true) ?? ($0.id < $1.id) }
        for index in rows.indices { rows[index].rank = index + 1 }
        let key: (Row) -> Decimal? = { row in
            switch sort {
            case "takenVolume": Decimal(string: row.figures.takenVolume)
            case "revenue": Decimal(string: row.figures.revenue)
            case "grossMargin": Decimal(string: row.figures.grossMargin)
            case "contribution": Decimal(row.contributionFen)
            case "fundUsed": Decimal(string: row.figures.fundUsed)
            case "ordersSubmitted": Decimal(row.figures.ordersSubmitted)
            case "score": row.scoreValue
            default: ScorecardMeasure(rawValue: sort).flatMap { row.measureValues[$0] }
            }
        }
        switch sort {
        case "id": rows.sort { descending ? $0.id > $1.id : $0.id < $1.id }
        case "name":
            let name = { (row: Row) in (row.name ?? row.id, row.id) }
            rows.sort { descending ? name($1) < name($0) : name($0) < name($1) }
        default: rows.sort { Self.before(key($0), key($1), descending: descending) ?? ($0.rank < $1.rank) }
        }
        total = rows.count
        self.limit = limit
        self.offset = offset
        self.rows = Array(rows.dropFirst(offset).prefix(limit))
    }

    /// Whether `a` sorts before `b` (nil values last); nil when they tie.
    static func before(_ a: Decimal?, _ b: Decimal?, descending: Bool) -> Bool? {
        switch (a, b) {
        case (nil, nil): return nil
        case (nil, _): return false
        case (_, nil): return true
        case let (a?, b?): return a == b ? nil : (descending ? a > b : a < b)
        }
    }

    /// The table as CSV (every row, not only the page): id, name, (a dealer's kind,) rank, score, each measure, then the figures.
    public var csv: String {
        let kinds = kind == ScorecardKind.dealers.rawValue
        let figureColumns = ["contractedVolume_L", "takenVolume_L", "yearBeforeTakenVolume_L", "ordersSubmitted", "ordersValid", "revenue_CNY", "grossMargin_CNY",
                             "fundUsed_CNY", "contribution_CNY", "shareOfCompanyMargin", "contributionRank"]
        let header = ["id", "name"] + (kinds ? ["customerKind"] : []) + ["rank", "score"] + measures.map(\.name) + figureColumns
        let body = rows.map { row in
            [row.id, row.name ?? ""] + (kinds ? [row.customerKind ?? ""] : []) + [String(row.rank), row.score.description] + measures.map { row.measures[$0.name]?.description ?? "" }
                + [row.figures.contractedVolume, row.figures.takenVolume, row.yearBeforeTakenVolume, String(row.figures.ordersSubmitted),
                   String(row.figures.ordersValid), row.figures.revenue, row.figures.grossMargin, row.figures.fundUsed, row.figures.contribution,
                   row.shareOfCompanyMargin.description, String(row.contributionRank)]
        }
        return SpreadsheetCSV.document(header: header, rows: body)
    }
}
