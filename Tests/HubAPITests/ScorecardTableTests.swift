import Foundation
import HubAPI
import HubDomain
import Testing

@Suite("scorecards and CSV, without a hub")
struct ScorecardTableTests {
    let period = AnalyticsPeriod(months: FigureMonth(year: 2026, month: 1)!...FigureMonth(year: 2026, month: 12)!)

    func dealer(contractedMl: Int64, takenMl: Int64, submitted: Int64, valid: Int64) -> ScorecardTable.Input {
        var line = AnalyticsMeasures()
        (line.contractedMl, line.takenMl, line.ordersSubmitted, line.ordersValid) = (contractedMl, takenMl, submitted, valid)
        return ScorecardTable.Input(lines: [FigureKey.allLines: line, "automotive-packaged": line], yearBefore: AnalyticsMeasures())
    }

    @Test("rows are scored from their measures, ranked by score, and sorted with missing values last")
    func ranking() throws {
        let inputs = [
            "D1": dealer(contractedMl: 1_000, takenMl: 800, submitted: 10, valid: 9),    // fulfilment 80, valid 90
            "D2": dealer(contractedMl: 1_000, takenMl: 1_500, submitted: 4, valid: 4),   // fulfilment 100 (capped), valid 100
            "D3": dealer(contractedMl: 0, takenMl: 50, submitted: 0, valid: 0),          // nothing to score
        ]
        let weights = try ScorecardKind.dealers.weights(overriding: "receiptSpeed:0,growth:0").get()
        let table = ScorecardTable(kind: .dealers, period: period, weights: weights, inputs: inputs, names: ["D1": "上海一级"])
        #expect(table.rows.map(\.id) == ["D2", "D1", "D3"] && table.rows.map(\.rank) == [1, 2, 3])
        #expect(table.rows[0].score.text == "100.00")
        #expect(table.rows[1].score.text == "83.33", "(80 × 40 + 90 × 20) / 60")
        #expect(table.rows[2].score.text == nil && table.rows[2].measures["fulfilmentRate"]?.text == nil)
        #expect(table.rows[1].measures["fulfilmentRate"]?.text == "0.8000" && table.rows[0].measures["fulfilmentRate"]?.text == "1.5000")
        let ascending = ScorecardTable(kind: .dealers, period: period, weights: weights, inputs: inputs, names: [:], sort: "fulfilmentRate", descending: false)
        #expect(ascending.rows.map(\.id) == ["D1", "D2", "D3"], "missing values last either way")
        let byName = ScorecardTable(kind: .dealers, period: period, weights: weights, inputs: inputs, names: ["D1": "上海一级", "D3": "上海一级"], sort: "name", descending: false)
        #expect(byName.rows.map(\.id) == ["D2", "D1", "D3"], "by name (an id where there is none), then by id")
        let byNameDown = ScorecardTable(kind: .dealers, period: period, weights: weights, inputs: inputs, names: ["D1": "上海一级", "D3": "上海一级"], sort: "name", descending: true)
        #expect(byNameDown.rows.map(\.id) == ["D3", "D1", "D2"])
        let page = ScorecardTable(kind: .dealers, period: period, weights: weights, inputs: inputs, names: [:], limit: 1, offset: 1)
        #expect(page.total == 3 && page.rows.map(\.id) == ["D1"] && page.rows[0].rank == 2)
        #expect(ScorecardKind.dealers.weights(overriding: "speed:10").failureDescription?.contains("\"speed:10\"") == true)
        #expect(ScorecardKind.plants.weights(overriding: "productQuality:101").failureDescription != nil)
    }

    @Test("CSV: a cell a spreadsheet would run is neutralised; numbers stay numbers; quotes are doubled")
    func csv() {
        #expect(SpreadsheetCSV.cell("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"")
        for formula in ["+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] { #expect(SpreadsheetCSV.cell(formula).hasPrefix("\"'"), "\(formula)") }
        #expect(SpreadsheetCSV.cell("-12.50") == "\"-12.50\"" && SpreadsheetCSV.cell("上海一级") == "\"上海一级\"")
        let document = SpreadsheetCSV.document(header: ["id", "name"], rows: [["D1", "=cmd|' /C calc'!A0"]])
        #expect(document == "\u{FEFF}\"id\",\"name\"\r\n\"D1\",\"'=cmd|' /C calc'!A0\"\r\n")
    }
}

extension Result {
    var failureDescription: String? {
        if case .failure(let error) = self { return "\(error)" }
        return nil
    }
}
