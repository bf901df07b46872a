public import HubContracts
import Foundation

/// What applying an event did.
public enum ApplyOutcome: Sendable, Equatable {
    case applied
    /// The event id was applied before: nothing changed.
    case duplicate
    /// It refers to something the store does not know yet (the master record may be on its way,
    /// the order's confirmation may come later): nothing changed; hold it, retry, then dead-letter.
    case unknownReference(String)
    /// It can never apply (it breaks a rule): nothing changed; dead-letter it with this reason.
    case refused(String)
    /// An event this store does not handle.
    case notHandled
}

/// An event kept because it refers to something not known yet; retried until it applies or its
/// time runs out (then it is dead-lettered).
public struct HeldEvent: Sendable, Equatable {
    public var eventId: String
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// The entity it is about (the envelope's subject): held events of a subject are retried as
    /// soon as something about that subject applied.
    public var subject: String
    public var key: [UInt8]?
    public var value: [UInt8]
    public var reason: String
    public var heldAtMilliseconds: Int64

    public init(eventId: String, topic: String, partition: Int32, offset: Int64, subject: String, key: [UInt8]?, value: [UInt8], reason: String, heldAtMilliseconds: Int64) {
        self.eventId = eventId
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.subject = subject
        self.key = key
        self.value = value
        self.reason = reason
        self.heldAtMilliseconds = heldAtMilliseconds
    }
}

/// What the store knows for deciding one order, as stored (decimals as exact text).
public struct OrderContextRecords: Sendable {
    public struct Dealer: Sendable {
        public var dealerId: String
        public var status: String
        public var creditLimit: String
        public var currency: String
    }
    public struct Stock: Sendable {
        public var warehouseId: String
        public var locationId: String
        public var onHand: String
        public var reserved: String
    }
    public var dealer: Dealer?
    /// The order's materials that exist.
    public var knownMaterials: Set<String>
    /// The order's materials the dealer's permission groups grant.
    public var grantedMaterials: Set<String>
    /// Unit price and the quantity it is for, per material, from the first of the dealer's groups
    /// (by group id) whose price list has one.
    public var prices: [String: (unitPrice: String, per: String)]
    /// Stock of the order's materials in the locations the dealer's groups grant, in drawing order.
    public var stock: [String: [Stock]]
}

/// Dealers, permission groups, materials, price lists, warehouses and stock: writing master-data
/// events and reading what an order decision needs. Runs inside the caller's transaction.
public enum MasterDataTables {
    /// Upserts one master-data event; `.notHandled` for any other payload.
    public static func apply(_ data: any CanonicalPayload, in db: any SQLDatabase) throws(StoreError) -> ApplyOutcome {
        switch data {
        case let dealer as DealerUpserted:
            // Without a credit limit (the ERP's customer master has none) the current one stays; a new dealer has 0.
            let credit: KeyValuePairs<String, SQLValue> = [
                "credit_limit": .text(dealer.creditLimit?.amount.text ?? "0"), "currency": .text(dealer.creditLimit?.currency ?? "CNY"),
            ]
            try upsert("dealers", key: ["dealer_id"], columns: [
                "dealer_id": .text(dealer.dealerId), "name": .text(dealer.name), "tier": .text(dealer.tier.rawValue),
                "parent_dealer_id": SQLValue(dealer.parentDealerId), "branch_id": .text(dealer.branchId), "province": .text(dealer.region.province),
                "city": SQLValue(dealer.region.city), "status": .text(dealer.status.rawValue), "sales_rep_id": SQLValue(dealer.salesRepId),
            ], updating: dealer.creditLimit == nil ? [:] : credit, insertingOnly: dealer.creditLimit == nil ? credit : [:], in: db)
            try replace("dealer_groups", key: "dealer_id", value: dealer.dealerId, rows: dealer.permissionGroupIds.map { [$0] }, columns: ["group_id"], in: db)
        case let credit as DealerCreditLimitSet:
            let changed = try db.execute("UPDATE dealers SET credit_limit = ?, currency = ? WHERE dealer_id = ?",
                                         .text(credit.creditLimit.amount.text), .text(credit.creditLimit.currency), .text(credit.dealerId))
            if changed == 0 { return .unknownReference("dealer \(credit.dealerId)") }
        case let group as PermissionGroupUpserted:
            try upsert("permission_groups", key: ["group_id"], columns: [
                "group_id": .text(group.groupId), "name": .text(group.name), "price_list_id": .text(group.priceListId),
            ], in: db)
            try replace("group_dealers", key: "group_id", value: group.groupId, rows: group.dealerIds.map { [$0] }, columns: ["dealer_id"], in: db)
            try replace("group_product_lines", key: "group_id", value: group.groupId, rows: group.catalogue.productLines.map { [$0.rawValue] }, columns: ["product_line"], in: db)
            try replace("group_materials", key: "group_id", value: group.groupId, rows: group.catalogue.materialIds.map { [$0] }, columns: ["material_id"], in: db)
            try replace("group_stock_locations", key: "group_id", value: group.groupId,
                        rows: group.stockLocations.map { [$0.warehouseId, $0.locationId ?? ""] }, columns: ["warehouse_id", "location_id"], in: db)
        case let material as MaterialUpserted:
            try upsert("materials", key: ["material_id"], columns: [
                "material_id": .text(material.materialId), "name": .text(material.name), "product_line": .text(material.productLine.rawValue),
                "status": .text(material.status),
            ], in: db)
        case let list as PriceListUpserted:
            try upsert("price_lists", key: ["price_list_id"], columns: [
                "price_list_id": .text(list.priceListId), "currency": .text(list.currency), "valid_from": .text(list.validFrom.text),
                "valid_to": SQLValue(list.validTo?.text),
            ], in: db)
            // The prices it names are set, the list's other prices stay: the ERP sends one condition record
            // (one material) at a time.
            for price in list.prices {
                try upsert("prices", key: ["price_list_id", "material_id"], columns: [
                    "price_list_id": .text(list.priceListId), "material_id": .text(price.materialId), "unit_price": .text(price.unitPrice.text),
                    "per": .text(price.per?.text ?? "1"),
                ], in: db)
            }
        case let warehouse as WarehouseUpserted:
            try upsert("warehouses", key: ["warehouse_id"], columns: [
                "warehouse_id": .text(warehouse.warehouseId), "name": .text(warehouse.name), "plant_id": .text(warehouse.plantId),
                "branch_id": SQLValue(warehouse.branchId),
            ], in: db)
        case let snapshot as DealerStockSnapshot:
            try db.execute("""
                INSERT INTO dealer_stock (dealer_id, material_id, on_hand, as_of) VALUES (?, ?, ?, ?)
                ON CONFLICT (dealer_id, material_id) DO UPDATE SET on_hand = excluded.on_hand, as_of = excluded.as_of
                WHERE excluded.as_of > dealer_stock.as_of
                """, .text(snapshot.dealerId), .text(snapshot.materialId), .text(snapshot.onHand.text), .text(snapshot.asOf.text))
        default:
            return .notHandled
        }
        return .applied
    }

