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
        let table = ScorecardTable(kind: .dealers, period: period, weights: weights, inputs: inputs, names: ["D1": "上海一级"], company: AnalyticsMeasures())
        #expect(table.rows.map(\.id) == ["D2", "D1", "D3"] && table.rows.map(\.rank) == [1, 2, 3])
        #expect(table.rows[0].score.text == "100.00")
        #expect(table.rows[1].score.text == "83.33", "(80 × 40 + 90 × 20) / 60")
        #expect(table.rows[2].score.text == nil && table.rows[2].measures["fulfilmentRate"]?.text == nil)
        #expect(table.rows[1].measures["fulfilmentRate"]?.text == "0.8000" && table.rows[0].measures["fulfilmentRate"]?.text == "1.5000")
        let ascending = ScorecardTable(kind: .dealers, period: period, weights: weights, inputs: inputs, names: [:], company: AnalyticsMeasures(), sort: "fulfilmentRate", descending: false)
        #expect(ascending.rows.map(\.id) == ["D1", "D2", "D3"], "missing values last either way")
        let byName = ScorecardTable(kind: .dealers, period: period, weights: weights, inputs: inputs, names: ["D1": "上海一级", "D3": "上海一级"], company: AnalyticsMeasures(), sort: "name", descending: false)
        #expect(byName.rows.map(\.id) == ["D2", "D1", "D3"], "by name (an id where there is none), then by id")
        let byNameDown = ScorecardTable(kind: .dealers, period: period, weights: weights, inputs: inputs, names: ["D1": "上海一级", "D3": "上海一级"], company: AnalyticsMeasures(), sort: "name", descending: true)
        #expect(byNameDown.rows.map(\.id) == ["D3", "D1", "D2"])
        let page = ScorecardTable(kind: .dealers, period: period, weights: weights, inputs: inputs, names: [:], company: AnalyticsMeasures(), limit: 1, offset: 1)
        #expect(page.total == 3 && page.rows.map(\.id) == ["D1"] && page.rows[0].rank == 2)
        #expect(ScorecardKind.dealers.weights(overriding: "speed:10").failureDescription?.contains("\"speed:10\"") == true)
        #expect(ScorecardKind.plants.weights(overriding: "productQuality:101").failureDescription != nil)
    }

    @Test("profitability: contribution is gross margin less the funds used, ranked among the rows; the share is of the company's margin")
    func profitability() throws {
        func dealer(revenueFen: Int64, costFen: Int64, fundUsedFen: Int64) -> ScorecardTable.Input {
            var all = AnalyticsMeasures()
            (all.revenueFen, all.costFen, all.fundUsedFen, all.fundBudgetFen) = (revenueFen, costFen, fundUsedFen, 50_000)
            return ScorecardTable.Input(lines: [FigureKey.allLines: all], yearBefore: AnalyticsMeasures())
        }
        // D1 has the larger margin (600.00) but spent 400.00 of funds: contribution 200.00; D2's margin 300.00, no spend: 300.00.
        let inputs = ["D1": dealer(revenueFen: 100_000, costFen: 40_000, fundUsedFen: 40_000), "D2": dealer(revenueFen: 50_000, costFen: 20_000, fundUsedFen: 0)]
        var company = AnalyticsMeasures()
        (company.revenueFen, company.costFen) = (300_000, 150_000)  // margin 1,500.00
        let table = ScorecardTable(kind: .dealers, period: period, weights: try ScorecardKind.dealers.weights(overriding: nil).get(), inputs: inputs,
                                   names: [:], company: company, sort: "contribution")
        #expect(table.rows.map(\.id) == ["D2", "D1"] && table.rows.map(\.contributionRank) == [1, 2])
        let d1 = try #require(table.rows.last)
        #expect(d1.figures.grossMargin == "600.00" && d1.figures.fundUsed == "400.00" && d1.figures.contribution == "200.00")
        #expect(d1.figures.fundBudget == "500.00" && d1.figures.fundRemaining == "100.00")
        #expect(d1.shareOfCompanyMargin.text == "0.4000", "600 of 1,500")
        #expect(ScorecardTable(kind: .dealers, period: period, weights: [:], inputs: inputs, names: [:], company: AnalyticsMeasures())
                    .rows.allSatisfy { $0.shareOfCompanyMargin.text == nil }, "no company margin: no share, not a division by zero")
        #expect(table.csv.contains("\"contribution_CNY\"") && table.csv.contains("\"200.00\",\"0.4000\",\"2\""))
    }

    @Test("customer rating: each product line's ERP class beside the hub's score of the line (the dealer scorecard's measures over the line)")
    func customerRating() throws {
        var automotive = AnalyticsMeasures()
        (automotive.contractedMl, automotive.takenMl, automotive.ordersSubmitted, automotive.ordersValid) = (1_000, 800, 10, 9)
        let figures = PeriodFigures(scope: .dealer, id: "D1", name: nil, period: period, lines: [FigureKey.allLines: automotive, "automotive-packaged": automotive],
                                    yearBefore: [:], months: [:], company: AnalyticsMeasures(),
                                    customerClasses: ["automotive-packaged": "A", "bulk": "C"])
        #expect(figures.byProductLine.map(\.productLine) == ["automotive-packaged", "bulk"], "a line with a class and no figures is listed too")
        #expect(figures.byProductLine[0].erpClass == "A" && figures.byProductLine[0].score?.text == "83.33", "(80 × 40 + 90 × 20) / 60")
        #expect(figures.byProductLine[1].erpClass == "C" && figures.byProductLine[1].score?.text == nil, "nothing to score")
        let branch = PeriodFigures(scope: .branch, id: "BR", name: nil, period: period, lines: [FigureKey.allLines: automotive, "automotive-packaged": automotive],
                                   yearBefore: [:], months: [:], company: AnalyticsMeasures())
        #expect(branch.byProductLine.allSatisfy { $0.erpClass == nil && $0.score == nil }, "only a dealer has a class and a rating")
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
