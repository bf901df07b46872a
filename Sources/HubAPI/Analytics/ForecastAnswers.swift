public import HubDomain
public import HubStore
public import Foundation

/// What `by` a demand forecast is broken down: product line (the company's), product line ×
/// province, or product line × tier-1 dealer.
public enum ForecastBreakdown: String, Sendable, CaseIterable {
    case productLine = "product-line"
    case province
    case dealer

    var scope: AnalyticsScope {
        switch self {
        case .productLine: return .company
        case .province: return .province
        case .dealer: return .dealer
        }
    }
}

/// The demand forecast (R4, issue 30) as the API, the console and `hub.forecasts` carry it: one row
/// per series, next quarter's and next year's volume, the months ahead, and each series' backtest
/// against "the same month last year" (MAPE and bias over the last twelve whole months, the model
/// fitted without them). Volumes in the series' unit to whole litres or kilograms; errors as
/// fractions to four places.
public struct ForecastTable: Encodable, Sendable {
    public struct Month: Encodable, Sendable {
        public var month: String
        public var volume: String
    }

    public struct Backtest: Encodable, Sendable {
        public var months: Int
        public var mape: DecimalText
        public var bias: DecimalText
        public var naiveMape: DecimalText
        public var naiveBias: DecimalText
        /// The model's MAPE below the naive forecast's.
        public var beatsNaive: Bool?
    }

    public struct Row: Encodable, Sendable {
        /// `automotive-packaged`, `automotive-packaged:上海`, `automotive-packaged:D100042`.
        public var id: String
        public var productLine: String
        public var province: String?
        public var dealerId: String?
        public var name: String?
        /// `L` or `kg`.
        public var unit: String
        public var historyMonths: Int
        public var lastTwelveMonths: String
        /// Null with less than two years of history (see `note`).
        public var nextQuarter: String?
        public var nextYear: String?
        /// Season-free growth a month, in the unit.
        public var trendPerMonth: String?
        public var months: [Month]
        /// Null with less than three years of history.
        public var backtest: Backtest?
        public var note: String?
    }

    /// The naive forecast against the model over the rows of one product line that have a backtest.
    public struct LineSummary: Encodable, Sendable {
        public var productLine: String
        public var rows: Int
        public var modelBetter: Int
        /// Both forecasts summed over the line's rows, against what the rows sold (weighted by volume).
        public var wape: DecimalText
        public var bias: DecimalText
        public var naiveWape: DecimalText
        public var naiveBias: DecimalText
    }

    public var by: String
    /// The last whole month of the history (`YYYY-MM`).
    public var basedOn: String
    /// `2027-Q1` and its months.
    public var nextQuarter: String
    public var nextQuarterMonths: [String]
    public var nextYear: String
    public var method: String
    public var rows: [Row]
    public var byProductLine: [LineSummary]
    /// Series left out for too short a history (fewer than 24 months).
    public var tooShort: Int

    public static let method = "classical multiplicative decomposition: seasonal indices per calendar month × a least-squares trend on the last 36 months, refitted twice; a province's or dealer's series takes its product line's seasonal indices (the company's) and fits its own trend; needs 24 months; backtest: fitted without the last 12 whole months, MAPE and bias on them against the same months a year before (naive)"

