/// `scorecard.published` on `hub.scorecards` (R8): one row of a scorecard — a dealer's, plant's,
/// branch's, sales rep's or carrier's measures, weighted score and rank over a period — for
/// downstream BI. Keyed `kind:period:id` on a compacted topic: the latest row of each stays.
/// Rates are fractions to four places, marks 1–5 to two, hours to two; money in yuan (CNY) to two,
/// volumes in litres to three. A measure without data (no contract, no rating) is absent.
public struct ScorecardPublished: Sendable, Hashable, Codable {
    /// `dealers`, `plants`, `branches`, `sales-reps` or `carriers`.
    public var kind: String
    /// `YYYY-MM` (a month) or `YYYY` (the year to date), in China Standard Time.
    public var period: String
    public var from: CalendarDate
    public var to: CalendarDate
    public var id: String
    public var name: String?
    public var rank: Int
    /// 0–100, two places; absent when no weighted measure has data.
    public var score: DecimalNumber?
    public var measures: [String: DecimalNumber]
    public var weights: [String: Int]
    public var contractedVolume: DecimalNumber
    public var takenVolume: DecimalNumber
    public var revenue: DecimalNumber
    public var grossMargin: DecimalNumber
    public var ordersSubmitted: Int
    public var ordersValid: Int

    public init(kind: String, period: String, from: CalendarDate, to: CalendarDate, id: String, name: String?, rank: Int, score: DecimalNumber?,
                measures: [String: DecimalNumber], weights: [String: Int], contractedVolume: DecimalNumber, takenVolume: DecimalNumber,
                revenue: DecimalNumber, grossMargin: DecimalNumber, ordersSubmitted: Int, ordersValid: Int) {
        (self.kind, self.period, self.from, self.to, self.id, self.name, self.rank, self.score) = (kind, period, from, to, id, name, rank, score)
        (self.measures, self.weights, self.contractedVolume, self.takenVolume) = (measures, weights, contractedVolume, takenVolume)
        (self.revenue, self.grossMargin, self.ordersSubmitted, self.ordersValid) = (revenue, grossMargin, ordersSubmitted, ordersValid)
    }
}

/// `forecast.published` on `hub.forecasts` (R4, issue 30): next quarter's and next year's sales
/// volume of a product line (the company's) or a product line in a province, for downstream
/// planning, with the months ahead and the backtest against "the same month last year". Keyed
/// `product-line:<line>` or `province:<line>:<province>` on a compacted topic: the latest stays.
/// Volumes to whole litres (`L`) or kilograms (`kg`); errors as fractions to four places.
public struct ForecastPublished: Sendable, Hashable, Codable {
    public struct Month: Sendable, Hashable, Codable {
        /// `YYYY-MM`.
        public var month: String
        public var volume: DecimalNumber
        public init(month: String, volume: DecimalNumber) { (self.month, self.volume) = (month, volume) }
    }

    public struct Backtest: Sendable, Hashable, Codable {
        /// The whole months held out (12).
        public var months: Int
        public var mape: DecimalNumber?
        public var bias: DecimalNumber?
        public var naiveMape: DecimalNumber?
        public var naiveBias: DecimalNumber?
        public init(months: Int, mape: DecimalNumber?, bias: DecimalNumber?, naiveMape: DecimalNumber?, naiveBias: DecimalNumber?) {
            (self.months, self.mape, self.bias, self.naiveMape, self.naiveBias) = (months, mape, bias, naiveMape, naiveBias)
        }
    }

    /// `product-line` or `province`.
    public var breakdown: String
    public var productLine: String
    public var province: String?
    /// The last whole month of the history (`YYYY-MM`).
    public var basedOn: String
    /// `L` or `kg`.
    public var unit: String
    public var historyMonths: Int
    /// `2027-Q1`.
    public var nextQuarter: String
    public var nextQuarterVolume: DecimalNumber
    /// `2027`.
    public var nextYear: String
    public var nextYearVolume: DecimalNumber
    public var trendPerMonth: DecimalNumber
    public var months: [Month]
    /// Absent with less than three years of history.
    public var backtest: Backtest?

    public init(breakdown: String, productLine: String, province: String?, basedOn: String, unit: String, historyMonths: Int, nextQuarter: String,
                nextQuarterVolume: DecimalNumber, nextYear: String, nextYearVolume: DecimalNumber, trendPerMonth: DecimalNumber, months: [Month],
                backtest: Backtest?) {
        (self.breakdown, self.productLine, self.province, self.basedOn, self.unit, self.historyMonths) = (breakdown, productLine, province, basedOn, unit, historyMonths)
        (self.nextQuarter, self.nextQuarterVolume, self.nextYear, self.nextYearVolume) = (nextQuarter, nextQuarterVolume, nextYear, nextYearVolume)
        (self.trendPerMonth, self.months, self.backtest) = (trendPerMonth, months, backtest)
    }
}
