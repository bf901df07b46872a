import Foundation
import HubContracts
import HubCore
import HubDomain
@_spi(SQL) import HubStore
@_spi(SQL) import StoreTestSupport
import Testing

/// The risk workflow through the core's rules on both databases: the data flags a dealer (its
/// cancellations, a cross-region code, an overdue invoice), branch staff hold it, its next order is
/// refused with the reviewer's reason, the release lets the one after through; every review audited
/// with before and after, a replayed review changing nothing.
@Suite("risky customers: flagged, reviewed, held, refused, released")
struct RiskRulesTests {
    static let now = Timestamp(parsing: "2026-12-05T02:00:00Z")!

    static func review(_ id: String, _ outcome: RiskOutcome, _ reason: String, at: String) -> CanonicalEvent {
        CompanyFixture.event("ev-\(id)", "D1:risk", .dealerRiskReviewed(DealerRiskReviewed(
            reviewId: id, dealerId: "D1", outcome: outcome, reason: reason, flags: ["cancellations"], reviewedBy: "U-BM-EAST", reviewedAt: Timestamp(parsing: at)!)),
            source: "api")
    }

    /// D1's flags and workflow status as the risk list reads them, and its newest review.
    static func risk(_ harness: RuleHarness, visibleTo visibility: DealerVisibility = .everyone) async throws
        -> (flags: [CustomerRisk.Flag], status: CustomerRisk.Status, evidence: CustomerRisk.Evidence?, standing: DealerRiskReviewed?) {
        let today = CalendarDate("2026-12-05")!
        let (evidence, standing) = try await harness.store.read { reader throws(StoreError) in
            (try reader.risk.evidence(visibleTo: visibility, now: Self.now, today: today)["D1"], try reader.risk.standings(visibleTo: visibility)["D1"])
        }
        let flags = evidence.map { CustomerRisk.flags($0, today: today) } ?? []
        return (flags, CustomerRisk.status(flags: flags, newestEvidence: evidence?.newest, review: standing.map { ($0.outcome, $0.reviewedAt) }), evidence, standing)
    }

    static func status(_ harness: RuleHarness, _ orderId: String) throws -> (String, String) {
        let row = try harness.rows("SELECT status, rejections FROM orders WHERE order_id = ?", .text(orderId)).first
        return (row?.string(0) ?? "", row?.string(1) ?? "")
    }

    @Test("flagged by its cancellations, held, an order refused with the reason, released, the next accepted; audited once each", arguments: StoreKind.allCases)
    func holdAndRelease(kind: StoreKind) async throws {
        let harness = try RuleHarness(try TestDatabase(kind), now: Self.now.date)
        for event in CompanyFixture.masterData { try await harness.apply(event) }
        // Three orders submitted and cancelled: a quarter or more of its orders refused — flagged.
        for number in 1...3 {
            try await harness.apply(CompanyFixture.submit("O-C\(number)", [("M1", "1", .spot)]))
            try await harness.apply(CompanyFixture.event("cancel-\(number)", "O-C\(number)", .orderCancel(OrderCancellation(orderId: "O-C\(number)", reason: "下错单", requestedBy: "U-D1"))))
        }
        let flagged = try await Self.risk(harness)
        #expect(flagged.status == .flagged([.cancellations(cancelled: 3, rejected: 0, of: 3)]), "\(flagged.status)")
        #expect(flagged.flags.first?.text == "近 90 天 3 单中取消 3 单、被拒 0 单")
        #expect(try await Self.risk(harness, visibleTo: .branch("BR-NORTH")).evidence == nil, "another branch's staff do not see it")

        #expect(try await harness.apply(Self.review("RR-1", .creditHold, "三次下单后取消，暂停赊销", at: "2026-12-05T03:00:00Z")) == .applied)
        try await harness.apply(CompanyFixture.submit("O-H1", [("M1", "2", .spot)]))
        let (held, reasons) = try Self.status(harness, "O-H1")
        #expect(held == "rejected" && reasons.contains("dealer-held") && reasons.contains("三次下单后取消，暂停赊销"), "\(held) \(reasons)")
        let reviewed = try await Self.risk(harness)
        #expect(reviewed.status.code == "reviewed" && reviewed.standing?.outcome == .creditHold && reviewed.evidence?.ordersRejected == 0,
                "the hold's own refusal is not counted against the dealer: \(reviewed.status)")

        #expect(try await harness.apply(Self.review("RR-2", .released, "已与经销商核实，恢复", at: "2026-12-05T04:00:00Z")) == .applied)
        // Replayed (a redelivery under another event id): held once, nothing changes.
        #expect(try await harness.apply(CompanyFixture.event("ev-RR-1-again", "D1:risk", .dealerRiskReviewed(DealerRiskReviewed(
            reviewId: "RR-1", dealerId: "D1", outcome: .creditHold, reason: "三次下单后取消，暂停赊销", flags: [], reviewedBy: "U-BM-EAST",
            reviewedAt: Timestamp(parsing: "2026-12-05T03:00:00Z")!)), source: "api")) == .applied)
        try await harness.apply(CompanyFixture.submit("O-H2", [("M1", "2", .spot)]))
        #expect(try Self.status(harness, "O-H2").0 == "accepted")
        #expect(try await Self.risk(harness).standing?.outcome == .released)
        let reviews = try await harness.store.read { reader throws(StoreError) in try reader.risk.reviews(of: "D1") }
        #expect(reviews.map(\.reviewId) == ["RR-2", "RR-1"] && reviews.last?.flags == ["cancellations"])

        let audit = try harness.rows("SELECT action, before_json, after_json FROM audit_log WHERE subject_kind = 'dealer-risk' ORDER BY seq")
        #expect(audit.map { $0.string(0) } == ["dealer-risk.credit-hold", "dealer-risk.released"], "\(audit.map { $0.string(0) })")
        #expect(audit.last?.string(1)?.contains("credit-hold") == true && audit.last?.string(2)?.contains("released") == true)
        // A review of a dealer the hub does not know is held back, not applied.
        let unknown = CompanyFixture.event("ev-RR-9", "D9:risk", .dealerRiskReviewed(DealerRiskReviewed(
            reviewId: "RR-9", dealerId: "D9", outcome: .blocked, reason: "x", flags: [], reviewedBy: "U-ADMIN", reviewedAt: Self.now)), source: "api")
        #expect(try await harness.apply(unknown) != .applied)
    }
}