    init(by: ForecastBreakdown, horizon: ForecastHorizon, series: [(productLine: String, province: String?, dealerId: String?, name: String?, forecast: VolumeForecast)]) {
        self.by = by.rawValue
        basedOn = horizon.lastWhole.text
        nextQuarter = horizon.quarterLabel
        nextQuarterMonths = FigureMonth.range(horizon.nextQuarter.lowerBound, horizon.nextQuarter.upperBound).map(\.text)
        nextYear = String(horizon.nextYear.lowerBound.year)
        method = Self.method
        let whole = { (value: Double) in String(Int64(value.rounded())) }
        let ratio = { (value: Double?) in DecimalText.ratio(value.map { Decimal($0) }) }
        var shown: [Row] = []
        var summaries: [String: (rows: Int, better: Int, actual: Double, error: Double, naiveError: Double, signed: Double, naiveSigned: Double)] = [:]
        var short = 0
        for item in series {
            let forecast = item.forecast
            guard let model = forecast.model else { short += 1; continue }
            var backtest: Backtest?
            if let test = forecast.backtest {
                let better = test.model.mape.flatMap { m in test.naive.mape.map { m < $0 } }
                backtest = Backtest(months: test.holdout, mape: ratio(test.model.mape), bias: ratio(test.model.bias),
                                    naiveMape: ratio(test.naive.mape), naiveBias: ratio(test.naive.bias), beatsNaive: better)
                var sums = summaries[item.productLine] ?? (0, 0, 0, 0, 0, 0, 0)
                sums.rows += 1
                sums.better += better == true ? 1 : 0
                sums.actual += test.actual.reduce(0, +)
                sums.error += zip(test.forecast, test.actual).reduce(0) { $0 + abs($1.0 - $1.1) }
                sums.naiveError += zip(test.naiveForecast, test.actual).reduce(0) { $0 + abs($1.0 - $1.1) }
                sums.signed += zip(test.forecast, test.actual).reduce(0) { $0 + $1.0 - $1.1 }
                sums.naiveSigned += zip(test.naiveForecast, test.actual).reduce(0) { $0 + $1.0 - $1.1 }
                summaries[item.productLine] = sums
            }
            let id = [item.productLine, item.province ?? item.dealerId].compactMap { $0 }.joined(separator: ":")
            shown.append(Row(id: id, productLine: item.productLine, province: item.province, dealerId: item.dealerId, name: item.name, unit: forecast.unit.rawValue,
                             historyMonths: forecast.historyMonths, lastTwelveMonths: whole(forecast.lastTwelveMonths),
                             nextQuarter: forecast.nextQuarter.map(whole), nextYear: forecast.nextYear.map(whole),
                             trendPerMonth: String(format: "%.1f", model.slope), months: forecast.months.map { Month(month: $0.month.text, volume: whole($0.volume)) },
                             backtest: backtest, note: forecast.backtest == nil ? "历史不足三年，未回测" : nil))
        }
        rows = shown.sorted { ($0.productLine, $0.province ?? "", $0.dealerId ?? "") < ($1.productLine, $1.province ?? "", $1.dealerId ?? "") }
        byProductLine = summaries.keys.sorted().compactMap { line in
            guard let sums = summaries[line] else { return nil }
            let over = { (value: Double) in sums.actual > 0 ? DecimalText.ratio(Decimal(value / sums.actual)) : DecimalText(nil) }
            return LineSummary(productLine: line, rows: sums.rows, modelBetter: sums.better, wape: over(sums.error), bias: over(sums.signed),
                               naiveWape: over(sums.naiveError), naiveBias: over(sums.naiveSigned))
        }
        tooShort = short
    }
}

extension ForecastTable {
    /// One line a series: what it is, next quarter and next year, the backtest's errors.
    public var csv: String {
        let header = ["id", "productLine", "province", "dealerId", "name", "unit", "historyMonths", "lastTwelveMonths", "nextQuarter_" + nextQuarter,
                      "nextYear_" + nextYear, "trendPerMonth", "mape", "bias", "naiveMape", "naiveBias"]
        let body = rows.map { row in
            [row.id, row.productLine, row.province ?? "", row.dealerId ?? "", row.name ?? "", row.unit, String(row.historyMonths), row.lastTwelveMonths,
             row.nextQuarter ?? "", row.nextYear ?? "", row.trendPerMonth ?? "", row.backtest?.mape.description ?? "", row.backtest?.bias.description ?? "",
             row.backtest?.naiveMape.description ?? "", row.backtest?.naiveBias.description ?? ""]
        }
        return SpreadsheetCSV.document(header: header, rows: body)
    }
}

public enum ForecastAnswers {
    /// The forecast of every series `by` breaks down to within `reach`, made in the month `now` falls
    /// in from the 36 whole months before it; only `productLine` when named. One read.
    public static func forecast(by: ForecastBreakdown, reach: AnalyticsReadModel.Reach, productLine: String? = nil, now: Date = Date(),
                                in reader: StoreReader) throws(StoreError) -> ForecastTable {
        let horizon = ForecastHorizon(now: FigureMonth(now))
        let months = horizon.lastWhole.adding(months: -(DemandForecast.trendMonths - 1))...horizon.lastWhole
        let taken = try reader.analytics.monthlyTaken(by.scope, months: months, reach: reach)
        let names = by == .dealer ? try reader.analytics.names(.dealer, ids: taken.keys.sorted()) : [:]
        // A province's or a dealer's series borrows its product line's season (the company's, whoever reads).
        var seasons: [String: (whole: [Double], withoutLastYear: [Double]?)] = [:]
        if by != .productLine {
            for (line, history) in try reader.analytics.monthlyTaken(.company, months: months, reach: .all)[FigureKey.company] ?? [:] {
                seasons[line] = VolumeForecast(taken: history, horizon: horizon).season
            }
        }
        var series: [(productLine: String, province: String?, dealerId: String?, name: String?, forecast: VolumeForecast)] = []
        for (id, lines) in taken {
            for (line, history) in lines where productLine == nil || productLine == line {
                series.append((line, by == .province ? id : nil, by == .dealer ? id : nil, names[id],
                               VolumeForecast(taken: history, horizon: horizon, borrowing: seasons[line])))
            }
        }
        return ForecastTable(by: by, horizon: horizon, series: series)
    }
}
