public import HubDomain
import HubContracts
public import HubStore
public import Foundation

/// A decimal figure as JSON: a plain decimal string, or null when it has no value (a rate without
/// a denominator) — the field is always there.
public struct DecimalText: Encodable, Sendable, Equatable, CustomStringConvertible {
    public var text: String?

    public init(_ text: String?) { self.text = text }

    /// A ratio to four places (0.8123 is 81.23 %).
    public static func ratio(_ value: Decimal?) -> DecimalText { DecimalText(value.map { FigureRatios.text($0, places: 4) }) }
    /// A mean mark to two places.
    public static func mark(_ value: Decimal?) -> DecimalText { DecimalText(value.map { FigureRatios.text($0, places: 2) }) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let text { try container.encode(text) } else { try container.encodeNil() }
    }

    public var description: String { text ?? "" }
}

/// The figures of a scope over a period (R4), as the API and the console show them: volumes in
/// litres and kilograms to three places, money in yuan (CNY) to two, rates as fractions to four
/// places. Formulas: README, "The figures".
public struct FigureSummary: Encodable, Sendable {
    public struct Ratings: Encodable, Sendable {
        public var ratedOrders: Int64
        public var productQuality: DecimalText
        public var dispatchSpeed: DecimalText
        public var serviceQuality: DecimalText
        /// The hub's score of how soon the dealer confirmed receipt (1–5).
        public var receiptSpeed: DecimalText
    }

    public var contractedVolume: String
    public var takenVolume: String
    public var fulfilmentRate: DecimalText
    public var contractedWeight: String
    public var takenWeight: String
    public var ordersSubmitted: Int64
    public var ordersValid: Int64
    public var ordersExecuted: Int64
    public var ordersCancelled: Int64
    public var ordersRejected: Int64
    public var validOrderRate: DecimalText
    public var revenue: String
    public var cost: String
    public var grossMargin: String
    public var grossMarginRate: DecimalText
    /// Revenue of lines whose material had no cost from the ERP: left out of the margin.
    public var uncostedRevenue: String
    /// Market-development and promotion funds (市场开发费 / 促销费): the budgets' share of the
    /// months, the money used in them, and budget − use (negative when overspent).
    public var fundBudget: String
    public var fundUsed: String
    public var fundRemaining: String
    /// Gross margin − fund use (毛利贡献).
    public var contribution: String
    /// The dealers' own sales to their customers (sell-through, 流向) in the period, litres and kilograms.
    public var soldVolume: String
    public var soldWeight: String
    /// Sessions the dealers' people started in the period (customer activity).
    public var signIns: Int64
    public var ratings: Ratings

    /// The figures of `all` (the all-lines measures), with fulfilment over `byLine` (each line's measures).
    public init(_ all: AnalyticsMeasures, byLine: [String: AnalyticsMeasures]) {
        contractedVolume = MinorUnits.text(all.contractedMl, scale: 3)
        takenVolume = MinorUnits.text(all.takenMl, scale: 3)
        fulfilmentRate = .ratio(FigureRatios.fulfilment(byLine: byLine))
        contractedWeight = MinorUnits.text(all.contractedG, scale: 3)
        takenWeight = MinorUnits.text(all.takenG, scale: 3)
        ordersSubmitted = all.ordersSubmitted
        ordersValid = all.ordersValid
        ordersExecuted = all.ordersExecuted
        ordersCancelled = all.ordersCancelled
        ordersRejected = all.ordersRejected
        validOrderRate = .ratio(FigureRatios.validOrderRate(all))
        revenue = MinorUnits.text(all.revenueFen, scale: 2)
        cost = MinorUnits.text(all.costFen, scale: 2)
        grossMargin = MinorUnits.text(FigureRatios.grossMarginFen(all), scale: 2)
        grossMarginRate = .ratio(FigureRatios.grossMarginRate(all))
        uncostedRevenue = MinorUnits.text(all.uncostedRevenueFen, scale: 2)
        fundBudget = MinorUnits.text(all.fundBudgetFen, scale: 2)
        fundUsed = MinorUnits.text(all.fundUsedFen, scale: 2)
        fundRemaining = MinorUnits.text(all.fundBudgetFen - all.fundUsedFen, scale: 2)
        contribution = MinorUnits.text(FigureRatios.contributionFen(all), scale: 2)
        soldVolume = MinorUnits.text(all.soldMl, scale: 3)
        soldWeight = MinorUnits.text(all.soldG, scale: 3)
        signIns = all.signIns
        ratings = Ratings(ratedOrders: all.ratedOrders, productQuality: .mark(FigureRatios.meanQuality(all)),
                          dispatchSpeed: .mark(FigureRatios.meanDispatchSpeed(all)), serviceQuality: .mark(FigureRatios.meanService(all)),
                          receiptSpeed: .mark(FigureRatios.meanReceiptSpeed(all)))
    }

