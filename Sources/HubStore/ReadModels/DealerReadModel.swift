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
    /// Why the tier-1 dealer rejected it, or why the tier-2 dealer cancelled it.
    public var reason: String?
    /// Its delivery notes (only when one order is read).
    public var deliveries: [Tier2Delivery]?
}

/// Dealers as the API reads them, and the tier-1 dealers' own business: tier-2 orders addressed to
/// them (R1); their books are ``BookReadModel``.
public struct DealerReadModel {
    let db: any SQLDatabase

    /// The dealers the ERP assigns to sales rep `salesRepId` that `visibility` holds, by id.
    public func ids(ofSalesRep salesRepId: String, visibleTo visibility: DealerVisibility) throws(StoreError) -> [String] {
        let (scope, binds) = visibility.condition(on: "dealer_id")
        return try db.query("SELECT dealer_id FROM dealers WHERE sales_rep_id = ? AND \(scope) ORDER BY dealer_id", [.text(salesRepId)] + binds).compactMap { $0.string(0) }
    }

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
        var sql = "SELECT order_id, dealer_id, supplier_dealer_id, status, lines, submitted_by, submitted_at, updated_at, decision_reason FROM tier2_orders WHERE (\(buyer) OR \(supplier))"
        var binds = buyerBinds + supplierBinds
        if let orderId { sql += " AND order_id = ?"; binds.append(.text(orderId)) }
        if let status { sql += " AND status = ?"; binds.append(.text(status.rawValue)) }
        if let after { sql += " AND order_id > ?"; binds.append(.text(after)) }
        return try db.query(sql + " ORDER BY order_id LIMIT ?", binds + [.integer(Int64(limit))]).map {
            Tier2OrderRecord(orderId: $0.string(0) ?? "", dealerId: $0.string(1) ?? "", supplierDealerId: $0.string(2) ?? "", status: $0.string(3) ?? "",
                             lines: StoredJSON.decode([Tier2OrderSubmitted.Line].self, $0.string(4)) ?? [], submittedBy: $0.string(5) ?? "",
                             submittedAt: $0.string(6) ?? "", updatedAt: $0.string(7) ?? "", reason: $0.string(8))
        }
    }
}
