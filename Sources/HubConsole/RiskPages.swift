import Foundation
import HubAPI
import HubContracts
import HubDomain
import HubStore
import Hummingbird

/// Risky customers on screen (issue 30): `/risk`, the dealers in the visitor's scope the data flags
/// or a review decided about, flagged first, each flag with its evidence; `/risk/{dealerId}`, one
/// dealer's evidence and reviews, and — for branch staff — the review form (`POST
/// /v1/risk/dealers/{id}/reviews`). The same answers as the API's (``RiskAnswers``).
extension Console {
    static let riskTabs = ["attention", "held", "all"]

    func riskList(_ request: Request, _ visitor: ConsoleVisitor) async throws -> Page {
        guard visitor.isStaff else { throw APIProblem.forbidden("the risk review is the company's staff's") }
        let tab = request.uri.queryParameters["status"].map(String.init).flatMap { Self.riskTabs.contains($0) ? $0 : nil } ?? "attention"
        let now = Timestamp(Date())
        let today = try RiskAnswers.today(now)
        let visibility = visitor.principal.dealerVisibility
        let rows = try await services.database.read { reader throws(StoreError) in try RiskAnswers.dealers(visibleTo: visibility, now: now, today: today, in: reader) }
        let language = visitor.language
        let shown = RiskAnswers.listed(rows, tab)
        return Page(template: "risk", title: ConsoleText.text("riskyCustomers", language), context: [
            "tabs": Self.riskTabs.map { ["href": "/risk?status=\($0)", "label": ConsoleText.text("riskTab.\($0)", language), "current": $0 == tab] },
            "rows": shown.map { Self.riskRow($0, language) }, "empty": shown.isEmpty,
            "flagged": rows.filter { $0.status == "flagged" }.count, "held": rows.filter(\.refusesOrders).count,
        ])
    }

    func riskDealer(_ dealerId: String, _ visitor: ConsoleVisitor) async throws -> Page {
        guard visitor.isStaff else { throw APIProblem.forbidden("the risk review is the company's staff's") }
        guard RequestFields.isIdentifier(dealerId) else { throw APIProblem.notFound("dealer") }
        let now = Timestamp(Date())
        let today = try RiskAnswers.today(now)
        let visibility = visitor.principal.dealerVisibility
        let found = try await services.database.read { reader throws(StoreError) -> (RiskAnswers.Detail, String)? in
            guard try reader.dealers.isVisible(dealerId, to: visibility), let dealer = try reader.risk.dealers([dealerId])[dealerId] else { return nil }
            return (try RiskAnswers.detail(dealerId, now: now, today: today, in: reader), dealer.name)
        }
        guard let (detail, name) = found else { throw APIProblem.notFound("dealer \(dealerId)") }
        let language = visitor.language
        // What may follow where the dealer stands: a hold or block only its release (or a harder line).
        let outcomes = RiskOutcome.known.filter { CustomerRisk.refusal(of: $0, after: detail.standing.map { RiskOutcome(rawValue: $0.outcome) }) == nil }
        return Page(template: "risk-dealer", title: "\(ConsoleText.text("riskReview", language)) · \(name)", context: [
            "dealerId": dealerId, "name": name, "status": ConsoleText.text("riskStatus.\(detail.status)", language), "statusCode": detail.status,
            "flags": detail.flags.map { ["text": $0.text, "code": $0.code] }, "noFlags": detail.flags.isEmpty,
            "standing": detail.standing.map { Self.standingText($0, language) } ?? "", "holding": detail.refusesOrders,
            "evidence": [
                ["label": ConsoleText.text("riskEvidence.crossRegion", language), "value": "\(detail.crossRegionFlags)"],
                ["label": ConsoleText.text("riskEvidence.counterfeit", language), "value": "\(detail.counterfeitFlags)"],
                ["label": ConsoleText.text("riskEvidence.orders", language),
                 "value": "\(detail.ordersSubmitted) / \(detail.ordersCancelled) / \(detail.ordersRejected)"],
                ["label": ConsoleText.text("riskEvidence.invoices", language),
                 "value": detail.overdueInvoices.isEmpty ? "0" : detail.overdueInvoices.map { "\($0.invoiceId) ¥\($0.open) (\($0.dueOn))" }.joined(separator: "；")],
            ],
            "reviews": detail.reviews.map { Self.standingText($0, language) }, "hasReviews": !detail.reviews.isEmpty,
            "mayReview": RiskRoutes.reviewers.contains(visitor.principal.role),
            "outcomes": outcomes.map { ["value": $0.rawValue, "label": ConsoleText.text("riskOutcome.\($0.rawValue)", language)] },
        ])
    }

    static func riskRow(_ row: RiskAnswers.Row, _ language: ConsoleLanguage) -> [String: Any] {
        ["dealerId": row.dealerId, "name": row.name, "branch": row.branchId, "province": row.province, "statusCode": row.status,
         "status": ConsoleText.text("riskStatus.\(row.status)", language), "flags": row.flags.map(\.text).joined(separator: "；"),
         "standing": row.standing.map { standingText($0, language) } ?? "—", "held": row.refusesOrders]
    }

    static func standingText(_ standing: RiskAnswers.Standing, _ language: ConsoleLanguage) -> String {
        "\(ConsoleText.text("riskOutcome.\(standing.outcome)", language))：\(standing.reason)（\(standing.reviewerName ?? standing.reviewedBy) · \(ConsoleFormat.time(standing.reviewedAt, language))）"
    }
}
