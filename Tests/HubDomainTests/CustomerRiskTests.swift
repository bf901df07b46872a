import Foundation
import HubContracts
import HubDomain
import Testing

/// Risky customers: the flags the evidence raises (and what is not enough), the review workflow's
/// states, and which outcome may follow which.
@Suite("customer risk: flags with evidence, the review workflow")
struct CustomerRiskTests {
    static let today = CalendarDate("2026-12-05")!
    static func at(_ text: String) -> Timestamp { Timestamp(parsing: text)! }

    @Test("each kind of evidence raises its flag, with the evidence in Chinese; below the thresholds nothing")
    func flags() {
        var evidence = CustomerRisk.Evidence()
        #expect(CustomerRisk.flags(evidence, today: Self.today).isEmpty, "nothing counted: nothing raised")
        evidence.crossRegionFlags = 2
        evidence.counterfeitFlags = 1
        (evidence.ordersSubmitted, evidence.ordersCancelled, evidence.ordersRejected) = (10, 2, 1)
        evidence.overdueInvoices = [("INV-1", Decimal(string: "1200.50")!, CalendarDate("2026-10-21")!), ("INV-2", 800, CalendarDate("2026-11-30")!)]
        let flags = CustomerRisk.flags(evidence, today: Self.today)
        #expect(flags == [.crossRegion(flags: 2), .counterfeit(flags: 1), .cancellations(cancelled: 2, rejected: 1, of: 10),
                          .overdueInvoices(count: 1, open: Decimal(string: "1200.50")!, daysOverdue: 45)], "INV-2 is 5 days late: within the grace")
        #expect(flags.map(\.code) == CustomerRisk.Flag.codes)
        #expect(flags[2].text == "近 90 天 10 单中取消 2 单、被拒 1 单")
        #expect(flags[3].text == "1 张发票逾期未付，共 ¥1200.50，最久逾期 45 天")
        (evidence.ordersSubmitted, evidence.ordersCancelled, evidence.ordersRejected) = (13, 2, 1)
        #expect(!CustomerRisk.flags(evidence, today: Self.today).contains { $0.code == "cancellations" }, "3 of 13: under a quarter")
        (evidence.ordersSubmitted, evidence.ordersCancelled, evidence.ordersRejected) = (2, 1, 1)
        #expect(!CustomerRisk.flags(evidence, today: Self.today).contains { $0.code == "cancellations" }, "two refusals: too few")
    }

    @Test("flagged until reviewed; new evidence after a review flags it again — unless a hold or block stands")
    func workflow() {
        let flags: [CustomerRisk.Flag] = [.crossRegion(flags: 1)]
        #expect(CustomerRisk.status(flags: [], newestEvidence: nil, review: nil) == .clear)
        #expect(CustomerRisk.status(flags: flags, newestEvidence: Self.at("2026-12-01T00:00:00Z"), review: nil) == .flagged(flags))
        let warned = (RiskOutcome.warning, Self.at("2026-12-02T00:00:00Z"))
        #expect(CustomerRisk.status(flags: flags, newestEvidence: Self.at("2026-12-01T00:00:00Z"), review: warned) == .reviewed(.warning, flags: flags))
        #expect(CustomerRisk.status(flags: flags, newestEvidence: Self.at("2026-12-03T00:00:00Z"), review: warned) == .flagged(flags), "new evidence")
        let held = (RiskOutcome.creditHold, Self.at("2026-12-02T00:00:00Z"))
        #expect(CustomerRisk.status(flags: flags, newestEvidence: Self.at("2026-12-03T00:00:00Z"), review: held) == .reviewed(.creditHold, flags: flags))
        #expect(CustomerRisk.status(flags: [], newestEvidence: nil, review: (.released, Self.at("2026-12-04T00:00:00Z"))) == .reviewed(.released, flags: []))
        #expect(CustomerRisk.status(flags: [], newestEvidence: nil, review: held).code == "reviewed")
    }

    @Test("a hold or block is lifted only by released, and only a hold or block can be released")
    func transitions() {
        #expect(CustomerRisk.refusal(of: .creditHold, after: nil) == nil)
        #expect(CustomerRisk.refusal(of: .blocked, after: .creditHold) == nil, "a hold may harden into a block")
        #expect(CustomerRisk.refusal(of: .released, after: .blocked) == nil)
        #expect(CustomerRisk.refusal(of: .released, after: .warning)?.contains("neither") == true)
        #expect(CustomerRisk.refusal(of: .released, after: nil) != nil)
        #expect(CustomerRisk.refusal(of: .warning, after: .creditHold)?.contains("release it") == true)
        #expect(CustomerRisk.refusal(of: .noAction, after: .released) == nil)
        #expect(CustomerRisk.refusal(of: RiskOutcome(rawValue: "fine"), after: nil)?.hasPrefix("outcome: one of") == true)
    }
}
