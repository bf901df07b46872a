public import HubContracts
import HubDomain
import Foundation

/// A tier-2 order's buyer, supplier, status and lines.
public struct Tier2OrderState: Sendable, Equatable {
    public var dealerId: String
    public var supplierDealerId: String
    public var status: Tier2OrderStatus
    public var lines: [Tier2OrderSubmitted.Line]
}

/// A delivery note against a tier-2 order, and whether its goods were received.
public struct Tier2Delivery: Codable, Sendable, Equatable {
    public var deliveryNoteId: String
    public var orderId: String
    public var supplierDealerId: String
    public var customerDealerId: String
    public var lines: [DeliveryNoteIssued.Line]
    public var issuedAt: Timestamp
    public var receivedAt: Timestamp?
}

/// Trade between dealers (R1): tier-2 dealers' orders to their tier-1 dealer, the delivery notes
/// against them, and each dealer's own stock (from its books and from its system's snapshots).
public struct DealerTradeTable {
    let db: any SQLDatabase

    /// Records a tier-2 order as submitted; one already recorded stays as it was.
    public func insertTier2Order(_ order: Tier2OrderSubmitted, at now: Timestamp) throws(StoreError) {
        try db.execute("""
            INSERT INTO tier2_orders (order_id, dealer_id, supplier_dealer_id, status, lines, submitted_by, request_digest, submitted_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, .text(order.orderId), .text(order.dealerId), .text(order.supplierDealerId), .text(Tier2OrderStatus.submitted.rawValue),
            .text(StoredJSON.encode(order.lines)), .text(order.submittedBy), SQLValue(order.requestDigest), .text(now.text), .text(now.text))
    }

    /// A tier-2 order's state; `nil` when it is not known.
    public func tier2Order(_ orderId: String) throws(StoreError) -> Tier2OrderState? {
        try db.first("SELECT dealer_id, supplier_dealer_id, status, lines FROM tier2_orders WHERE order_id = ?", .text(orderId)).map {
            Tier2OrderState(dealerId: $0.string(0) ?? "", supplierDealerId: $0.string(1) ?? "", status: Tier2OrderStatus(rawValue: $0.string(2) ?? ""),
                            lines: StoredJSON.decode([Tier2OrderSubmitted.Line].self, $0.string(3)) ?? [])
        }
    }

    /// Sets a tier-2 order's status (and, for a rejection, why).
    public func setTier2Status(_ orderId: String, to status: Tier2OrderStatus, reason: String? = nil, at now: Timestamp) throws(StoreError) {
        try db.execute("UPDATE tier2_orders SET status = ?, decision_reason = COALESCE(?, decision_reason), updated_at = ? WHERE order_id = ?",
                       .text(status.rawValue), SQLValue(reason), .text(now.text), .text(orderId))
    }

    /// Records a delivery note against a tier-2 order (once).
    public func insertDelivery(_ note: DeliveryNoteIssued, orderId: String) throws(StoreError) {
        try db.execute("""
            INSERT INTO tier2_deliveries (delivery_note_id, order_id, supplier_dealer_id, customer_dealer_id, lines, issued_at, received_at)
            VALUES (?, ?, ?, ?, ?, ?, NULL) ON CONFLICT DO NOTHING
            """, .text(note.deliveryNoteId), .text(orderId), .text(note.supplierDealerId), .text(note.customerDealerId), .text(StoredJSON.encode(note.lines)),
            .text(note.issuedAt.text))
    }

    /// The delivery notes against a tier-2 order, oldest first.
    public func deliveries(of orderId: String) throws(StoreError) -> [Tier2Delivery] {
        try db.query("""
            SELECT delivery_note_id, order_id, supplier_dealer_id, customer_dealer_id, lines, issued_at, received_at FROM tier2_deliveries
            WHERE order_id = ? ORDER BY issued_at, delivery_note_id
            """, .text(orderId)).map(Self.delivery)
    }

    public func delivery(_ deliveryNoteId: String) throws(StoreError) -> Tier2Delivery? {
        try db.first("""
            SELECT delivery_note_id, order_id, supplier_dealer_id, customer_dealer_id, lines, issued_at, received_at FROM tier2_deliveries
            WHERE delivery_note_id = ?
            """, .text(deliveryNoteId)).map(Self.delivery)
    }

    public func markReceived(_ deliveryNoteId: String, at: Timestamp) throws(StoreError) {
        try db.execute("UPDATE tier2_deliveries SET received_at = ? WHERE delivery_note_id = ? AND received_at IS NULL", .text(at.text), .text(deliveryNoteId))
    }

    static func delivery(_ row: SQLRow) -> Tier2Delivery {
        Tier2Delivery(deliveryNoteId: row.string(0) ?? "", orderId: row.string(1) ?? "", supplierDealerId: row.string(2) ?? "",
                      customerDealerId: row.string(3) ?? "", lines: StoredJSON.decode([DeliveryNoteIssued.Line].self, row.string(4)) ?? [],
                      issuedAt: row.string(5).flatMap(Timestamp.init(parsing:)) ?? Timestamp(Date(timeIntervalSince1970: 0)),
                      receivedAt: row.string(6).flatMap(Timestamp.init(parsing:)))
    }

    /// What a dealer holds of a material, and as of when; `nil` when nothing was ever recorded.
    public func dealerStock(dealerId: String, materialId: String) throws(StoreError) -> (onHand: DecimalNumber, asOf: Timestamp?)? {
        try db.first("SELECT on_hand, as_of FROM dealer_stock WHERE dealer_id = ? AND material_id = ?", .text(dealerId), .text(materialId)).map {
            ($0.string(0).flatMap(DecimalNumber.init) ?? DecimalNumber(0), $0.string(1).flatMap(Timestamp.init(parsing:)))
        }
    }

    /// Sets what a dealer holds. `asOf` is written when `replacingAsOf` (a snapshot from the
    /// dealer's system) or when the row is new; a ledger entry leaves an existing one as it is.
    public func setDealerStock(dealerId: String, materialId: String, onHand: DecimalNumber, asOf: Timestamp, replacingAsOf: Bool) throws(StoreError) {
        let update = replacingAsOf ? "on_hand = excluded.on_hand, as_of = excluded.as_of" : "on_hand = excluded.on_hand"
        // In millilitres and grams too, so the dealers' stock adds up exactly across materials and dealers.
        let material = try db.first("SELECT volume_l, net_weight_kg FROM materials WHERE material_id = ?", .text(materialId))
        let units = { (column: Int) in material?.string(column).flatMap(DecimalNumber.init).map { MinorUnits.whole(onHand.value * $0.value, scale: 3) } ?? 0 }
        try db.execute("""
            INSERT INTO dealer_stock (dealer_id, material_id, on_hand, as_of, stock_ml, stock_g) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (dealer_id, material_id) DO UPDATE SET \(update), stock_ml = excluded.stock_ml, stock_g = excluded.stock_g
            """, .text(dealerId), .text(materialId), .text(onHand.text), .text(asOf.text), .integer(units(0)), .integer(units(1)))
        // The dealer's total added up again from its rows (tens of materials), so it never drifts from them.
        try db.execute("""
            INSERT INTO dealer_stock_totals (dealer_id, stock_ml, stock_g, as_of)
            SELECT dealer_id, SUM(stock_ml), SUM(stock_g), MAX(as_of) FROM dealer_stock WHERE dealer_id = ? GROUP BY dealer_id
            ON CONFLICT (dealer_id) DO UPDATE SET stock_ml = excluded.stock_ml, stock_g = excluded.stock_g, as_of = excluded.as_of
            """, .text(dealerId))
    }
}
