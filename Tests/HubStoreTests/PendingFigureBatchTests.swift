import HubDomain
@testable import HubStore
import Testing

@Suite("PendingFigureBatch: a transaction's change of the figures as one value")
struct PendingFigureBatchTests {
    private func decoded(_ bytes: [UInt8]) throws -> FigureContributions {
        var rows = FigureContributions()
        try PendingFigureBatch.decode(bytes, batchId: 7) { key, measures throws(StoreError) in rows.add(key, measures) }
        return rows
    }

    @Test("every measure of every row comes back as written: negatives, the extremes, Chinese ids, all lines")
    func roundTrip() throws {
        let november = try #require(FigureMonth(text: "2026-11"))
        var change = FigureContributions()
        var every = AnalyticsMeasures()
        for index in AnalyticsMeasures.columns.indices { every[index] = Int64(index + 1) * (index.isMultiple(of: 2) ? 1 : -1) * 1_000_003 }
        change.add(FigureKey(.dealer, "D000123", productLine: "ENGINE", month: november), every)
        var extremes = AnalyticsMeasures()
        extremes.revenueFen = .max
        extremes.costFen = .min
        extremes.signIns = -1
        change.add(FigureKey(.province, "广东省", productLine: FigureKey.allLines, month: november), extremes)
        var one = AnalyticsMeasures()
        one.ordersSubmitted = 1
        change.add(FigureKey(.company, FigureKey.company, productLine: "ENGINE", month: try #require(FigureMonth(text: "2023-01"))), one)
        change.add(FigureKey(.salesRep, "SR-9", productLine: "ENGINE", month: november), one)
        let bytes = PendingFigureBatch.encode(change)
        #expect(try decoded(bytes) == change)
        #expect(bytes.count < 4 * 80, "much smaller than the rows of 40 columns it replaces: \(bytes.count) bytes")
    }

    @Test("an empty change is a value of no rows")
    func empty() throws {
        #expect(try decoded(PendingFigureBatch.encode(FigureContributions())).isEmpty)
    }

    @Test("a value of another format, cut short or naming a string it lacks is refused as corrupt, naming the row")
    func corrupt() throws {
        var one = AnalyticsMeasures()
        one.ordersSubmitted = 1
        var change = FigureContributions()
        change.add(FigureKey(.dealer, "D1", productLine: "ENGINE", month: try #require(FigureMonth(text: "2026-11"))), one)
        let bytes = PendingFigureBatch.encode(change)
        var otherFormat = bytes
        otherFormat[0] = 9
        for broken in [otherFormat, Array(bytes.dropLast()), [], [PendingFigureBatch.format, 0, 1, 0, 5, 0, 0, 4, 2]] {
            let error = try #require(throws: StoreError.self) { try decoded(broken) }
            #expect(error.code == .corrupt)
            #expect(error.message.contains("analytics_pending_batches row 7"), "\(error.message)")
        }
    }
}
