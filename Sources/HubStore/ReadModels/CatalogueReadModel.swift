import Foundation
public import HubContracts
import HubDomain

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
        /// A new product (R5): the announcement that launched it, while it is in force.
        public var newProduct: NewProduct?
    }

    public struct NewProduct: Codable, Sendable, Equatable {
        public var announcementId: String
        public var title: String
    }

    public struct Price: Codable, Sendable, Equatable {
        public var materialId: String
        /// The price list the price is from; nil when only a promotion prices the material.
        public var priceListId: String?
        public var unitPrice: String
        public var per: String
        public var currency: String
        public var validFrom: String
        public var validTo: String?
        /// A running promotion's lower price for this dealer: what its orders are priced at now.
        public var promotion: PromotionPrice?
    }

    /// A promotion's price for one unit of measure, and the promotion (announcement) it is from.
    public struct PromotionPrice: Codable, Sendable, Equatable {
        public var announcementId: String
        public var title: String
        public var unitPrice: String
        public var expiresAt: String
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

    /// The granted materials (of one product line, or all), by id after `after`, at most `limit`, as
    /// they stand at `at`: a new product not yet launched is left out, one launched is marked.
    public func materials(dealerId: String, productLine: ProductLine?, after: String?, limit: Int, at: Timestamp) throws(StoreError) -> [Material] {
        let (grantSQL, grantBinds) = granted(try groups(of: dealerId), column: "material_id")
        let newProducts = NewProductReader(db: db)
        let hidden = try newProducts.unlaunched(nil, at: at)
        let launched = try newProducts.launched(at: at)
        var sql = "SELECT material_id, name, product_line, status, category, grade, package_value, package_unit, unit_of_measure FROM materials WHERE \(grantSQL)"
        var binds = grantBinds
        if !hidden.isEmpty { sql += " AND material_id NOT IN (\(SQLText.placeholders(hidden.count)))"; binds += hidden.sorted().map(SQLValue.text) }
        if let productLine { sql += " AND product_line = ?"; binds.append(.text(productLine.rawValue)) }
        if let after { sql += " AND material_id > ?"; binds.append(.text(after)) }
        return try db.query(sql + " ORDER BY material_id LIMIT ?", binds + [.integer(Int64(limit))]).map {
            let id = $0.string(0) ?? ""
            return Material(materialId: id, name: $0.string(1) ?? "", productLine: $0.string(2) ?? "", status: $0.string(3) ?? "",
                            category: $0.string(4), grade: $0.string(5),
                            packageSize: Self.packageSize(value: $0.string(6), unit: $0.string(7)),
                            unitOfMeasure: $0.string(8), newProduct: launched[id].map { NewProduct(announcementId: $0.announcementId, title: $0.title) })
        }
    }

    static func packageSize(value: String?, unit: String?) -> MaterialUpserted.PackageSize? {
        guard let value = value.flatMap(DecimalNumber.init), let unit else { return nil }
        return MaterialUpserted.PackageSize(value: value, unit: unit)
    }

    /// One price per granted material: the first of the dealer's groups (by id) whose price list has
    /// it, with a running promotion's price at `at` where one is lower for this dealer — the same
    /// rule the core prices its orders by (`PromotionPricing`). A material only a promotion prices
    /// is listed at the promotion's price, per 1.
    public func prices(dealerId: String, materialId: String?, at: Timestamp) throws(StoreError) -> [Price] {
        let groups = try groups(of: dealerId)
        guard !groups.isEmpty else { return [] }
        let listed = try listPrices(dealerId: dealerId, groups: groups, materialId: materialId)
        guard let member = try MasterDataTable(db: db).audienceMember(dealerId),
              let currency = try db.first("SELECT currency FROM dealers WHERE dealer_id = ?", .text(dealerId))?.string(0) else { return listed }
        let (grantSQL, grantBinds) = granted(groups, column: "material_id")
        var promotedSQL = "SELECT DISTINCT material_id FROM promotion_prices WHERE \(grantSQL)"
        var promotedBinds = grantBinds
        if let materialId { promotedSQL += " AND material_id = ?"; promotedBinds.append(.text(materialId)) }
        let promoted = Set(try db.query(promotedSQL, promotedBinds).compactMap { $0.string(0) })
        guard !promoted.isEmpty else { return listed }
        let offers = try PromotionOfferReader(db: db).offers(materialIds: promoted, notEndedBefore: at)
        var byMaterial = Dictionary(listed.map { ($0.materialId, $0) }, uniquingKeysWith: { first, _ in first })
        for material in promoted {
            let list = byMaterial[material]
            let listUnit = list.flatMap { price -> Decimal? in
                guard let unit = Decimal(string: price.unitPrice), let per = Decimal(string: price.per) else { return nil }
                return per > 0 ? unit / per : unit
            }
            guard case .promotion(let unitPrice, let offer, _) = PromotionPricing.price(listPrice: listUnit, offers: offers[material] ?? [], for: member,
                                                                                       currency: currency, at: at) else { continue }
            let promotion = PromotionPrice(announcementId: offer.announcementId, title: offer.title, unitPrice: DecimalNumber(unitPrice).text,
                                           expiresAt: offer.expiresAt.text)
            byMaterial[material] = list.map { var price = $0; price.promotion = promotion; return price }
                ?? Price(materialId: material, priceListId: nil, unitPrice: promotion.unitPrice, per: "1", currency: currency,
                         validFrom: offer.publishAt.text, validTo: offer.expiresAt.text, promotion: promotion)
        }
        return byMaterial.values.sorted { $0.materialId < $1.materialId }
    }

    private func listPrices(dealerId: String, groups: [String], materialId: String?) throws(StoreError) -> [Price] {
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
                         currency: row.string(4) ?? "CNY", validFrom: row.string(5) ?? "", validTo: row.string(6), promotion: nil)
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