    /// The figures of one product line.
    public init(line: AnalyticsMeasures, named name: String) {
        self.init(line, byLine: [name: line])
    }

    /// The figures of rows by product line that include the all-lines row.
    public init(lines: [String: AnalyticsMeasures]) {
        self.init(lines[FigureKey.allLines] ?? AnalyticsMeasures(), byLine: lines.filter { $0.key != FigureKey.allLines })
    }
}

/// A scope's figures over a period — a dealer's (`GET /v1/analytics/dealers/{dealerId}`, fixed
/// fields `contractedVolume`, `takenVolume`, `fulfilmentRate`, `validOrderRate`, `revenue`,
/// `grossMargin`), a branch's, the company's — with the same months a year before, and the period
/// by product line and by month.
public struct PeriodFigures: Encodable, Sendable {
    public struct Units: Encodable, Sendable {
        var volume = "L"
        var weight = "kg"
        var money = "CNY"
        var rates = "fraction (0.8123 = 81.23 %)"
        var marks = "1–5"
        var months = "calendar months in China Standard Time (UTC+8)"
    }

    public struct Line: Encodable, Sendable {
        public var productLine: String
        public var figures: FigureSummary
        /// On a dealer's figures: the ERP's customer class in the line, beside the hub's score of
        /// the line (the dealer scorecard's measures and default weights over the line's figures;
        /// null without data to score).
        public var erpClass: String?
        public var score: DecimalText?
    }

    public struct Month: Encodable, Sendable {
        public var month: String
        public var figures: FigureSummary
    }

    public var scope: String
    public var id: String
    public var name: String?
    /// The dealer's id again, on a dealer's figures.
    public var dealerId: String?
    public var period: AnalyticsPeriod.Stated
    public var units = Units()
    public var contractedVolume: String
    public var takenVolume: String
    public var fulfilmentRate: DecimalText
    public var validOrderRate: DecimalText
    public var revenue: String
    public var grossMargin: String
    public var figures: FigureSummary
    public var yearBefore: FigureSummary
    /// Taken litres against the same months a year before.
    public var growth: DecimalText
    /// The scope's gross margin ÷ the company's in the same months (null for the company itself).
    public var shareOfCompanyMargin: DecimalText
    /// The dealer's own stock now against its sell-through, material by material; on a branch's, a
    /// sales rep's, a province's and the company's figures their dealers' added up (as they belong now).
    public var customerStock: CustomerStockSummary?
    /// How often the dealers' people signed in during the period (null for a plant or a carrier), and
    /// the last day any of the dealer's did (only on a dealer's figures).
    public var signIns: Int64?
    public var lastSignIn: String?
    public var byProductLine: [Line]
    public var byMonth: [Month]

    public init(scope: AnalyticsScope, id: String, name: String?, period: AnalyticsPeriod, lines: [String: AnalyticsMeasures],
                yearBefore: [String: AnalyticsMeasures], months: [FigureMonth: [String: AnalyticsMeasures]], company: AnalyticsMeasures,
                customerStock: CustomerStock? = nil, lastSignIn: String? = nil, customerClasses: [String: String] = [:]) {
        self.scope = scope.rawValue
        self.id = id
        self.name = name
        dealerId = scope == .dealer ? id : nil
        self.period = period.stated
        let figures = FigureSummary(lines: lines)
        self.figures = figures
        (contractedVolume, takenVolume, fulfilmentRate) = (figures.contractedVolume, figures.takenVolume, figures.fulfilmentRate)
        (validOrderRate, revenue, grossMargin) = (figures.validOrderRate, figures.revenue, figures.grossMargin)
        self.yearBefore = FigureSummary(lines: yearBefore)
        growth = .ratio(FigureRatios.growth(lines[FigureKey.allLines] ?? AnalyticsMeasures(), lastYear: yearBefore[FigureKey.allLines] ?? AnalyticsMeasures()))
        shareOfCompanyMargin = scope == .company ? DecimalText(nil)
            : .ratio(FigureRatios.shareOfMargin(lines[FigureKey.allLines] ?? AnalyticsMeasures(), company: company))
        self.customerStock = customerStock.map(CustomerStockSummary.init)
        signIns = [.plant, .carrier].contains(scope) ? nil : (lines[FigureKey.allLines] ?? AnalyticsMeasures()).signIns
        self.lastSignIn = lastSignIn
        let dealerWeights = Dictionary(uniqueKeysWithValues: ScorecardKind.dealers.measures.map { ($0.0, $0.weight) })
        let lineNames = Set(lines.keys).union(customerClasses.keys).subtracting([FigureKey.allLines]).sorted()
        byProductLine = lineNames.map { name in
            let measures = lines[name] ?? AnalyticsMeasures()
            var line = Line(productLine: name, figures: FigureSummary(line: measures, named: name))
            if scope == .dealer {
                let input = ScorecardTable.Input(lines: [name: measures, FigureKey.allLines: measures], yearBefore: yearBefore[name] ?? AnalyticsMeasures())
                let scored = ScoredRow(id: name, values: ScorecardKind.dealers.measures.map { ($0.0, ScorecardTable.value($0.0, input)) }, weights: dealerWeights)
                (line.erpClass, line.score) = (customerClasses[name], .mark(scored.score))
            }
            return line
        }
        byMonth = FigureMonth.range(period.months.lowerBound, period.months.upperBound).map { Month(month: $0.text, figures: FigureSummary(lines: months[$0] ?? [:])) }
    }

