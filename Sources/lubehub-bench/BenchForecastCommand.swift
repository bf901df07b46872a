import ArgumentParser
import Foundation
import HubAPI
import HubContracts
import HubDomain
import HubStore
import Simulator
import WireFormats

/// `lubehub-bench forecast`: the demand forecast on the simulator's history. `--months` (36) of
/// `CompanyHistory` for `--dealers` (5,000) tier-1 dealers are laid down month by month and counted
/// as the core's figures count taken volume (each confirmed order line's quantity in litres, or
/// kilograms for bulk, in the month it was placed; cancelled orders count nothing), per product
/// line, per product line × province and per product line × dealer. They go into a fresh SQLite
/// store's figures (the table the core keeps), and the forecast is read from there as the API
/// reads it. Reported: the backtest by product line — the model and "the same month last year"
/// fitted without the last 12 months and measured on them, MAPE and bias of the company's line,
/// and WAPE and bias over its provinces' series — with the naive/model error ratio (above 1 the
/// model is better), and how long a full forecast takes (every series of the three breakdowns).
struct BenchForecastCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "The demand forecast's backtest vs. last year's months by product line, and how long a full forecast takes at the study's scale."
    )

    @Option(help: "Tier-1 dealers.") var dealers = 5_000
    @Option(help: "Months of history (36: two years to fit, one to hold out).") var months = 36
    @Option(help: "Materials.") var materials = 4_200
    @Option(help: "Full forecasts to time.") var runs = 3
    @Option(help: "Folder for the temporary SQLite file.") var workDirectory = NSTemporaryDirectory()
    @Option(help: "The random seed.") var seed: UInt64 = 2026
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func run() async throws {
        var report = BenchReport(bench: "forecast")
        report.config = [("dealers", "\(dealers)"), ("months", "\(months)"), ("materials", "\(materials)"), ("runs", "\(runs)"),
                         ("method", "seasonal indices x least-squares trend (DemandForecast); naive: the same month last year")]
        let company = Company.generate(seed: seed, tier1: dealers, tier2: 0, materials: materials)
        var plan = CompanyHistory.Plan()
        plan.months = months
        let started = ContinuousClock.now
        let figures = Self.takenVolume(company, plan: plan, progress: progress)
        report.results.append(("history_seconds", .init(value: (ContinuousClock.now - started).seconds, unit: "s")))
        report.results.append(("history_orders", .init(value: Double(figures.orders), unit: "orders")))
        report.results.append(("figure_rows", .init(value: Double(figures.contributions.measures.count), unit: "rows")))

        let path = (workDirectory as NSString).appendingPathComponent("lubehub-bench-forecast-\(UUID().uuidString).sqlite")
        let location = DatabaseLocation.sqlite(path: path)
        defer { location.removeFiles() }
        let store = try CoreStore(location)
        let contributions = figures.contributions
        try await store.transaction { tables throws(StoreError) in
            try tables.analytics.add(contributions)
            try tables.analytics.foldPending()
        }
        // The forecast is made in the month after the history's last.
        let now = Date(timeIntervalSince1970: TimeInterval(FigureMonth(year: plan.endingBefore.year, month: plan.endingBefore.month)?.firstDay ?? 0) * 86_400 + 86_400)

        let byLine = try await store.read { reader throws(StoreError) in try ForecastAnswers.forecast(by: .productLine, reach: .all, now: now, in: reader) }
        let byProvince = try await store.read { reader throws(StoreError) in try ForecastAnswers.forecast(by: .province, reach: .all, now: now, in: reader) }
        for row in byLine.rows {
            guard let test = row.backtest else { continue }
            let line = row.productLine
            report.results += [("\(line)_mape", .init(value: Self.percent(test.mape), unit: "%")),
                               ("\(line)_naive_mape", .init(value: Self.percent(test.naiveMape), unit: "%")),
                               ("\(line)_bias", .init(value: Self.percent(test.bias), unit: "%")),
                               ("\(line)_naive_bias", .init(value: Self.percent(test.naiveBias), unit: "%"))]
            report.ratio("\(line)_naive_mape", "\(line)_mape")
        }
        for summary in byProvince.byProductLine {
            let line = summary.productLine
            report.results += [("\(line)_provinces", .init(value: Double(summary.rows), unit: "series")),
                               ("\(line)_provinces_model_better", .init(value: Double(summary.modelBetter), unit: "series")),
                               ("\(line)_provinces_wape", .init(value: Self.percent(summary.wape), unit: "%")),
                               ("\(line)_provinces_naive_wape", .init(value: Self.percent(summary.naiveWape), unit: "%")),
                               ("\(line)_provinces_bias", .init(value: Self.percent(summary.bias), unit: "%")),
                               ("\(line)_provinces_naive_bias", .init(value: Self.percent(summary.naiveBias), unit: "%"))]
            report.ratio("\(line)_provinces_naive_wape", "\(line)_provinces_wape")
        }

        // A full forecast: every series of the three breakdowns, read and fitted as the API does.
        var best = Double.infinity
        var series = 0
        for run in 1...max(1, runs) {
            let clock = ContinuousClock.now
            var count = 0
            for by in ForecastBreakdown.allCases {
                let table = try await store.read { reader throws(StoreError) in try ForecastAnswers.forecast(by: by, reach: .all, now: now, in: reader) }
                count += table.rows.count + table.tooShort
            }
            let seconds = (ContinuousClock.now - clock).seconds
            progress("full forecast \(run): \(count) series in \(String(format: "%.2f", seconds)) s")
            (best, series) = (min(best, seconds), count)
        }
        let dealerTable = try await store.read { reader throws(StoreError) in try ForecastAnswers.forecast(by: .dealer, reach: .all, now: now, in: reader) }
        report.results += [("full_forecast_seconds", .init(value: best, unit: "s")), ("full_forecast_series", .init(value: Double(series), unit: "series")),
                           ("dealer_series_forecast", .init(value: Double(dealerTable.rows.count), unit: "series")),
                           ("dealer_series_too_short", .init(value: Double(dealerTable.tooShort), unit: "series")),
                           ("dealer_series_model_better", .init(value: Double(dealerTable.byProductLine.reduce(0) { $0 + $1.modelBetter }), unit: "series")),
                           ("dealer_series_backtested", .init(value: Double(dealerTable.byProductLine.reduce(0) { $0 + $1.rows }), unit: "series"))]
        print(json ? report.json : report.table)
    }

    static func percent(_ text: DecimalText) -> Double { (Double(text.text ?? "") ?? .nan) * 100 }

    /// The history's taken volume as the core's figures keep it (company, province and dealer rows per product line and month).
    static func takenVolume(_ company: Company, plan: CompanyHistory.Plan, progress: (String) -> Void) -> (contributions: FigureContributions, orders: Int) {
        var history = CompanyHistory(company: company, plan: plan)
        let materials = Dictionary(uniqueKeysWithValues: company.materials.map { ($0.number, $0) })
        let dealers = Dictionary(uniqueKeysWithValues: company.tier1.map { ($0.dealerId, $0) })
        var contributions = FigureContributions()
        var orders = 0
        for index in 0..<plan.months {
            let (year, number) = history.month(at: index)
            guard let month = FigureMonth(year: year, month: number) else { continue }
            var submitted: [String: OrderSubmission] = [:]
            for (_, entry) in history.events(ofMonth: index) {
                switch entry.event.data {
                case .orderSubmit(let order):
                    submitted[order.orderId] = order
                case .orderConfirmed(let confirmed):
                    guard let order = submitted[confirmed.orderId], let dealer = dealers[order.dealerId] else { continue }
                    orders += 1
                    let province = IDocValues.province(region: dealer.province) ?? dealer.province
                    for line in confirmed.lines {
                        guard let ordered = order.lines.first(where: { $0.lineNo == line.lineNo }), let material = materials[ordered.materialId],
                              let productLine = IDocValues.productLine(channel: material.channel) else { continue }
                        let size = Double(material.packageSize.split(separator: " ").first.flatMap { Double($0) } ?? 1)
                        let quantity = NSDecimalNumber(decimal: line.confirmedQuantity.value).doubleValue
                        var delta = AnalyticsMeasures()
                        if material.unit == "TO" { delta.takenG = Int64(quantity * size * 1_000_000) } else { delta.takenMl = Int64(quantity * size * 1_000) }
                        for (scope, id) in [(AnalyticsScope.company, FigureKey.company), (.province, province), (.dealer, dealer.dealerId)] {
                            contributions.add(FigureKey(scope, id, productLine: productLine.rawValue, month: month), delta)
                        }
                    }
                default:
                    continue
                }
            }
            progress("month \(month.text): \(orders) orders so far")
        }
        return (contributions, orders)
    }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("[bench forecast] \(text)\n".utf8))
    }
}
