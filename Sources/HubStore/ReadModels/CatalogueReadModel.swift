import Foundation
public import HubContracts

/// What a dealer's permission groups grant (R2): the catalogue, its prices and the available
/// stock at the locations the groups grant — exactly that, nothing of another group.
public struct CatalogueReadModel {
    public struct Material: Codable, Sendable, Equatable {
        public var materialId: String
        public var name: String
        public var productLine: String
        public var status: String
        /// The ERP's product category and grade (e.g. `engine-oil`, `SN 5W-30`); nil for a material
        /// stored before the hub kept them, until the ERP sends it again.
        public var category: String?
        public var grade: String?
        /// The package: `4 L`, `200 kg`, `1 T` (bulk).
        public var packageSize: MaterialUpserted.PackageSize?
        public var unitOfMeasure: String?
    }

    public struct Price: Codable, Sendable, Equatable {
        public var materialId: String
        public var priceListId: String
        public var unitPrice: String
        public var per: String
        public var currency: String
        public var validFrom: String
        public var validTo: String?
    }

    public struct Stock: Codable, Sendable, Equatable {
        public var materialId: String
        public var warehouseId: String
        public var locationId: String?
        public var available: String
        public var asOf: String?
    }

    let db: any SQLDatabase

    /// The permission groups a dealer has.
    public func groups(of dealerId: String) throws(StoreError) -> [String] {
        try PermissionGrants(db: db).groups(of: dealerId)
    }

    private func granted(_ groups: [String], column: String) -> (sql: String, binds: [SQLValue]) {
        PermissionGrants.materials(of: groups, column: column)
    }

    /// The granted materials (of one product line, or all), by id after `after`, at most `limit`.
    public func materials(dealerId: String, productLine: ProductLine?, after: String?, limit: Int) throws(StoreError) -> [Material] {
        let (grantSQL, grantBinds) = granted(try groups(of: dealerId), column: "material_id")
        var sql = "SELECT material_id, name, product_line, status, category, grade, package_value, package_unit, unit_of_measure FROM materials WHERE \(grantSQL)"
        var binds = grantBinds
        if let productLine { sql += " AND product_line = ?"; binds.append(.text(productLine.rawValue)) }
        if let after { sql += " AND material_id > ?"; binds.append(.text(after)) }
        return try db.query(sql + " ORDER BY material_id LIMIT ?", binds + [.integer(Int64(limit))]).map {
            Material(materialId: $0.string(0) ?? "", name: $0.string(1) ?? "", productLine: $0.string(2) ?? "", status: $0.string(3) ?? "",
                     category: $0.string(4), grade: $0.string(5),
                     packageSize: Self.packageSize(value: $0.string(6), unit: $0.string(7)),
                     unitOfMeasure: $0.string(8))
        }
    }

    static func packageSize(value: String?, unit: String?) -> MaterialUpserted.PackageSize? {
        guard let value = value.flatMap(DecimalNumber.init), let unit else { return nil }
        return MaterialUpserted.PackageSize(value: value, unit: unit)
    }

    /// One price per granted material: the first of the dealer's groups (by id) whose price list has it.
    public func prices(dealerId: String, materialId: String?) throws(StoreError) -> [Price] {
        let groups = try groups(of: dealerId)
        guard !groups.isEmpty else { return [] }
        let (grantSQL, grantBinds) = granted(groups, column: "p.material_id")
        var sql = """
            SELECT p.material_id, l.price_list_id, p.unit_price, p.per, l.currency, l.valid_from, l.valid_to
            FROM permission_groups g JOIN price_lists l ON l.price_list_id = g.price_list_id JOIN prices p ON p.price_list_id = l.price_list_id
            WHERE g.group_id IN (\(SQLText.placeholders(groups.count))) AND \(grantSQL)
            """
        var binds = groups.map(SQLValue.text) + grantBinds
        if let materialId { sql += " AND p.material_id = ?"; binds.append(.text(materialId)) }
        var seen = Set<String>()
        return try db.query(sql + " ORDER BY p.material_id, g.group_id", binds).compactMap { row in
            guard let material = row.string(0), seen.insert(material).inserted else { return nil }
            return Price(materialId: material, priceListId: row.string(1) ?? "", unitPrice: row.string(2) ?? "0", per: row.string(3) ?? "1",
                         currency: row.string(4) ?? "CNY", validFrom: row.string(5) ?? "", validTo: row.string(6))
        }
    }

    /// Available (on hand less reserved) per granted material at each granted location.
    public func stock(dealerId: String, materialId: String?) throws(StoreError) -> [Stock] {
        let groups = try groups(of: dealerId)
        guard !groups.isEmpty else { return [] }
        let (grantSQL, grantBinds) = granted(groups, column: "s.material_id")
        var sql = """
            SELECT DISTINCT s.material_id, s.warehouse_id, s.location_id, s.on_hand, s.reserved, s.as_of FROM stock s
            JOIN group_stock_locations l ON l.warehouse_id = s.warehouse_id AND (l.location_id = '' OR l.location_id = s.location_id)
            WHERE l.group_id IN (\(SQLText.placeholders(groups.count))) AND \(grantSQL)
            """
        var binds = groups.map(SQLValue.text) + grantBinds
        if let materialId { sql += " AND s.material_id = ?"; binds.append(.text(materialId)) }
        return try db.query(sql + " ORDER BY s.material_id, s.warehouse_id, s.location_id", binds).map { row in
            let onHand = Decimal(string: row.string(3) ?? "0") ?? 0
            let reserved = Decimal(string: row.string(4) ?? "0") ?? 0
            let available = max(onHand - reserved, 0)
            return Stock(materialId: row.string(0) ?? "", warehouseId: row.string(1) ?? "", locationId: (row.string(2) ?? "").isEmpty ? nil : row.string(2),
                         available: "\(available)", asOf: row.string(5))
        }
    }

    /// Which of `materialIds` exist.
    public func existing(_ materialIds: Set<String>) throws(StoreError) -> Set<String> {
        var known = Set<String>()
        for material in materialIds where try db.first("SELECT 1 FROM materials WHERE material_id = ?", .text(material)) != nil { known.insert(material) }
        return known
    }
}