    /// The months as CSV: one row per month, then the period's total. (The customer stock is the
    /// stock now, not a month's: it is in the JSON answer, not here.)
    public var csv: String {
        let header = ["month", "contractedVolume_L", "takenVolume_L", "fulfilmentRate", "ordersSubmitted", "ordersValid", "ordersExecuted", "validOrderRate",
                      "revenue_CNY", "cost_CNY", "grossMargin_CNY", "uncostedRevenue_CNY", "fundBudget_CNY", "fundUsed_CNY", "fundRemaining_CNY",
                      "contribution_CNY", "soldVolume_L", "signIns"]
        func cells(_ label: String, _ f: FigureSummary) -> [String] {
            [label, f.contractedVolume, f.takenVolume, f.fulfilmentRate.description, String(f.ordersSubmitted), String(f.ordersValid), String(f.ordersExecuted),
             f.validOrderRate.description, f.revenue, f.cost, f.grossMargin, f.uncostedRevenue, f.fundBudget, f.fundUsed, f.fundRemaining, f.contribution,
             f.soldVolume, String(f.signIns)]
        }
        return SpreadsheetCSV.document(header: header, rows: byMonth.map { cells($0.month, $0.figures) } + [cells("total", figures)])
    }
}

/// A dealer's own stock as its system last reported it (客户库存), or many dealers' added up, now — not at the period's end:
/// the hub keeps each material's latest count, not its history — with days of cover against the
/// mean daily sell-through of the last 90 days (README, "The figures").
public struct CustomerStockSummary: Encodable, Sendable {
    public struct Material: Encodable, Sendable {
        public var materialId: String
        public var name: String?
        public var onHand: String
        public var asOf: String?
        public var volume: String
        public var weight: String
        public var soldVolume: String
        public var daysOfCover: DecimalText
    }

    /// The latest count among the materials.
    public var asOf: String?
    public var windowDays = CustomerStock.windowDays
    public var volume: String
    public var weight: String
    /// Sold to the dealer's customers in the window, litres.
    public var soldVolume: String
    /// Litres in stock ÷ the mean litres sold a day in the window; null when nothing was sold.
    public var daysOfCover: DecimalText
    /// Each material counted, the most days of cover first (those selling nothing last).
    public var materials: [Material]

    public init(_ stock: CustomerStock) {
        asOf = stock.asOf.map { Timestamp($0).text }
        volume = MinorUnits.text(stock.millilitres, scale: 3)
        weight = MinorUnits.text(stock.grams, scale: 3)
        soldVolume = MinorUnits.text(stock.soldMillilitres, scale: 3)
        daysOfCover = DecimalText(stock.daysOfCover.map { FigureRatios.text($0, places: 1) })
        materials = stock.materials.sorted { a, b in
            switch (a.daysOfCover, b.daysOfCover) {
            case let (x?, y?): x != y ? x > y : a.materialId < b.materialId
            case (_?, nil): true
            case (nil, _?): false
            case (nil, nil): a.millilitres != b.millilitres ? a.millilitres > b.millilitres : a.materialId < b.materialId
            }
        }.map { material in
            Material(materialId: material.materialId, name: material.name, onHand: "\(material.onHand)", asOf: material.asOf.map { Timestamp($0).text },
                     volume: MinorUnits.text(material.millilitres, scale: 3), weight: MinorUnits.text(material.grams, scale: 3),
                     soldVolume: MinorUnits.text(material.soldMillilitres, scale: 3),
                     daysOfCover: DecimalText(material.daysOfCover.map { FigureRatios.text($0, places: 1) }))
        }
    }
}
