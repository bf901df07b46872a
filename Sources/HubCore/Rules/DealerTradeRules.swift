import HubContracts
import HubStore
import Foundation

/// Trade between dealers (R1): tier-2 dealers' orders to their tier-1 parent, the tier-1 dealer's
/// delivery notes (goods out), and goods in when a tier-1 dealer receives an order from the
/// company — its ledger and its own stock.
enum DealerTradeRules {
    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let db = context.db
        let now = context.now.text
        switch context.event.data {
        case let order as Tier2OrderSubmitted:
            guard let dealer = try db.first("SELECT tier, parent_dealer_id FROM dealers WHERE dealer_id = ?", .text(order.dealerId)) else {
                return .unknownReference("dealer \(order.dealerId)")
            }
            guard dealer.string(0) == DealerTier.tier2.rawValue else {
                return .refused("dealer \(order.dealerId) is not a tier-2 dealer: only tier-2 dealers order from a tier-1 dealer")
            }
            guard dealer.string(1) == order.supplierDealerId else {
                return .refused("tier-2 dealer \(order.dealerId) ordered from \(order.supplierDealerId), which is not its parent (\(dealer.string(1) ?? "none"))")
            }
            try db.execute("""
                INSERT INTO tier2_orders (order_id, dealer_id, supplier_dealer_id, status, lines, submitted_by, submitted_at, updated_at)
                VALUES (?, ?, ?, 'submitted', ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """, .text(order.orderId), .text(order.dealerId), .text(order.supplierDealerId), .text(JSONText.encode(order.lines)),
                .text(order.submittedBy), .text(now), .text(now))
            return .applied
        case let cancelled as OrderCancelled where context.event.type == "tier2-order.cancelled":
            guard let row = try db.first("SELECT status FROM tier2_orders WHERE order_id = ?", .text(cancelled.orderId)) else {
                return .unknownReference("tier-2 order \(cancelled.orderId)")
            }
            guard row.string(0) == "submitted" else { return .applied }  // delivered or already cancelled: stays
            try db.execute("UPDATE tier2_orders SET status = 'cancelled', updated_at = ? WHERE order_id = ?", .text(now), .text(cancelled.orderId))
            return .applied
        case let note as DeliveryNoteIssued:
            guard try db.first("SELECT 1 FROM dealers WHERE dealer_id = ?", .text(note.supplierDealerId)) != nil else {
                return .unknownReference("dealer \(note.supplierDealerId)")
            }
            if try db.first("SELECT 1 FROM dealer_ledger WHERE entry_id = ?", .text("\(note.deliveryNoteId):1")) != nil {
                // The same note again (a retried request under a new event id): the first one stands, whatever its lines.
                return .applied
            }
            for (index, line) in note.lines.enumerated() {
                try post(entryId: "\(note.deliveryNoteId):\(index + 1)", dealerId: note.supplierDealerId, materialId: line.materialId, direction: "out",
                         quantity: line.quantity.value, unitPrice: line.unitPrice.text, unitCost: line.unitCost?.text,
                         reference: note.deliveryNoteId, at: note.issuedAt.text, in: db)
            }
            if let orderId = note.orderId {
                try db.execute("UPDATE tier2_orders SET status = 'delivered', updated_at = ? WHERE order_id = ? AND supplier_dealer_id = ? AND status = 'submitted'",
                               .text(now), .text(orderId), .text(note.supplierDealerId))
            }
            return .applied
        default:
            return .notHandled
        }
    }

    /// Goods in for the dealer of a received order: one ledger entry per line (the confirmed
    /// quantity where the ERP confirmed one), at the order's unit price as the dealer's cost.
    static func goodsIn(orderId: String, receipt: OrderReceipt, in db: any SQLDatabase) throws(StoreError) {
        guard let order = try db.first("SELECT dealer_id FROM orders WHERE order_id = ?", .text(orderId)), let dealerId = order.string(0) else { return }
        for line in try db.query("SELECT line_no, material_id, quantity, confirmed_quantity, unit_price FROM order_lines WHERE order_id = ? ORDER BY line_no", .text(orderId)) {
            let quantity = Decimal(stored: line.string(3) ?? line.string(2))
            guard quantity > 0 else { continue }
            try post(entryId: "\(orderId):in:\(line.int(0))", dealerId: dealerId, materialId: line.string(1) ?? "", direction: "in", quantity: quantity,
                     unitPrice: nil, unitCost: line.string(4), reference: orderId, at: receipt.receivedAt.text, in: db)
        }
    }

    /// One ledger entry and its effect on the dealer's own stock (in adds, out takes away).
    private static func post(entryId: String, dealerId: String, materialId: String, direction: String, quantity: Decimal, unitPrice: String?,
                             unitCost: String?, reference: String, at: String, in db: any SQLDatabase) throws(StoreError) {
        let inserted = try db.execute("""
            INSERT INTO dealer_ledger (entry_id, dealer_id, material_id, direction, quantity, unit_price, unit_cost, reference, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, .text(entryId), .text(dealerId), .text(materialId), .text(direction), .text(quantity.stored), SQLValue(unitPrice), SQLValue(unitCost),
            .text(reference), .text(at))
        guard inserted > 0 else { return }
        let current = try db.first("SELECT on_hand FROM dealer_stock WHERE dealer_id = ? AND material_id = ?", .text(dealerId), .text(materialId))
        let onHand = Decimal(stored: current?.string(0)) + (direction == "in" ? quantity : -quantity)
        try db.execute("""
            INSERT INTO dealer_stock (dealer_id, material_id, on_hand, as_of) VALUES (?, ?, ?, ?)
            ON CONFLICT (dealer_id, material_id) DO UPDATE SET on_hand = excluded.on_hand
            """, .text(dealerId), .text(materialId), .text(onHand.stored), .text(at))
    }
}