    /// `INSERT … ON CONFLICT (key) DO UPDATE SET` every other column: one row replaced in place.
    /// `insertingOnly` columns are written when the row is new and left alone when it exists.
    public static func upsert(_ table: String, key: [String], columns: KeyValuePairs<String, SQLValue>,
                              updating more: KeyValuePairs<String, SQLValue> = [:], insertingOnly: KeyValuePairs<String, SQLValue> = [:],
                              in db: any SQLDatabase) throws(StoreError) {
        let updated = columns.map(\.key) + more.map(\.key)
        let names = updated + insertingOnly.map(\.key)
        let updates = updated.filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let conflict = updates.isEmpty ? "DO NOTHING" : "DO UPDATE SET \(updates)"
        try db.execute("INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(SQLText.placeholders(names.count))) ON CONFLICT (\(key.joined(separator: ", "))) \(conflict)",
                       columns.map(\.value) + more.map(\.value) + insertingOnly.map(\.value))
    }

    /// Replaces the child rows of one parent.
    static func replace(_ table: String, key: String, value: String, rows: [[String]], columns: [String], in db: any SQLDatabase) throws(StoreError) {
        try db.execute("DELETE FROM \(table) WHERE \(key) = ?", .text(value))
        let insert = "INSERT INTO \(table) (\(key), \(columns.joined(separator: ", "))) VALUES (\(SQLText.placeholders(columns.count + 1))) ON CONFLICT DO NOTHING"
        for row in rows {
            try db.execute(insert, [.text(value)] + row.map(SQLValue.text))
        }
    }

    /// What deciding an order for `dealerId` over `materialIds` needs.
    public static func orderContext(dealerId: String, materialIds: Set<String>, in db: any SQLDatabase) throws(StoreError) -> OrderContextRecords {
        var records = OrderContextRecords(dealer: nil, knownMaterials: [], grantedMaterials: [], prices: [:], stock: [:])
        if let dealer = try db.first("SELECT dealer_id, status, credit_limit, currency FROM dealers WHERE dealer_id = ?", .text(dealerId)) {
            records.dealer = .init(dealerId: dealer.string(0) ?? "", status: dealer.string(1) ?? "", creditLimit: dealer.string(2) ?? "0", currency: dealer.string(3) ?? "")
        }
        let groups = try db.query("SELECT group_id FROM dealer_groups WHERE dealer_id = ?1 UNION SELECT group_id FROM group_dealers WHERE dealer_id = ?1 ORDER BY 1",
                                  .text(dealerId)).compactMap { $0.string(0) }
        for material in materialIds.sorted() {
            guard let known = try db.first("SELECT product_line FROM materials WHERE material_id = ?", .text(material)) else { continue }
            let productLine = known.string(0) ?? ""
            records.knownMaterials.insert(material)
            for group in groups {
                let granted = try db.first("""
                    SELECT 1 FROM group_materials WHERE group_id = ?1 AND material_id = ?2
                    UNION SELECT 1 FROM group_product_lines WHERE group_id = ?1 AND product_line = ?3
                    """, .text(group), .text(material), .text(productLine))
                if granted != nil { records.grantedMaterials.insert(material) }
                if records.prices[material] == nil, let price = try db.first("""
                    SELECT p.unit_price, p.per FROM prices p JOIN permission_groups g ON g.price_list_id = p.price_list_id
                    WHERE g.group_id = ? AND p.material_id = ?
                    """, .text(group), .text(material)) {
                    records.prices[material] = (price.string(0) ?? "0", price.string(1) ?? "1")
                }
            }
            guard !groups.isEmpty else { continue }
            let stock = try db.query("""
                SELECT DISTINCT s.warehouse_id, s.location_id, s.on_hand, s.reserved FROM stock s
                JOIN group_stock_locations l ON l.warehouse_id = s.warehouse_id AND (l.location_id = '' OR l.location_id = s.location_id)
                WHERE s.material_id = ? AND l.group_id IN (\(SQLText.placeholders(groups.count)))
                ORDER BY s.warehouse_id, s.location_id
                """, [.text(material)] + groups.map(SQLValue.text))
            records.stock[material] = stock.map {
                .init(warehouseId: $0.string(0) ?? "", locationId: $0.string(1) ?? "", onHand: $0.string(2) ?? "0", reserved: $0.string(3) ?? "0")
            }
        }
        return records
    }
}
