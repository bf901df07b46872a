public import HubContracts
public import HubDomain

/// What the store knows for deciding one order, as stored (decimals as exact text).
public struct OrderContextRecords: Sendable {
    public struct Dealer: Sendable {
        public var dealerId: String
        public var status: String
        public var creditLimit: String
        public var currency: String
        /// Its standing after a risk review, when it was reviewed: outcome and reason.
        public var standing: (outcome: String, reason: String)?
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
    /// What a promotion's audience reads of the dealer; nil when the dealer is unknown.
    public var member: Audience.Member?
    /// Promotions' prices for the order's materials, not ended before the moment asked about.
    public var offers: [String: [PromotionPricing.Offer]]
}

/// What deciding an order needs of the master data and the stock: the dealer, what its permission
/// groups grant, prices, and the stock it may draw from. Read in the transaction that records the
/// decision, and by the API's checks before a command goes out.
public struct OrderDecisionReader {
    let db: any SQLDatabase

    /// What deciding an order for `dealerId` over `materialIds` needs, with the promotions' prices
    /// not ended before `pricedAt` (the moment the order is priced at).
    public func context(dealerId: String, materialIds: Set<String>, pricedAt: Timestamp) throws(StoreError) -> OrderContextRecords {
        var records = OrderContextRecords(dealer: nil, knownMaterials: [], grantedMaterials: [], prices: [:], stock: [:], member: nil, offers: [:])
        records.member = try MasterDataTable(db: db).audienceMember(dealerId)
        records.offers = try PromotionOfferReader(db: db).offers(materialIds: materialIds, notEndedBefore: pricedAt)
        if let dealer = try db.first("""
            SELECT d.dealer_id, d.status, d.credit_limit, d.currency, s.outcome, s.reason FROM dealers d
            LEFT JOIN dealer_standing s ON s.dealer_id = d.dealer_id WHERE d.dealer_id = ?
            """, .text(dealerId)) {
            records.dealer = .init(dealerId: dealer.string(0) ?? "", status: dealer.string(1) ?? "", creditLimit: dealer.string(2) ?? "0", currency: dealer.string(3) ?? "",
                                   standing: dealer.string(4).map { ($0, dealer.string(5) ?? "") })
        }
        let groups = try PermissionGrants(db: db).groups(of: dealerId)
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
        // A new product is in no catalogue until its announcement is published.
        records.grantedMaterials.subtract(try NewProductReader(db: db).unlaunched(records.grantedMaterials, at: pricedAt))
        return records
    }
}
