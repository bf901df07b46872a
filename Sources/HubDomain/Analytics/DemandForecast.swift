import Foundation

/// Next months' sales volume from a monthly history, with the season (R4's "how much can we still
/// sell next year, where, to whom"). The method — classical multiplicative decomposition with a
/// straight trend, refined twice:
///
/// 1. **Season first guess.** A centred 2×12 moving average of the history is its level without
///    the season; each month's ratio to it, averaged per calendar month over the years, is that
///    month's seasonal index (scaled so the twelve average 1). Months whose average is 0 are left out.
/// 2. **Trend.** The history divided by its months' indices (the season taken out) gets a
///    least-squares line over its last ``trendMonths`` months: level and slope a month.
/// 3. **Season again, trend again.** Each month's ratio to the line (not to the moving average,
///    which a trend bends) gives the indices again, and the line is fitted again on the history
///    without them. On a series that *is* a line times a season this recovers both exactly.
/// 4. **Forecast** of a month `k` ahead: (level + slope × k) × its calendar month's index, never below 0.
///
/// It needs ``minimumMonths`` (two full years: every calendar month seen twice); fewer gives no model.
/// The naive forecast it is measured against is "the same month last year" (``naive(_:ahead:)``).
/// Pure: plain arrays of numbers, one a month, the first being `firstMonth`.
public struct DemandForecast: Sendable, Equatable {
    /// Two full years.
    public static let minimumMonths = 24
    /// The trend is fitted on at most the last three years.
    public static let trendMonths = 36

    /// The season-free volume at the last month of the history.
    public let level: Double
    /// How much the season-free volume grows a month.
    public let slope: Double
    /// Twelve indices, January first, averaging 1.
    public let seasonal: [Double]
    /// The month after the history's last: the first a forecast covers.
    public let nextMonth: FigureMonth

    /// The model of `series` (one value a month from `firstMonth`), or nil when it is shorter than
    /// ``minimumMonths`` or all zero. With `season` (twelve indices, January first) only the trend is
    /// fitted: a small series — a province's, a dealer's — borrows its product line's season, which
    /// two noisy years of its own would estimate badly.
    public static func fit(_ series: [Double], firstMonth: FigureMonth, season: [Double]? = nil) -> DemandForecast? {
        guard series.count >= minimumMonths, series.contains(where: { $0 > 0 }) else { return nil }
        let calendar = series.indices.map { firstMonth.adding(months: $0).month - 1 }
        if let season, season.count == 12 {
            let start = max(0, series.count - trendMonths)
            let line = leastSquares((start..<series.count).map { (x: Double($0 - (series.count - 1)), y: series[$0] / max(season[calendar[$0]], 0.01)) })
            return DemandForecast(level: line.level, slope: line.slope, seasonal: season, nextMonth: firstMonth.adding(months: series.count))
        }
        // 1. The season against the centred moving average.
        var ratios: [[Double]] = Array(repeating: [], count: 12)
        for t in 6..<(series.count - 6) {
            var sum = (series[t - 6] + series[t + 6]) / 2
            for j in (t - 5)...(t + 5) { sum += series[j] }
            let average = sum / 12
            if average > 0 { ratios[calendar[t]].append(series[t] / average) }
        }
        var seasonal = Self.indices(ratios)
        var line = (level: 0.0, slope: 0.0)
        for _ in 0..<3 {
            // 2. The trend of the history without its season.
            let start = max(0, series.count - trendMonths)
            let points = (start..<series.count).map { (x: Double($0 - (series.count - 1)), y: series[$0] / seasonal[calendar[$0]]) }
            line = Self.leastSquares(points)
            // 3. The season against the line.
            ratios = Array(repeating: [], count: 12)
            for t in series.indices {
                let trend = line.level + line.slope * Double(t - (series.count - 1))
                if trend > 0 { ratios[calendar[t]].append(series[t] / trend) }
            }
            seasonal = Self.indices(ratios)
        }
        return DemandForecast(level: line.level, slope: line.slope, seasonal: seasonal, nextMonth: firstMonth.adding(months: series.count))
    }

    public init(level: Double, slope: Double, seasonal: [Double], nextMonth: FigureMonth) {
        (self.level, self.slope, self.seasonal, self.nextMonth) = (level, slope, seasonal, nextMonth)
    }

