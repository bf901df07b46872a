import Foundation
public import HubContracts
public import HubStore

/// Dealers as the API needs them, and the tier-1 dealers' own business: tier-2 orders addressed
/// to them and their goods-in / goods-out ledger (R1).
public enum DealerQueries {
    public struct Dealer: Sendable, Equatable {
        public var dealerId: String
        public var tier: DealerTier
        public var parentDealerId: String?
        public var status: String
    }

    public static func dealer(_ dealerId: String, in db: any SQLDatabase) throws(StoreError) -> Dealer? {
        try db.first("SELECT dealer_id, tier, parent_dealer_id, status FROM dealers WHERE dealer_id = ?", .text(dealerId)).map {
            Dealer(dealerId: $0.string(0) ?? "", tier: DealerTier(rawValue: $0.string(1) ?? ""), parentDealerId: $0.string(2), status: $0.string(3) ?? "")
        }
    }

    public struct Tier2Order: Codable, Sendable, Equatable {
        public var orderId: String
        public var dealerId: String
        public var supplierDealerId: String
        public var status: String
        public var lines: [Tier2OrderSubmitted.Line]
        public var submittedBy: String
        public var submittedAt: String
        public var updatedAt: String
    }

    /// Tier-2 orders the caller may see: as the buyer, as the supplier, or as staff over either.
    public static func tier2Orders(scope: DealerScope, orderId: String? = nil, status: String?, after: String?, limit: Int,
                                   in db: any SQLDatabase) throws(StoreError) -> [Tier2Order] {
        let (buyer, buyerBinds) = scope.condition(on: "dealer_id")
        let (supplier, supplierBinds) = scope.condition(on: "supplier_dealer_id")
        var sql = "SELECT order_id, dealer_id, supplier_dealer_id, status, lines, submitted_by, submitted_at, updated_at FROM tier2_orders WHERE (\(buyer) OR \(supplier))"
        var binds = buyerBinds + supplierBinds
        if let orderId { sql += " AND order_id = ?"; binds.append(.text(orderId)) }
        if let status { sql += " AND status = ?"; binds.append(.text(status)) }
        if let after { sql += " AND order_id > ?"; binds.append(.text(after)) }
        return try db.query(sql + " ORDER BY order_id LIMIT ?", binds + [.integer(Int64(limit))]).map {
            Tier2Order(orderId: $0.string(0) ?? "", dealerId: $0.string(1) ?? "", supplierDealerId: $0.string(2) ?? "", status: $0.string(3) ?? "",
                       lines: (try? JSONDecoder().decode([Tier2OrderSubmitted.Line].self, from: Data(($0.string(4) ?? "[]").utf8))) ?? [], submittedBy: $0.string(5) ?? "", submittedAt: $0.string(6) ?? "", updatedAt: $0.string(7) ?? "")
        }
    }

    /// A tier-1 dealer's figures for a period, per material: goods in and out with their values,
    /// on hand at the end, and the gross margin of what went out (sales less its cost).
    public struct LedgerLine: Codable, Sendable, Equatable {
        public var materialId: String
        public var quantityIn: String
        public var quantityOut: String
        public var onHand: String
        public var purchases: String
        public var sales: String
        public var costOfSales: String
        public var grossMargin: String
    }

    public struct Ledger: Codable, Sendable, Equatable {
        public var dealerId: String
        public var from: String
        public var to: String
        public var lines: [LedgerLine]
        public var purchases: String
        public var sales: String
        public var grossMargin: String
    }

    /// `from` inclusive, `to` exclusive (RFC 3339 instants). On hand counts everything before `to`.
    public static func ledger(dealerId: String, from: String, to: String, in db: any SQLDatabase) throws(StoreError) -> Ledger {
        struct Totals { var quantityIn = Decimal(0), quantityOut = Decimal(0), onHand = Decimal(0), purchases = Decimal(0), sales = Decimal(0), cost = Decimal(0) }
        var totals: [String: Totals] = [:]
        let rows = try db.query("""
            SELECT material_id, direction, quantity, unit_price, unit_cost, at FROM dealer_ledger WHERE dealer_id = ? AND at < ? ORDER BY material_id, at
            """, .text(dealerId), .text(to))
        for row in rows {
            let material = row.string(0) ?? ""
            let quantity = Decimal(string: row.string(2) ?? "0") ?? 0
            let price = row.string(3).flatMap { Decimal(string: $0) }
            let cost = row.string(4).flatMap { Decimal(string: $0) }
            let inPeriod = (row.string(5) ?? "") >= from
            var entry = totals[material, default: Totals()]
            if row.string(1) == "in" {
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
        let lines = totals.keys.sorted().compactMap { material -> LedgerLine? in
            guard let entry = totals[material] else { return nil }
            return LedgerLine(materialId: material, quantityIn: text(entry.quantityIn), quantityOut: text(entry.quantityOut), onHand: text(entry.onHand),
                              purchases: text(entry.purchases), sales: text(entry.sales), costOfSales: text(entry.cost), grossMargin: text(entry.sales - entry.cost))
        }
        let purchases = totals.values.reduce(Decimal(0)) { $0 + $1.purchases }
        let sales = totals.values.reduce(Decimal(0)) { $0 + $1.sales }
        let cost = totals.values.reduce(Decimal(0)) { $0 + $1.cost }
        return Ledger(dealerId: dealerId, from: from, to: to, lines: lines, purchases: text(purchases), sales: text(sales), grossMargin: text(sales - cost))
    }
}
