public import HubContracts
public import HubDomain
public import Foundation

/// What the risk review reads (issue 30): per dealer the evidence ``CustomerRisk`` raises flags
/// from — the anti-counterfeit system's flags, its orders cancelled and rejected, its overdue
/// invoices — where each dealer stands after its reviews, and a dealer's reviews.
public struct RiskReadModel {
    let db: any SQLDatabase

    /// A dealer as the risk list shows it.
    public struct Dealer: Sendable {
        public var dealerId: String
        public var name: String
        public var branchId: String
        public var province: String
        public var salesRepId: String?
    }

    /// The evidence of every dealer `visibility` holds that has any, counted at `now` (China date `today`).
    public func evidence(visibleTo visibility: DealerVisibility, now: Timestamp, today: CalendarDate) throws(StoreError) -> [String: CustomerRisk.Evidence] {
        var evidence: [String: CustomerRisk.Evidence] = [:]
        let flagsSince = Timestamp(now.date.addingTimeInterval(-Double(CustomerRisk.flagWindowDays) * 86_400))
        let ordersSince = Timestamp(now.date.addingTimeInterval(-Double(CustomerRisk.orderWindowDays) * 86_400))
        let (flagScope, flagBinds) = visibility.condition(on: "f.dealer_id")
        for row in try db.query("""
            SELECT f.dealer_id, f.reason, COUNT(*), MAX(s.scanned_at) FROM authenticity_flags f JOIN authenticity_scans s ON s.scan_id = f.scan_id
            WHERE f.dealer_id IS NOT NULL AND s.scanned_at >= ? AND \(flagScope) GROUP BY f.dealer_id, f.reason
            """, [.text(flagsSince.text)] + flagBinds) {
            guard let dealer = row.string(0) else { continue }
            var entry = evidence[dealer] ?? CustomerRisk.Evidence()
            if row.string(1) == FlagReason.crossRegion.rawValue { entry.crossRegionFlags += row.int(2) }
            if row.string(1) == FlagReason.counterfeit.rawValue { entry.counterfeitFlags += row.int(2) }
            entry.lastFlagAt = Self.later(entry.lastFlagAt, row.string(3).flatMap(Timestamp.init(parsing:)))
            evidence[dealer] = entry
        }
        // A rejection for a hold or a block is the review's doing, not the dealer's.
        let (orderScope, orderBinds) = visibility.condition(on: "o.dealer_id")
        for row in try db.query("""
            SELECT o.dealer_id, COUNT(*),
                   COUNT(CASE WHEN o.status = 'cancelled' THEN 1 END),
                   COUNT(CASE WHEN o.status = 'rejected' AND o.rejections NOT LIKE '%dealer-held%' AND o.rejections NOT LIKE '%dealer-blocked%' THEN 1 END),
                   MAX(CASE WHEN o.status IN ('cancelled', 'rejected') THEN o.updated_at END)
            FROM orders o WHERE o.submitted_at >= ? AND \(orderScope) GROUP BY o.dealer_id
            HAVING COUNT(CASE WHEN o.status IN ('cancelled', 'rejected') THEN 1 END) >= ?
            """, [.text(ordersSince.text)] + orderBinds + [.integer(Int64(CustomerRisk.minimumRefusals))]) {
            guard let dealer = row.string(0) else { continue }
            var entry = evidence[dealer] ?? CustomerRisk.Evidence()
            (entry.ordersSubmitted, entry.ordersCancelled, entry.ordersRejected) = (row.int(1), row.int(2), row.int(3))
            entry.lastRefusalAt = row.string(4).flatMap(Timestamp.init(parsing:))
            evidence[dealer] = entry
        }
        let (invoiceScope, invoiceBinds) = visibility.condition(on: "i.dealer_id")
        for row in try db.query("""
            SELECT i.dealer_id, i.invoice_id, i.open_amount, i.due_on FROM invoices i
            WHERE i.kind = ? AND i.due_on IS NOT NULL AND i.due_on < ? AND \(invoiceScope) ORDER BY i.due_on
            """, [.text(InvoiceKind.invoice.rawValue), .text(today.text)] + invoiceBinds) {
            guard let dealer = row.string(0), let id = row.string(1), let open = row.string(2).flatMap({ Decimal(string: $0) }), open > 0,
                  let due = row.string(3).flatMap(CalendarDate.init) else { continue }
            evidence[dealer, default: CustomerRisk.Evidence()].overdueInvoices.append((id, open, due))
        }
        return evidence
    }

    /// Where each dealer `visibility` holds that was ever reviewed stands: its newest review.
    public func standings(visibleTo visibility: DealerVisibility) throws(StoreError) -> [String: DealerRiskReviewed] {
        let (scope, binds) = visibility.condition(on: "s.dealer_id")
        var standings: [String: DealerRiskReviewed] = [:]
        for row in try db.query("""
            SELECT s.review_id, s.dealer_id, s.outcome, s.reason, r.flags, s.reviewed_by, s.reviewed_at FROM dealer_standing s
            LEFT JOIN risk_reviews r ON r.review_id = s.review_id WHERE \(scope)
            """, binds) {
            if let review = DealerRiskReviewed(row: row) { standings[review.dealerId] = review }
        }
        return standings
    }

    /// A dealer's reviews, newest first.
    public func reviews(of dealerId: String, limit: Int = 50) throws(StoreError) -> [DealerRiskReviewed] {
        try db.query("""
            SELECT review_id, dealer_id, outcome, reason, flags, reviewed_by, reviewed_at FROM risk_reviews WHERE dealer_id = ?
            ORDER BY reviewed_at_ms DESC, review_id DESC LIMIT ?
            """, .text(dealerId), .integer(Int64(limit))).compactMap(DealerRiskReviewed.init(row:))
    }

    /// The dealers named, as the list shows them.
    public func dealers(_ ids: [String]) throws(StoreError) -> [String: Dealer] {
        var dealers: [String: Dealer] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let part = Array(ids[start..<min(ids.count, start + 500)])
            for row in try db.query("SELECT dealer_id, name, branch_id, province, sales_rep_id FROM dealers WHERE dealer_id IN (\(SQLText.placeholders(part.count)))",
                                    part.map(SQLValue.text)) {
                let id = row.string(0) ?? ""
                dealers[id] = Dealer(dealerId: id, name: row.string(1) ?? id, branchId: row.string(2) ?? "", province: row.string(3) ?? "", salesRepId: row.string(4))
            }
        }
        return dealers
    }

    static func later(_ a: Timestamp?, _ b: Timestamp?) -> Timestamp? {
        guard let a else { return b }
        guard let b else { return a }
        return b.milliseconds > a.milliseconds ? b : a
    }
}
