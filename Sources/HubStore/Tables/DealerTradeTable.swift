public import HubContracts
import HubDomain

/// Whether a ledger entry brought goods into a dealer's stock or took them out.
public enum LedgerDirection: String, Sendable {
    case goodsIn = "in"
    case goodsOut = "out"
}

/// One line of a tier-1 dealer's goods-in / goods-out ledger.
public struct LedgerEntry: Sendable, Equatable {
    public var entryId: String
    public var dealerId: String
    public var materialId: String
    public var direction: LedgerDirection
    public var quantity: DecimalNumber
    /// What the dealer sold it for (goods out).
    public var unitPrice: DecimalNumber?
    /// What it cost the dealer.
    public var unitCost: DecimalNumber?
    /// The order or delivery note it comes from.
    public var reference: String
    public var at: Timestamp

    public init(entryId: String, dealerId: String, materialId: String, direction: LedgerDirection, quantity: DecimalNumber, unitPrice: DecimalNumber?,
                unitCost: DecimalNumber?, reference: String, at: Timestamp) {
        self.entryId = entryId
        self.dealerId = dealerId
        self.materialId = materialId
        self.direction = direction
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.unitCost = unitCost
        self.reference = reference
        self.at = at
    }
}

/// A tier-2 order's buyer, supplier and status.
public struct Tier2OrderState: Sendable, Equatable {
    public var dealerId: String
    public var supplierDealerId: String
    public var status: Tier2OrderStatus
}

/// Trade between dealers (R1): tier-2 dealers' orders to their tier-1 dealer, the tier-1 dealer's
/// ledger of goods in and out, and its own stock (from the ledger and from its system's snapshots).
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
        try db.first("SELECT dealer_id, supplier_dealer_id, status FROM tier2_orders WHERE order_id = ?", .text(orderId)).map {
            Tier2OrderState(dealerId: $0.string(0) ?? "", supplierDealerId: $0.string(1) ?? "", status: Tier2OrderStatus(rawValue: $0.string(2) ?? ""))
        }
    }

    public func setTier2Status(_ orderId: String, to status: Tier2OrderStatus, at now: Timestamp) throws(StoreError) {
        try db.execute("UPDATE tier2_orders SET status = ?, updated_at = ? WHERE order_id = ?", .text(status.rawValue), .text(now.text), .text(orderId))
    }

    public func ledgerEntryExists(_ entryId: String) throws(StoreError) -> Bool {
        try db.first("SELECT 1 FROM dealer_ledger WHERE entry_id = ?", .text(entryId)) != nil
    }

    /// Records a ledger entry; `false` when one under its id was recorded before (nothing changed).
    public func post(_ entry: LedgerEntry) throws(StoreError) -> Bool {
        try db.execute("""
            INSERT INTO dealer_ledger (entry_id, dealer_id, material_id, direction, quantity, unit_price, unit_cost, reference, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, .text(entry.entryId), .text(entry.dealerId), .text(entry.materialId), .text(entry.direction.rawValue), .text(entry.quantity.text),
            SQLValue(entry.unitPrice?.text), SQLValue(entry.unitCost?.text), .text(entry.reference), .text(entry.at.text)) > 0
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
