import HubContracts
import HubStore

/// Branch staff's risk reviews (issue 30): each kept once, the newest becoming the dealer's standing
/// — a credit hold or block refuses its new orders from the next decision on (``OrderDecision``) —
/// and audited (`dealer-risk:<dealer>`, before and after) in the same transaction, which the API
/// waits for before it answers.
enum RiskRules {
    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        guard case .dealerRiskReviewed(let review) = context.event.data else { return .notHandled }
        guard try context.tables.masterData.dealer(review.dealerId) != nil else { return .unknownReference("dealer \(review.dealerId)") }
        let reviews = context.tables.riskReviews
        let before = try reviews.standing(of: review.dealerId)
        guard try reviews.record(review) else { return .applied }
        let fields = { (outcome: RiskOutcome, reason: String, reviewId: String) in ["outcome": outcome.rawValue, "reason": reason, "reviewId": reviewId] }
        var after = fields(review.outcome, review.reason, review.reviewId)
        after["flags"] = review.flags.joined(separator: ",")
        try context.tables.audit.record(ChangeActor(id: review.reviewedBy, source: context.event.source, traceParent: context.trace),
                                        action: "dealer-risk.\(review.outcome.rawValue)", kind: "dealer-risk", id: review.dealerId,
                                        before: before.map { fields($0.outcome, $0.reason, $0.reviewId) }, after: after, at: context.now, topic: context.topics.audit)
        return .applied
    }
}
