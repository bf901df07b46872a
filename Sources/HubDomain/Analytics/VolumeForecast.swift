import Foundation

/// The periods a forecast made in a month answers for: the next calendar quarter after the one in
/// progress and the next calendar year (made in December 2026: 2027-Q1 and 2027), and every month
/// from the one in progress to the end of that year.
public struct ForecastHorizon: Sendable, Equatable {
    /// The last whole month of the history: the month before the one in progress.
    public let lastWhole: FigureMonth
    public let nextQuarter: ClosedRange<FigureMonth>
    public let nextYear: ClosedRange<FigureMonth>

    public init(now: FigureMonth) {
        lastWhole = now.adding(months: -1)
        let quarterStart = now.adding(months: -((now.month - 1) % 3) + 3)
        nextQuarter = quarterStart...quarterStart.adding(months: 2)
        let january = FigureMonth(year: now.year + 1, month: 1) ?? now
        nextYear = january...january.adding(months: 11)
    }

    /// `2027-Q1`.
    public var quarterLabel: String { "\(nextQuarter.lowerBound.year)-Q\((nextQuarter.lowerBound.month - 1) / 3 + 1)" }
    /// How many months a forecast covers: from the month in progress to the end of next year.
    public var months: Int { (nextYear.upperBound.year - lastWhole.year) * 12 + nextYear.upperBound.month - lastWhole.month }
}

/// One series' forecast as a planner reads it: its unit, how much history it had, last year's
/// volume, the months ahead, next quarter's and next year's volume, and the backtest against "the
/// same month last year". Built from the taken volume the core keeps per month (orders the ERP
/// confirmed, as delivered; returns and cancellations taken off).
public struct VolumeForecast: Sendable {
    public enum Unit: String, Sendable { case litres = "L", kilograms = "kg" }

    public var unit: Unit
    /// Months from the first that sold anything to the last whole month.
    public var historyMonths: Int
    /// Volume of the last twelve whole months.
    public var lastTwelveMonths: Double
    /// Nil with less than ``DemandForecast/minimumMonths`` of history.
    public var model: DemandForecast?
    /// The forecast month by month (empty without a model).
    public var months: [(month: FigureMonth, volume: Double)]
    public var nextQuarter: Double?
    public var nextYear: Double?
    /// Nil with less than three years of history.
    public var backtest: DemandForecast.Backtest?
    /// Its own seasonal indices, fitted on the whole history and without its last year: what the
    /// smaller series of its product line borrow. Nil without a model of its own.
    public var season: (whole: [Double], withoutLastYear: [Double]?)?

    /// The series of `taken` (per month, as kept: ml and g) over the last `window` whole months
    /// before the horizon's month in progress, in litres or kilograms (whichever it mostly is),
    /// starting at its first month with a sale.
    /// `borrowing`: the product line's seasonal indices, fitted on the whole history and on the
    /// history without its last year (for the backtest); nil fits the series' own.
    public init(taken: [FigureMonth: (ml: Int64, g: Int64)], horizon: ForecastHorizon, window: Int = DemandForecast.trendMonths,
                borrowing: (whole: [Double], withoutLastYear: [Double]?)? = nil) {
        let months = FigureMonth.range(horizon.lastWhole.adding(months: -(window - 1)), horizon.lastWhole)
        let (ml, g) = taken.values.reduce((Int64(0), Int64(0))) { ($0.0 + $1.ml, $0.1 + $1.g) }
        unit = g > ml ? .kilograms : .litres
        let unit = unit
        var series = months.map { month -> Double in
            let value = taken[month].map { unit == .litres ? $0.ml : $0.g } ?? 0
            return Double(value) / 1_000
        }
        let first = series.firstIndex { $0 > 0 } ?? series.count
        series.removeFirst(first)
        historyMonths = series.count
        lastTwelveMonths = series.suffix(12).reduce(0, +)
        let start = months.indices.contains(first) ? months[first] : horizon.lastWhole
        model = DemandForecast.fit(series, firstMonth: start, season: borrowing?.whole)
        // A borrowed season fitted on the held-out year would see the answer: without one fitted before it, no backtest.
        backtest = borrowing != nil && borrowing?.withoutLastYear == nil ? nil
            : DemandForecast.backtest(series, firstMonth: start, season: borrowing?.withoutLastYear)
        if let model, borrowing == nil { season = (model.seasonal, backtest?.fitted.seasonal) }
        if let model {
            let ahead = model.predict(ahead: horizon.months)
            self.months = ahead.enumerated().map { (model.nextMonth.adding(months: $0.offset), $0.element) }
            nextQuarter = self.months.filter { horizon.nextQuarter.contains($0.month) }.reduce(0) { $0 + $1.volume }
            nextYear = self.months.filter { horizon.nextYear.contains($0.month) }.reduce(0) { $0 + $1.volume }
        } else {
            self.months = []
        }
    }
}
