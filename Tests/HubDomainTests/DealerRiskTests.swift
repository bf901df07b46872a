import Foundation
import HubContracts
import HubDomain
import Testing

/// "No dealer left behind": gone quiet and falling orders, and what is not a risk.
@Suite("dealer risk: gone quiet, falling orders")
struct DealerRiskTests {
    static let now = FigureMonth(year: 2026, month: 12)!

    /// Orders by months back from `now` (0: this month).
    func orders(_ byMonthsBack: [Int: Int]) -> [FigureMonth: Int] {
        Dictionary(uniqueKeysWithValues: byMonthsBack.map { (Self.now.adding(months: -$0.key), $0.value) })
    }

    @Test("no order this month nor the two before, after three or more in the three months before: gone quiet, naming the last month")
    func goneQuiet() {
        let risk = DealerRisk.assess(orders: orders([3: 1, 4: 1, 5: 1, 9: 4]), now: Self.now)
        #expect(risk == DealerRisk(reason: .goneQuiet(lastOrderMonth: FigureMonth(year: 2026, month: 9), ordersBefore: 3)))
        #expect(risk?.text.hasPrefix("自 2026-09 起已连续 3 个月未下单（此前 3 个月共 3 单）") == true, "\(risk?.text ?? "")")
        #expect(risk?.code == "gone-quiet")
    }

    @Test("an order this month, or fewer than three before, or no history at all: not gone quiet")
    func notQuiet() {
        #expect(DealerRisk.assess(orders: orders([0: 1, 3: 2, 4: 2]), now: Self.now) == nil)
        #expect(DealerRisk.assess(orders: orders([3: 1, 4: 1]), now: Self.now) == nil, "two orders: too few to call it a stop")
        #expect(DealerRisk.assess(orders: [:], now: Self.now) == nil, "a prospect is not at risk")
    }

    @Test("the last three whole months at half or less of the three before (six or more): falling; the month in progress does not count")
    func falling() {
        #expect(DealerRisk.assess(orders: orders([0: 9, 1: 1, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2]), now: Self.now)
                == DealerRisk(reason: .falling(before: 6, recent: 3)))
        #expect(DealerRisk.assess(orders: orders([1: 2, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2]), now: Self.now) == nil, "4 of 6 is not half")
        #expect(DealerRisk.assess(orders: orders([1: 1, 4: 2, 5: 2]), now: Self.now) == nil, "fewer than six before")
        #expect(DealerRisk(reason: .falling(before: 6, recent: 3)).text.hasPrefix("近 3 个月订单 3 单，较前 3 个月 6 单下降 50%"))
    }

    @Test("a score 15 points or more below the three months before: score dropping, with both scores; 14.99 points or one score missing: not")
    func scoreDropping() {
        let steady = orders([1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2])
        let risk = DealerRisk.assess(orders: steady, scores: (recent: 61, before: 76), now: Self.now)
        #expect(risk == DealerRisk(reason: .scoreDropping(before: 76, recent: 61)) && risk?.code == "score-dropping")
        #expect(risk?.text.hasPrefix("近 3 个月评分 61，较前 3 个月 76 下降 15 分") == true, "\(risk?.text ?? "")")
        #expect(DealerRisk.assess(orders: steady, scores: (recent: Decimal(string: "61.01")!, before: 76), now: Self.now) == nil)
        #expect(DealerRisk.assess(orders: steady, scores: nil, now: Self.now) == nil)
        #expect(DealerRisk.assess(orders: orders([3: 1, 4: 1, 5: 1]), scores: (recent: 10, before: 90), now: Self.now)?.code == "gone-quiet",
                "gone quiet says more than its score")
    }
}
