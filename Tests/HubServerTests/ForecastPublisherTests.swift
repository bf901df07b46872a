import Foundation
import HubAPI
import HubContracts
import HubCore
import HubDomain
@testable import HubServer
@_spi(SQL) import HubStore
import Logging
@_spi(SQL) import StoreTestSupport
import Testing

/// The demand forecast read from the figures the core keeps, on both databases: by product line,
/// by province and by dealer within the reader's scope; published on `hub.forecasts` once, valid
/// against the catalogue, and not again while nothing changed.
@Suite("demand forecasts from the kept figures, published once")
struct ForecastPublisherTests {
    /// 2026-12-05 10:00 in China.
    static let now = Date(timeIntervalSince1970: 1_796_436_000)
    static let season: [Double] = [0.8, 0.7, 1.1, 1.2, 1.1, 1.0, 0.9, 0.9, 1.1, 1.2, 1.1, 0.9]

    /// `months` whole months ending in November 2026 of (level + slope × t) × season, in ml (`g` false) or g.
    static func rows(_ scope: String, _ id: String, _ line: String, months: Int, level: Double, slope: Double, grams: Bool = false) -> [String] {
        let last = FigureMonth(year: 2026, month: 11)!
        return (0..<months).map { t in
            let month = last.adding(months: t - months + 1)
            let value = Int64(((level + slope * Double(t)) * season[month.month - 1] * 1_000).rounded())
            return "('\(scope)', '\(id)', '\(line)', '\(month.text)', \(grams ? 0 : value), \(grams ? value : 0))"
        }
    }

    @Test("by product line, province and dealer in scope; published on hub.forecasts, valid, once", arguments: StoreKind.allCases)
    func forecastsAndPublishes(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let store = try CoreStore(database.location)
        let values = Self.rows("company", "company", "automotive-packaged", months: 36, level: 40_000, slope: 200)
            + Self.rows("company", "company", "bulk", months: 36, level: 900, slope: 0, grams: true)
            + Self.rows("province", "上海", "automotive-packaged", months: 36, level: 5_000, slope: 30)
            + Self.rows("province", "江苏", "automotive-packaged", months: 20, level: 3_000, slope: 10)
            + Self.rows("dealer", "D1", "automotive-packaged", months: 30, level: 300, slope: 2)
            + Self.rows("dealer", "D2", "automotive-packaged", months: 36, level: 200, slope: -1)
        let connection = try database.location.open()
        try connection.executeScript("""
            INSERT INTO dealers (dealer_id, name, tier, branch_id, province, sales_rep_id, credit_limit, currency, status) VALUES
                ('D1', '上海一级', 'tier1', 'BR-EAST', '上海', 'R1', '0', 'CNY', 'active'),
                ('D2', '南京一级', 'tier1', 'BR-EAST', '江苏', 'R2', '0', 'CNY', 'active');
            INSERT INTO analytics_figures (scope, scope_id, product_line, month, taken_ml, taken_g) VALUES \(values.joined(separator: ",\n"));
            """)

        let company = try await store.read { reader throws(StoreError) in try ForecastAnswers.forecast(by: .productLine, reach: .all, now: Self.now, in: reader) }
        #expect(company.basedOn == "2026-11" && company.nextQuarter == "2027-Q1" && company.nextYear == "2027" && company.tooShort == 0)
        #expect(company.rows.map(\.id) == ["automotive-packaged", "bulk"])
        let automotive = try #require(company.rows.first)
        #expect(automotive.unit == "L" && automotive.historyMonths == 36 && automotive.months.count == 13)
        var truth = 0.0
        for month in 0..<12 {
            let trend: Double = 40_000 + 200 * Double(37 + month)
            truth += trend * Self.season[month]
        }
        let nextYear = try #require(automotive.nextYear.flatMap(Double.init))
        #expect(abs(nextYear - truth) / truth < 0.002, "\(nextYear) vs \(truth)")
        #expect(automotive.backtest?.beatsNaive == true && company.byProductLine.map(\.productLine) == ["automotive-packaged", "bulk"])
        #expect(company.rows.last?.unit == "kg")

        let provinces = try await store.read { reader throws(StoreError) in try ForecastAnswers.forecast(by: .province, reach: .all, now: Self.now, in: reader) }
        #expect(provinces.rows.map(\.id) == ["automotive-packaged:上海"] && provinces.tooShort == 1, "江苏 has 20 months: too short")

        // A sales rep reaches its own dealers only; a dealer with 30 months has a forecast but no backtest.
        let mine = try await store.read { reader throws(StoreError) in
            try ForecastAnswers.forecast(by: .dealer, reach: .dealers(.salesRep("R1")), now: Self.now, in: reader)
        }
        #expect(mine.rows.map(\.dealerId) == ["D1"] && mine.rows.first?.name == "上海一级" && mine.rows.first?.backtest == nil)
        #expect(mine.rows.first?.note == "历史不足三年，未回测")

        let publisher = ForecastPublisher(store: store, interval: .seconds(3_600), logger: Logger(label: "test"))
        #expect(try await publisher.publishOnce(now: Self.now) == 3)
        let published = try database.rows("SELECT message_key, value FROM outbox WHERE topic = 'hub.forecasts' ORDER BY message_key")
        #expect(published.map { $0.string(0) } == ["product-line:automotive-packaged", "product-line:bulk", "province:automotive-packaged:上海"])
        let catalogue = try TopicCatalogue.load(directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("topics"))
        for row in published { #expect(catalogue.validate(topic: "hub.forecasts", value: row.blob(1) ?? []) == .valid, "\(row.string(0) ?? "")") }
        let event = try CanonicalEvent.decode(published[2].blob(1) ?? [])
        guard case .forecastPublished(let data) = event.data else { Issue.record("not a forecast: \(event.type)"); return }
        #expect(data.province == "上海" && data.breakdown == "province" && data.backtest?.months == 12 && data.months.count == 13)
        #expect(try await publisher.publishOnce(now: Self.now) == 0, "nothing changed: nothing again")
    }
}
