public import HubContracts

/// Branch staff's risk reviews of dealers as the core writes them: every review, and beside it the
/// newest one per dealer (`dealer_standing`) — what the order decision reads.
public struct RiskReviewTable {
    let db: any SQLDatabase

    /// Where a dealer stands: its newest review's outcome and reason; nil when never reviewed.
    public func standing(of dealerId: String) throws(StoreError) -> DealerRiskReviewed? {
        try db.first("""
            SELECT review_id, dealer_id, outcome, reason, '', reviewed_by, reviewed_at FROM dealer_standing WHERE dealer_id = ?
            """, .text(dealerId)).flatMap(DealerRiskReviewed.init(row:))
    }

    /// Keeps `review` (once: a review already held changes nothing) and makes it the dealer's
    /// standing unless a newer review stands. Whether it is now the standing one.
    public func record(_ review: DealerRiskReviewed) throws(StoreError) -> Bool {
        guard try db.first("SELECT 1 FROM risk_reviews WHERE review_id = ?", .text(review.reviewId)) == nil else { return false }
        let at = review.reviewedAt.milliseconds
        try db.execute("""
            INSERT INTO risk_reviews (review_id, dealer_id, outcome, reason, flags, reviewed_by, reviewed_at, reviewed_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, .text(review.reviewId), .text(review.dealerId), .text(review.outcome.rawValue), .text(review.reason),
            .text(review.flags.joined(separator: ",")), .text(review.reviewedBy), .text(review.reviewedAt.text), .integer(at))
        if let held = try db.first("SELECT reviewed_at_ms FROM dealer_standing WHERE dealer_id = ?", .text(review.dealerId)), held.int64(0) > at { return false }
        try db.execute("""
            INSERT INTO dealer_standing (dealer_id, outcome, reason, review_id, reviewed_by, reviewed_at, reviewed_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (dealer_id) DO UPDATE SET outcome = excluded.outcome, reason = excluded.reason, review_id = excluded.review_id,
                reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at, reviewed_at_ms = excluded.reviewed_at_ms
            """, .text(review.dealerId), .text(review.outcome.rawValue), .text(review.reason), .text(review.reviewId), .text(review.reviewedBy),
            .text(review.reviewedAt.text), .integer(at))
        return true
    }
}

extension DealerRiskReviewed {
    /// A review as kept: `review_id, dealer_id, outcome, reason, flags, reviewed_by, reviewed_at` (a standing row has no flags: '').
    init?(row: SQLRow) {
        guard let id = row.string(0), let dealer = row.string(1), let outcome = row.string(2), let at = row.string(6).flatMap(Timestamp.init(parsing:)) else { return nil }
        self.init(reviewId: id, dealerId: dealer, outcome: RiskOutcome(rawValue: outcome), reason: row.string(3) ?? "",
                  flags: (row.string(4) ?? "").split(separator: ",").map(String.init), reviewedBy: row.string(5) ?? "", reviewedAt: at)
    }
}
