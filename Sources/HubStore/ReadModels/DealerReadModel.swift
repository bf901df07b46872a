public import HubContracts
import Foundation

/// A tier-2 dealer's order to its tier-1 dealer, as the API shows it.
public struct Tier2OrderRecord: Codable, Sendable, Equatable {
    public var orderId: String
    public var dealerId: String
    public var supplierDealerId: String
    public var status: String
    public var lines: [Tier2OrderSubmitted.Line]
    public var submittedBy: String
    public var submittedAt: String
    public var updatedAt: String
}

/// A tier-1 dealer's figures for a period, per material: goods in and out with their values, on
/// hand at the end, and the gross margin of what went out (sales less its cost).
public struct DealerLedger: Codable, Sendable, Equatable {
    public struct Line: Codable, Sendable, Equatable {
        public var materialId: String
        public var quantityIn: String
        public var quantityOut: String
        public var onHand: String
        public var purchases: String
        public var sales: String
        public var costOfSales: String
        public var grossMargin: String
    }

    public var dealerId: String
    public var from: String
    public var to: String
    public var lines: [Line]
    public var purchases: String
    public var sales: String
    public var grossMargin: String
}

/// Dealers as the API reads them, and the tier-1 dealers' own business: tier-2 orders addressed to
/// them and their goods-in / goods-out ledger (R1).
public struct DealerReadModel {
    let db: any SQLDatabase

    /// A dealer's record; `nil` when it is not known.
    public func dealer(_ dealerId: String) throws(StoreError) -> DealerRecord? {
        try MasterDataTable(db: db).dealer(dealerId)
    }

    /// Whether `visibility` lets its caller see `dealerId` (everyone: any named dealer, known or not).
    public func isVisible(_ dealerId: String, to visibility: DealerVisibility) throws(StoreError) -> Bool {
        if visibility == .everyone { return !dealerId.isEmpty }
        let (sql, binds) = visibility.condition(on: "d.dealer_id")
        return try db.query("SELECT 1 FROM dealers d WHERE d.dealer_id = ? AND \(sql)", [.text(dealerId)] + binds).first != nil
    }

    /// Tier-2 orders the caller may see: as the buyer, as the supplier, or as staff over either.
    /// The digest of the request that made the tier-2 order; `nil` when it is not known or was
    /// made without an idempotency key.
    public func tier2RequestDigest(of orderId: String) throws(StoreError) -> String? {
        try db.first("SELECT request_digest FROM tier2_orders WHERE order_id = ?", .text(orderId))?.string(0)
    }

    public func tier2Orders(visibleTo visibility: DealerVisibility, orderId: String? = nil, status: Tier2OrderStatus? = nil, after: String? = nil,
                            limit: Int) throws(StoreError) -> [Tier2OrderRecord] {
        let (buyer, buyerBinds) = visibility.condition(on: "dealer_id")
        let (supplier, supplierBinds) = visibility.condition(on: "supplier_dealer_id")
        var sql = "SELECT order_id, dealer_id, supplier_dealer_id, status, lines, submitted_by, submitted_at, updated_at FROM tier2_orders WHERE (\(buyer) OR \(supplier))"
        var binds = buyerBinds + supplierBinds
        if let orderId { sql += " AND order_id = ?"; binds.append(.text(orderId)) }
        if let status { sql += " AND status = ?"; binds.append(.text(status.rawValue)) }
        if let after { sql += " AND order_id > ?"; binds.append(.text(after)) }
        return try db.query(sql + " ORDER BY order_id LIMIT ?", binds + [.integer(Int64(limit))]).map {
            Tier2OrderRecord(orderId: $0.string(0) ?? "", dealerId: $0.string(1) ?? "", supplierDealerId: $0.string(2) ?? "", status: $0.string(3) ?? "",
                             lines: StoredJSON.decode([Tier2OrderSubmitted.Line].self, $0.string(4)) ?? [], submittedBy: $0.string(5) ?? "",
                             submittedAt: $0.string(6) ?? "", updatedAt: $0.string(7) ?? "")
        }
    }

    /// The dealer's ledger from `from` (inclusive) to `to` (exclusive). On hand counts everything before `to`.
    public func ledger(dealerId: String, from: Timestamp, to: Timestamp) throws(StoreError) -> DealerLedger {
        struct Totals { var quantityIn = Decimal(0), quantityOut = Decimal(0), onHand = Decimal(0), purchases = Decimal(0), sales = Decimal(0), cost = Decimal(0) }
        var totals: [String: Totals] = [:]
        let rows = try db.query("""
            SELECT material_id, direction, quantity, unit_price, unit_cost, at FROM dealer_ledger WHERE dealer_id = ? AND at < ? ORDER BY material_id, at
            """, .text(dealerId), .text(to.text))
        for row in rows {
            let material = row.string(0) ?? ""
            let quantity = row.string(2).flatMap(DecimalNumber.init)?.value ?? 0
            let price = row.string(3).flatMap(DecimalNumber.init)?.value
            let cost = row.string(4).flatMap(DecimalNumber.init)?.value
            let inPeriod = (row.string(5) ?? "") >= from.text
            var entry = totals[material, default: Totals()]
            if row.string(1) == LedgerDirection.goodsIn.rawValue {
                entry.onHand += quantity
                if inPeriod { entry.quantityIn += quantity; entry.purchases += quantity * (price ?? cost ?? 0) }
            } else {
                entry.onHand -= quantity
                if inPeriod { entry.quantityOut += quantity; entry.sales += quantity * (price ?? 0); entry.cost += quantity * (cost ?? 0) }
            }
            totals[material] = entry
        }
        func text(_ value: Decimal) -> String {
            var value = value
            var rounded = Decimal()
            NSDecimalRound(&rounded, &value, 2, .bankers)
            return "\(rounded)"
        }
        let lines = totals.keys.sorted().compactMap { material -> DealerLedger.Line? in
            guard let entry = totals[material] else { return nil }
            return DealerLedger.Line(materialId: material, quantityIn: text(entry.quantityIn), quantityOut: text(entry.quantityOut), onHand: text(entry.onHand),
                                     purchases: text(entry.purchases), sales: text(entry.sales), costOfSales: text(entry.cost),
                                     grossMargin: text(entry.sales - entry.cost))
        }
        let purchases = totals.values.reduce(Decimal(0)) { $0 + $1.purchases }
        let sales = totals.values.reduce(Decimal(0)) { $0 + $1.sales }
        let cost = totals.values.reduce(Decimal(0)) { $0 + $1.cost }
        return DealerLedger(dealerId: dealerId, from: from.text, to: to.text, lines: lines, purchases: text(purchases), sales: text(sales),
                            grossMargin: text(sales - cost))
    }
}