    /// The next `ahead` months, the first being ``nextMonth``.
    public func predict(ahead: Int) -> [Double] {
        guard ahead > 0 else { return [] }
        return (1...ahead).map { k in max(0, (level + slope * Double(k)) * seasonal[nextMonth.adding(months: k - 1).month - 1]) }
    }

    /// "The same month last year" for the next `ahead` months (repeating the last year's months
    /// when `ahead` is beyond 12); nil with less than a year of history.
    public static func naive(_ series: [Double], ahead: Int) -> [Double]? {
        guard series.count >= 12 else { return nil }
        let lastYear = Array(series.suffix(12))
        return (0..<ahead).map { lastYear[$0 % 12] }
    }

    /// How far a forecast was from what happened.
    public struct Error: Sendable, Equatable {
        /// Mean absolute percentage error over the months that sold something; nil when none did.
        public var mape: Double?
        /// (forecast − actual) summed, over the actual summed: above 0 the forecast was too high.
        public var bias: Double?
        /// Absolute error summed over actual summed (weighted APE: months that sell more count more).
        public var wape: Double?

        public init(forecast: [Double], actual: [Double]) {
            let pairs = zip(forecast, actual)
            let sold = pairs.filter { $0.1 > 0 }
            mape = sold.isEmpty ? nil : sold.reduce(0) { $0 + abs($1.0 - $1.1) / $1.1 } / Double(sold.count)
            let total = actual.reduce(0, +)
            bias = total > 0 ? pairs.reduce(0) { $0 + ($1.0 - $1.1) } / total : nil
            wape = total > 0 ? pairs.reduce(0) { $0 + abs($1.0 - $1.1) } / total : nil
        }
    }

    /// The model and the naive forecast fitted on all but the last `holdout` months and measured
    /// on them.
    public struct Backtest: Sendable, Equatable {
        public var model: Error
        public var naive: Error
        public var holdout: Int
        /// The model fitted without the held-out months.
        public var fitted: DemandForecast
        /// The model's forecast and the naive one for the held-out months, and what happened.
        public var forecast: [Double]
        public var naiveForecast: [Double]
        public var actual: [Double]
    }

    /// Nil when what is left before the held-out months is too short to fit. `season`: as ``fit(_:firstMonth:season:)``
    /// (itself estimated without the held-out months).
    public static func backtest(_ series: [Double], firstMonth: FigureMonth, holdout: Int = 12, season: [Double]? = nil) -> Backtest? {
        guard holdout > 0, series.count >= minimumMonths + holdout else { return nil }
        let history = Array(series.dropLast(holdout))
        let actual = Array(series.suffix(holdout))
        guard let model = fit(history, firstMonth: firstMonth, season: season), let naive = naive(history, ahead: holdout) else { return nil }
        let forecast = model.predict(ahead: holdout)
        return Backtest(model: Error(forecast: forecast, actual: actual), naive: Error(forecast: naive, actual: actual),
                        holdout: holdout, fitted: model, forecast: forecast, naiveForecast: naive, actual: actual)
    }

    /// Per calendar month the mean of its ratios, scaled to average 1 over the months that have any
    /// (a month without is 1).
    static func indices(_ ratios: [[Double]]) -> [Double] {
        let means = ratios.map { $0.isEmpty ? nil : $0.reduce(0, +) / Double($0.count) }
        let known = means.compactMap { $0 }
        let scale = known.isEmpty ? 1 : known.reduce(0, +) / Double(known.count)
        return means.map { mean in mean.map { scale > 0 ? $0 / scale : 1 } ?? 1 }
    }

    /// The straight line through `points` (x is months relative to the last); its value at x = 0
    /// and its slope. One point, or all at one x: flat at their mean.
    static func leastSquares(_ points: [(x: Double, y: Double)]) -> (level: Double, slope: Double) {
        let n = Double(points.count)
        guard n > 0 else { return (0, 0) }
        let meanX = points.reduce(0) { $0 + $1.x } / n
        let meanY = points.reduce(0) { $0 + $1.y } / n
        let sxx = points.reduce(0) { $0 + ($1.x - meanX) * ($1.x - meanX) }
        guard sxx > 0 else { return (meanY, 0) }
        let slope = points.reduce(0) { $0 + ($1.x - meanX) * ($1.y - meanY) } / sxx
        return (meanY - slope * meanX, slope)
    }
}
