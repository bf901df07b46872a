import Foundation
import HubDomain
import Testing

/// The demand forecast on synthetic series whose trend and season are known.
@Suite("demand forecast: trend and season recovered, measured against last year")
struct DemandForecastTests {
    static let first = FigureMonth(year: 2023, month: 12)!
    /// Lubricants' season (the simulator's), scaled to average 1.
    static let season: [Double] = {
        let raw = [0.8, 0.7, 1.1, 1.2, 1.1, 1.0, 0.9, 0.9, 1.1, 1.2, 1.1, 0.9]
        let mean = raw.reduce(0, +) / 12
        return raw.map { $0 / mean }
    }()

    /// (level + slope × t) × season, t from 0, starting at `first`; optionally times 1 ± `noise` (seeded).
    func series(months: Int, level: Double, slope: Double, noise: Double = 0, seed: UInt64 = 7) -> [Double] {
        var state = seed
        return (0..<months).map { t in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let u = Double(state >> 11) / Double(1 << 53) * 2 - 1
            return (level + slope * Double(t)) * Self.season[Self.first.adding(months: t).month - 1] * (1 + noise * u)
        }
    }

    @Test("a line times a season: the slope, the level and all twelve indices come back within 0.1 %, and so does next year")
    func exact() throws {
        let history = series(months: 36, level: 1_000, slope: 12)
        let model = try #require(DemandForecast.fit(history, firstMonth: Self.first))
        #expect(abs(model.slope - 12) / 12 < 0.001, "slope \(model.slope)")
        #expect(abs(model.level - (1_000 + 12 * 35)) / 1_420 < 0.001, "level \(model.level)")
        for (index, expected) in Self.season.enumerated() {
            #expect(abs(model.seasonal[index] - expected) < 0.001, "month \(index + 1): \(model.seasonal[index]) vs \(expected)")
        }
        let truth = Array(series(months: 48, level: 1_000, slope: 12).suffix(12))
        for (forecast, actual) in zip(model.predict(ahead: 12), truth) { #expect(abs(forecast - actual) / actual < 0.001) }
        #expect(model.nextMonth == FigureMonth(year: 2026, month: 12))
    }

    @Test("a falling line: the slope comes back negative, and the forecast never goes below zero")
    func falling() throws {
        let model = try #require(DemandForecast.fit(series(months: 30, level: 500, slope: -10), firstMonth: Self.first))
        #expect(abs(model.slope + 10) < 0.05, "slope \(model.slope)")
        let far = model.predict(ahead: 60)
        #expect(far.allSatisfy { $0 >= 0 })
        #expect(far.last == 0, "five years on the line is below zero: clamped")
    }

    @Test("with ±15 % noise: slope within 25 %, indices within 0.08, next year's total within 5 % of the truth — and better than last year's months")
    func noisy() throws {
        let truthAll = series(months: 48, level: 2_000, slope: 20)
        let history = series(months: 36, level: 2_000, slope: 20, noise: 0.15)
        let model = try #require(DemandForecast.fit(history, firstMonth: Self.first))
        #expect(abs(model.slope - 20) / 20 < 0.25, "slope \(model.slope)")
        for (index, expected) in Self.season.enumerated() { #expect(abs(model.seasonal[index] - expected) < 0.08, "month \(index + 1)") }
        let truth = Array(truthAll.suffix(12))
        let nextYear = model.predict(ahead: 12).reduce(0, +)
        #expect(abs(nextYear - truth.reduce(0, +)) / truth.reduce(0, +) < 0.05, "\(nextYear)")
        let naive = try #require(DemandForecast.naive(history, ahead: 12))
        let modelError = DemandForecast.Error(forecast: model.predict(ahead: 12), actual: truth)
        let naiveError = DemandForecast.Error(forecast: naive, actual: truth)
        #expect(try #require(modelError.mape) < #require(naiveError.mape))
        #expect(try #require(naiveError.bias) < 0, "last year's months miss a growing year's growth")
    }

    @Test("shorter than two years, or nothing sold: no model; a year: the naive forecast only")
    func tooShort() {
        #expect(DemandForecast.fit(series(months: 23, level: 100, slope: 1), firstMonth: Self.first) == nil)
        #expect(DemandForecast.fit(Array(repeating: 0, count: 36), firstMonth: Self.first) == nil)
        #expect(DemandForecast.naive([1, 2, 3], ahead: 3) == nil)
        #expect(DemandForecast.naive(Array(1...12).map(Double.init), ahead: 14) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2])
    }

    @Test("the backtest holds out the last year: fitted on 24 months, measured on 12, the naive one beside it")
    func backtest() throws {
        let history = series(months: 36, level: 1_000, slope: 15)
        let result = try #require(DemandForecast.backtest(history, firstMonth: Self.first))
        #expect(result.holdout == 12 && result.actual == Array(history.suffix(12)))
        #expect(try #require(result.model.mape) < 0.001)
        #expect(result.naiveForecast == Array(history[12..<24]))
        #expect(try #require(result.naive.bias) < -0.1, "a year of +15 a month missed: about 180 / 1,600")
        #expect(DemandForecast.backtest(Array(history.prefix(35)), firstMonth: Self.first) == nil)
    }

    @Test("error: MAPE over months that sold, bias and WAPE over the total; nothing sold gives none")
    func error() {
        let error = DemandForecast.Error(forecast: [110, 90, 5], actual: [100, 100, 0])
        #expect(error.mape == 0.1)
        #expect(error.bias == 0.025)
        #expect(error.wape == 0.125)
        #expect(DemandForecast.Error(forecast: [1], actual: [0]).mape == nil)
    }

    @Test("made in December: history to November, next quarter 2027-Q1, next year 2027, thirteen months ahead; made in January: Q2 and the year after")
    func horizon() {
        let december = ForecastHorizon(now: FigureMonth(year: 2026, month: 12)!)
        #expect(december.lastWhole == FigureMonth(year: 2026, month: 11) && december.quarterLabel == "2027-Q1" && december.months == 13)
        #expect(december.nextQuarter == FigureMonth(year: 2027, month: 1)!...FigureMonth(year: 2027, month: 3)!)
        #expect(december.nextYear == FigureMonth(year: 2027, month: 1)!...FigureMonth(year: 2027, month: 12)!)
        let january = ForecastHorizon(now: FigureMonth(year: 2027, month: 1)!)
        #expect(january.quarterLabel == "2027-Q2" && january.nextYear.lowerBound == FigureMonth(year: 2028, month: 1) && january.months == 24)
        #expect(ForecastHorizon(now: FigureMonth(year: 2027, month: 5)!).quarterLabel == "2027-Q3")
    }

    @Test("a series as kept: in kilograms when it is mostly kilograms, from its first sale on, next quarter and next year summed from its months")
    func volumeForecast() throws {
        let horizon = ForecastHorizon(now: FigureMonth(year: 2026, month: 12)!)
        let values = series(months: 36, level: 1_000, slope: 10)
        var taken: [FigureMonth: (ml: Int64, g: Int64)] = [:]
        for (index, value) in values.enumerated() where index >= 6 { taken[Self.first.adding(months: index)] = (0, Int64(value * 1_000)) }
        let forecast = VolumeForecast(taken: taken, horizon: horizon)
        #expect(forecast.unit == .kilograms && forecast.historyMonths == 30, "the six months before the first sale are not history")
        #expect(forecast.backtest == nil, "thirty months: too short to hold out a year")
        #expect(forecast.months.count == 13 && forecast.months.first?.month == FigureMonth(year: 2026, month: 12))
        let quarter = forecast.months.filter { horizon.nextQuarter.contains($0.month) }.reduce(0) { $0 + $1.volume }
        #expect(try #require(forecast.nextQuarter) == quarter && quarter > 0)
        let truth = series(months: 49, level: 1_000, slope: 10).suffix(12).reduce(0, +)
        #expect(abs(try #require(forecast.nextYear) - truth) / truth < 0.005, "next year: \(forecast.nextYear ?? 0) vs \(truth)")
        #expect(abs(forecast.lastTwelveMonths - values.suffix(12).reduce(0, +)) < 1)
        let short = VolumeForecast(taken: [FigureMonth(year: 2026, month: 11)!: (5_000, 0)], horizon: horizon)
        #expect(short.unit == .litres && short.model == nil && short.nextYear == nil && short.months.isEmpty)
    }

    @Test("a small noisy series borrowing its line's season forecasts next year closer than with its own two noisy years, over 200 seeds")
    func borrowedSeason() throws {
        var (own, borrowed) = (0.0, 0.0)
        let truth = Array(series(months: 36, level: 300, slope: 3).suffix(12))
        for seed in 1...200 {
            let history = Array(series(months: 36, level: 300, slope: 3, noise: 0.4, seed: UInt64(seed)).prefix(24))
            let mine = try #require(DemandForecast.fit(history, firstMonth: Self.first))
            let lent = try #require(DemandForecast.fit(history, firstMonth: Self.first, season: Self.season))
            #expect(lent.seasonal == Self.season)
            own += DemandForecast.Error(forecast: mine.predict(ahead: 12), actual: truth).wape ?? 1
            borrowed += DemandForecast.Error(forecast: lent.predict(ahead: 12), actual: truth).wape ?? 1
        }
        #expect(borrowed < own * 0.9, "mean WAPE borrowed \(borrowed / 200) vs own \(own / 200)")
        let exact = try #require(DemandForecast.fit(series(months: 24, level: 300, slope: 3), firstMonth: Self.first, season: Self.season))
        #expect(abs(exact.slope - 3) < 1e-9 && abs(exact.level - (300 + 3 * 23)) < 1e-6)
    }
}
