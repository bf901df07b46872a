import Foundation
import HubContracts
import HubDomain
import Testing

@Suite("dealer books: moving-average cost, refusals, ageing, tier-2 fulfilment, months")
struct BookPositionTests {
    func post(_ position: BookPosition, _ movement: BookPosition.Movement, negative: Bool = false) throws -> BookPosition.Effect {
        try position.post(movement, allowingNegativeStock: negative).get()
    }

    @Test("goods in average their cost; goods out take the average, rounded to the fen; the last unit out takes what is left")
    func movingAverage() throws {
        var position = BookPosition()
        position = try post(position, .goodsIn(quantityMilli: 3_000, unitCostFen: 1_000)).after           // 3 at 10.00
        position = try post(position, .goodsIn(quantityMilli: 4_000, unitCostFen: 1_100)).after           // 4 at 11.00 → 74.00 for 7
        #expect(position.valueFen == 7_400 && position.onHandMilli == 7_000)
        let one = try post(position, .goodsOut(quantityMilli: 1_000))                                      // 74.00 / 7 = 10.5714… → 10.57
        #expect(one.valueFen == -1_057 && one.quantityMilli == -1_000)
        let rest = try post(one.after, .goodsOut(quantityMilli: 6_000))
        #expect(rest.valueFen == -6_343 && rest.after == BookPosition(onHandMilli: 0, valueFen: 0, averageCostFen: one.after.averageCostFen),
                "the last six take the 63.43 left, not 6 × 10.57 = 63.42")
    }

    @Test("goods out beyond stock are refused unless negative stock is allowed; then the rest goes at the last average")
    func beyondStock() throws {
        let position = try post(BookPosition(), .goodsIn(quantityMilli: 2_000, unitCostFen: Decimal(string: "1250.5")!)).after  // 2 at 12.505
        #expect(position.valueFen == 2_501)
        let refused = position.post(.goodsOut(quantityMilli: 2_500), allowingNegativeStock: false)
        #expect(refused == .failure(.beyondStock(onHandMilli: 2_000, askedMilli: 2_500)))
        #expect("\(BookPosition.Refusal.beyondStock(onHandMilli: 2_000, askedMilli: 2_500))" == "2.5 asked out but 2 on hand (this dealer does not allow negative stock)")
        let negative = try post(position, .goodsOut(quantityMilli: 2_500), negative: true)
        #expect(negative.valueFen == -(2_501 + 625) && negative.after.onHandMilli == -500, "0.5 beyond at 12.505 = 6.2525 → 6.25")
        #expect(position.post(.goodsOut(quantityMilli: 0), allowingNegativeStock: true) == .failure(.quantityNotPositive(0)))
    }

    @Test("a count books the difference at the average; a customer's return comes back at the average (or its price when none was held)")
    func countsAndReturns() throws {
        let position = try post(BookPosition(), .goodsIn(quantityMilli: 10_000, unitCostFen: 999)).after
        let surplus = try post(position, .count(countedMilli: 12_000))
        #expect(surplus.quantityMilli == 2_000 && surplus.valueFen == 1_998)
        let shortage = try post(position, .count(countedMilli: 7_000))
        #expect(shortage.quantityMilli == -3_000 && shortage.valueFen == -2_997)
        #expect(try post(position, .count(countedMilli: 10_000)).valueFen == 0)
        // Books just started: the count's stated cost values the opening stock; once there is an average it is ignored.
        #expect(try post(BookPosition(), .count(countedMilli: 20_000, openingUnitCostFen: 15_000)).after == BookPosition(onHandMilli: 20_000, valueFen: 300_000, averageCostFen: 15_000))
        #expect(try post(position, .count(countedMilli: 11_000, openingUnitCostFen: 15_000)).valueFen == 999)
        #expect(try post(position, .customerReturn(quantityMilli: 1_000, fallbackUnitCostFen: 5_000)).valueFen == 999)
        #expect(try post(BookPosition(), .customerReturn(quantityMilli: 1_000, fallbackUnitCostFen: 5_000)).valueFen == 5_000)
    }

    @Test("a document books all its lines or none; a payment moves no stock")
    func documents() throws {
        let start = ["M1": BookPosition(onHandMilli: 5_000, valueFen: 5_000, averageCostFen: 1_000)]
        let sale = try BookPosting.post(kind: .sale, lines: [.init(materialId: "M1", quantityMilli: 2_000, unitPriceFen: 1_550),
                                                              .init(materialId: "M1", quantityMilli: 3_000, unitPriceFen: 1_550)],
                                        positions: start, allowingNegativeStock: false).get()
        #expect(sale.map(\.revenueFen) == [3_100, 4_650] && sale.map(\.costFen) == [-2_000, -3_000] && sale.last?.after.onHandMilli == 0)
        let refused = BookPosting.post(kind: .sale, lines: [.init(materialId: "M1", quantityMilli: 4_000, unitPriceFen: 1_550),
                                                             .init(materialId: "M1", quantityMilli: 2_000, unitPriceFen: 1_550)],
                                       positions: start, allowingNegativeStock: false)
        #expect(refused.map { _ in 0 } == .failure(BookPosting.Refused(lineIndex: 1, materialId: "M1", refusal: .beyondStock(onHandMilli: 1_000, askedMilli: 2_000))))
        let refund = try BookPosting.post(kind: .customerReturn, lines: [.init(materialId: "M1", quantityMilli: 1_000, unitPriceFen: 1_550)],
                                          positions: start, allowingNegativeStock: false).get()
        #expect(refund.map(\.revenueFen) == [-1_550] && refund.map(\.costFen) == [1_000])
        let payment = try BookPosting.post(kind: .payment, lines: [], paymentFen: 12_345, positions: [:], allowingNegativeStock: false).get()
        #expect(payment.map(\.paidFen) == [12_345] && payment.map(\.quantityMilli) == [0])
    }

    @Test("receivables age first in, first out: the open balance is the newest sales")
    func ageing() {
        let recent = ReceivableAgeing.RecentSales(days0to30Fen: 10_000, days31to60Fen: 5_000, days61to90Fen: 2_000)
        #expect(ReceivableAgeing(balanceFen: 12_000, recentSales: recent) ==
                ReceivableAgeing(balanceFen: 12_000, recentSales: .init(days0to30Fen: 10_000, days31to60Fen: 2_000, days61to90Fen: 0)))
        let old = ReceivableAgeing(balanceFen: 20_000, recentSales: recent)
        #expect([old.days0to30Fen, old.days31to60Fen, old.days61to90Fen, old.over90Fen] == [10_000, 5_000, 2_000, 3_000])
        let ahead = ReceivableAgeing(balanceFen: -500, recentSales: recent)
        #expect([ahead.days0to30Fen, ahead.over90Fen, ahead.balanceFen] == [0, 0, -500], "paid ahead: nothing overdue")
    }

    @Test("a delivery note fits what was ordered and not yet delivered, summing lines of one material")
    func fulfilment() throws {
        let order = Tier2Fulfilment(ordered: [("M1", 10), ("M2", 4), ("M1", 2)], delivered: [("M1", 5)])
        #expect(order.outstanding == ["M1": 7, "M2": 4])
        let part = try order.delivering([("M1", 3), ("M1", 4)]).get()
        #expect(part.outstanding == ["M1": 0, "M2": 4] && !part.isComplete)
        #expect(try part.delivering([("M2", 4)]).get().isComplete)
        guard case .failure(let misfits) = order.delivering([("M3", 1), ("M2", 5)]) else { Issue.record("an over-delivery fitted"); return }
        #expect(misfits.all == [.notOrdered(lineIndex: 0, materialId: "M3"), .beyondOutstanding(materialId: "M2", outstanding: 4, delivering: 5)])
        #expect("\(misfits)" == "lines[0].materialId: M3 is not on the order; M2: 5 delivered but only 4 ordered and not yet delivered")
    }

    @Test("a month of the books runs midnight to midnight in China time; quantities keep three decimals")
    func monthsAndQuantities() {
        let november = BookMonth("2026-11")
        #expect(november?.from.text == "2026-10-31T16:00:00Z" && november?.to.text == "2026-11-30T16:00:00Z")
        #expect(BookMonth("2026-12")?.to.text == "2026-12-31T16:00:00Z")
        #expect(BookMonth("2026-13") == nil && BookMonth("26-11") == nil && BookMonth("2026-1") == nil)
        #expect(BookQuantity.milli(Decimal(string: "1.234")!) == 1_234 && BookQuantity.milli(Decimal(string: "1.2345")!) == nil)
        #expect(BookQuantity.text(12_500) == "12.5" && BookQuantity.text(-3_000) == "-3" && BookQuantity.text(0) == "0")
        // Days: midnight in China is 16:00 UTC; a period cut mid-day keeps its ends for the lines.
        let (from, to) = (Timestamp(parsing: "2026-10-31T16:00:00Z")!.milliseconds, Timestamp(parsing: "2026-11-30T16:00:00Z")!.milliseconds)
        let month = BookDay.split(fromMilliseconds: from, toMilliseconds: to)
        #expect(month.before.isEmpty && month.after.isEmpty && month.days.count == 30 && BookDay.start(of: month.days.lowerBound) == from)
        let odd = BookDay.split(fromMilliseconds: from + 1, toMilliseconds: to - 1)
        #expect(odd.before == (from + 1)..<(from + 86_400_000) && odd.days.count == 28 && odd.after == (to - 86_400_000)..<(to - 1))
        let short = BookDay.split(fromMilliseconds: from + 1_000, toMilliseconds: from + 2_000)
        #expect(short.days.isEmpty && short.before == (from + 1_000)..<(from + 2_000) && short.after.isEmpty)
    }
}
