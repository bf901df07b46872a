public import HubContracts
public import HubDomain

/// A dealer as stored.
public struct DealerRecord: Sendable, Equatable {
    public var dealerId: String
    public var tier: DealerTier
    public var parentDealerId: String?
    public var branchId: String
    public var status: DealerStatus
}

/// Dealers, permission groups, materials, price lists and warehouses: the master data the ERP and
/// the company keep, as the core writes it.
public struct MasterDataTable {
    let db: any SQLDatabase

    /// How a dealer's credit limit is written with the rest of its record.
    public enum CreditLimitWrite: Sendable {
        /// Set to this.
        case replace(Money)
        /// Left as it is; a dealer new to the store starts at this.
        case keepOrStartAt(Money)
    }

    public func upsertDealer(_ dealer: DealerUpserted, creditLimit: CreditLimitWrite) throws(StoreError) {
        let credit: (amount: DecimalNumber, currency: String)
        let replace: Bool
        switch creditLimit {
        case .replace(let limit): (credit, replace) = ((limit.amount, limit.currency), true)
        case .keepOrStartAt(let limit): (credit, replace) = ((limit.amount, limit.currency), false)
        }
        let creditColumns: KeyValuePairs<String, SQLValue> = ["credit_limit": .text(credit.amount.text), "currency": .text(credit.currency)]
        try TableWrites.upsert("dealers", key: ["dealer_id"], columns: [
            "dealer_id": .text(dealer.dealerId), "name": .text(dealer.name), "tier": .text(dealer.tier.rawValue),
            "parent_dealer_id": SQLValue(dealer.parentDealerId), "branch_id": .text(dealer.branchId), "province": .text(dealer.region.province),
            "city": SQLValue(dealer.region.city), "status": .text(dealer.status.rawValue), "sales_rep_id": SQLValue(dealer.salesRepId),
        ], updating: replace ? creditColumns : [:], insertingOnly: replace ? [:] : creditColumns, in: db)
        try TableWrites.replace("dealer_groups", key: "dealer_id", value: dealer.dealerId, rows: dealer.permissionGroupIds.map { [$0] },
                                columns: ["group_id"], in: db)
        try TableWrites.replace("dealer_product_lines", key: "dealer_id", value: dealer.dealerId,
                                rows: dealer.productLines.map { [$0.productLine.rawValue, $0.customerClass] }, columns: ["product_line", "customer_class"], in: db)
    }

    /// Sets a dealer's credit limit; `false` when the dealer is not known.
    public func setCreditLimit(dealerId: String, to limit: Money) throws(StoreError) -> Bool {
        try db.execute("UPDATE dealers SET credit_limit = ?, currency = ? WHERE dealer_id = ?",
                       .text(limit.amount.text), .text(limit.currency), .text(dealerId)) > 0
    }

    public func upsertPermissionGroup(_ group: PermissionGroupUpserted) throws(StoreError) {
        // Flows the event does not state stay as they are: the ERP's groups do not carry them.
        let flows: KeyValuePairs<String, SQLValue> = group.flows.map { ["flow_reach": .text($0.reach.rawValue)] } ?? [:]
        try TableWrites.upsert("permission_groups", key: ["group_id"], columns: [
            "group_id": .text(group.groupId), "name": .text(group.name), "price_list_id": .text(group.priceListId),
        ], updating: flows, in: db)
        try TableWrites.replace("group_dealers", key: "group_id", value: group.groupId, rows: group.dealerIds.map { [$0] }, columns: ["dealer_id"], in: db)
        try TableWrites.replace("group_product_lines", key: "group_id", value: group.groupId, rows: group.catalogue.productLines.map { [$0.rawValue] },
                                columns: ["product_line"], in: db)
        try TableWrites.replace("group_materials", key: "group_id", value: group.groupId, rows: group.catalogue.materialIds.map { [$0] },
                                columns: ["material_id"], in: db)
        try TableWrites.replace("group_stock_locations", key: "group_id", value: group.groupId,
                                rows: group.stockLocations.map { [$0.warehouseId, $0.locationId ?? ""] }, columns: ["warehouse_id", "location_id"], in: db)
        try db.execute("UPDATE permission_groups SET version = version + 1 WHERE group_id = ?", .text(group.groupId))
    }

    /// A permission group as stored, with its version; nil when it is not known.
    public func permissionGroup(_ groupId: String) throws(StoreError) -> StoredPermissionGroup? {
        guard let row = try db.first("SELECT name, price_list_id, version, flow_reach FROM permission_groups WHERE group_id = ?", .text(groupId)) else { return nil }
        func column(_ sql: String) throws(StoreError) -> [String] {
            try db.query(sql, .text(groupId)).compactMap { $0.string(0) }
        }
        let locations = try db.query("SELECT warehouse_id, location_id FROM group_stock_locations WHERE group_id = ? ORDER BY warehouse_id, location_id",
                                     .text(groupId)).map { row in
            PermissionGroupUpserted.StockLocation(warehouseId: row.string(0) ?? "", locationId: (row.string(1) ?? "").isEmpty ? nil : row.string(1))
        }
        let group = PermissionGroupUpserted(
            groupId: groupId, name: row.string(0) ?? "",
            dealerIds: try column("SELECT dealer_id FROM group_dealers WHERE group_id = ? ORDER BY dealer_id"),
            catalogue: .init(productLines: try column("SELECT product_line FROM group_product_lines WHERE group_id = ? ORDER BY product_line").map(ProductLine.init),
                             materialIds: try column("SELECT material_id FROM group_materials WHERE group_id = ? ORDER BY material_id")),
            priceListId: row.string(1) ?? "", stockLocations: locations, flows: .init(reach: row.string(3).flatMap(FlowReach.init(rawValue:)) ?? .own))
        return StoredPermissionGroup(group: group, version: row.int64(2))
    }

    /// Every permission group's id, name and version, by id; with `within`, only the groups with
    /// no member dealer of another branch (the ones that branch's manager administers).
    public func permissionGroups(within branch: String? = nil) throws(StoreError) -> [(groupId: String, name: String, version: Int64)] {
        let rows = if let branch {
            try db.query("""
                SELECT g.group_id, g.name, g.version FROM permission_groups g WHERE NOT EXISTS (
                    SELECT 1 FROM group_dealers m JOIN dealers d ON d.dealer_id = m.dealer_id WHERE m.group_id = g.group_id AND d.branch_id <> ?)
                ORDER BY g.group_id
                """, .text(branch))
        } else {
            try db.query("SELECT group_id, name, version FROM permission_groups ORDER BY group_id")
        }
        return rows.map { ($0.string(0) ?? "", $0.string(1) ?? "", $0.int64(2)) }
    }

    /// A warehouse as stored, with its version; nil when it is not known.
    public func warehouse(_ warehouseId: String) throws(StoreError) -> StoredWarehouse? {
        try db.first(Self.warehouseColumns + " WHERE warehouse_id = ?", .text(warehouseId)).map(Self.warehouse)
    }

    /// Every warehouse by id, or with `branch` only that branch's.
    public func warehouses(within branch: String? = nil) throws(StoreError) -> [StoredWarehouse] {
        let rows = if let branch {
            try db.query(Self.warehouseColumns + " WHERE branch_id = ? ORDER BY warehouse_id", .text(branch))
        } else {
            try db.query(Self.warehouseColumns + " ORDER BY warehouse_id")
        }
        return rows.map(Self.warehouse)
    }

    static let warehouseColumns = "SELECT warehouse_id, name, plant_id, branch_id, province, city, version FROM warehouses"

    static func warehouse(_ row: SQLRow) -> StoredWarehouse {
        StoredWarehouse(warehouseId: row.string(0) ?? "", name: row.string(1) ?? "", plantId: row.string(2) ?? "", branchId: row.string(3),
                        province: row.string(4), city: row.string(5), version: row.int64(6))
    }

    /// Which of `ids` exist in `table` (`dealers`, `materials`, `price_lists`, `warehouses`) by its key column.
    public func known(_ ids: [String], in table: MasterDataKind) throws(StoreError) -> Set<String> {
        var found = Set<String>()
        for start in stride(from: 0, to: ids.count, by: 500) {
            let part = Array(ids[start..<min(start + 500, ids.count)])
            for row in try db.query("SELECT \(table.key) FROM \(table.rawValue) WHERE \(table.key) IN (\(SQLText.placeholders(part.count)))", part.map(SQLValue.text)) {
                if let id = row.string(0) { found.insert(id) }
            }
        }
        return found
    }

    public func upsertMaterial(_ material: MaterialUpserted) throws(StoreError) {
        try TableWrites.upsert("materials", key: ["material_id"], columns: [
            "material_id": .text(material.materialId), "name": .text(material.name), "product_line": .text(material.productLine.rawValue),
            "status": .text(material.status), "product_line_code": .text(material.productLineCode), "category": .text(material.category),
            "grade": .text(material.grade), "package_value": .text(material.packageSize.value.text), "package_unit": .text(material.packageSize.unit),
            "unit_of_measure": .text(material.unitOfMeasure), "volume_l": SQLValue(material.volumeLitres?.text),
            "net_weight_kg": SQLValue(material.netWeightKg?.text),
        ], in: db)
        // No valuation data in the message: the costs held stay (a material master sent without its accounting view).
        if let valuations = material.valuations {
            try TableWrites.replace("material_valuations", key: "material_id", value: material.materialId,
                                    rows: valuations.map { [$0.plantId, $0.priceControl.rawValue, $0.unitCost.text, $0.currency] },
                                    columns: ["plant_id", "price_control", "unit_cost", "currency"], in: db)
        }
    }

    /// A material's litres and kilograms per unit and its cost per plant, as the ERP last sent them; nil when it is not known.
    public func materialFacts(_ materialId: String) throws(StoreError) -> MaterialFacts? {
        guard let row = try db.first("SELECT unit_of_measure, volume_l, net_weight_kg FROM materials WHERE material_id = ?", .text(materialId)) else { return nil }
        let valuations = try db.query("SELECT plant_id, price_control, unit_cost, currency FROM material_valuations WHERE material_id = ? ORDER BY plant_id",
                                      .text(materialId)).compactMap { row -> MaterialUpserted.Valuation? in
            guard let control = row.string(1).flatMap(MaterialUpserted.Valuation.PriceControl.init(rawValue:)),
                  let cost = row.string(2).flatMap(DecimalNumber.init) else { return nil }
            return .init(plantId: row.string(0) ?? "", priceControl: control, unitCost: cost, currency: row.string(3) ?? "CNY")
        }
        return MaterialFacts(materialId: materialId, unitOfMeasure: row.string(0) ?? "", volumeLitres: row.string(1).flatMap(DecimalNumber.init),
                             netWeightKg: row.string(2).flatMap(DecimalNumber.init), valuations: valuations)
    }

    /// The list and the prices it names; the list's other prices stay as they are.
    public func upsertPriceList(_ list: PriceListUpserted) throws(StoreError) {
        try TableWrites.upsert("price_lists", key: ["price_list_id"], columns: [
            "price_list_id": .text(list.priceListId), "currency": .text(list.currency), "valid_from": .text(list.validFrom.text),
            "valid_to": SQLValue(list.validTo?.text),
        ], in: db)
        for price in list.prices {
            try TableWrites.upsert("prices", key: ["price_list_id", "material_id"], columns: [
                "price_list_id": .text(list.priceListId), "material_id": .text(price.materialId), "unit_price": .text(price.unitPrice.text),
                "per": .text(price.per?.text ?? "1"),
            ], in: db)
        }
    }

    public func upsertWarehouse(_ warehouse: WarehouseUpserted) throws(StoreError) {
        try TableWrites.upsert("warehouses", key: ["warehouse_id"], columns: [
            "warehouse_id": .text(warehouse.warehouseId), "name": .text(warehouse.name), "plant_id": .text(warehouse.plantId),
            "branch_id": SQLValue(warehouse.branchId), "province": .text(warehouse.region.province), "city": SQLValue(warehouse.region.city),
        ], in: db)
        try db.execute("UPDATE warehouses SET version = version + 1 WHERE warehouse_id = ?", .text(warehouse.warehouseId))
    }

    /// A dealer's record; `nil` when it is not known.
    public func dealer(_ dealerId: String) throws(StoreError) -> DealerRecord? {
        try db.first("SELECT dealer_id, tier, parent_dealer_id, branch_id, status FROM dealers WHERE dealer_id = ?", .text(dealerId)).map {
            DealerRecord(dealerId: $0.string(0) ?? "", tier: DealerTier(rawValue: $0.string(1) ?? ""), parentDealerId: $0.string(2),
                         branchId: $0.string(3) ?? "", status: DealerStatus(rawValue: $0.string(4) ?? ""))
        }
    }

    /// Where a dealer is (its province and city); `nil` when it is not known.
    public func region(of dealerId: String) throws(StoreError) -> Region? {
        try db.first("SELECT province, city FROM dealers WHERE dealer_id = ?", .text(dealerId)).map { Region(province: $0.string(0) ?? "", city: $0.string(1)) }
    }

    /// What an announcement's or a survey's audience reads of a dealer (``Audience``); `nil` when it is not known.
    public func audienceMember(_ dealerId: String) throws(StoreError) -> Audience.Member? {
        guard let row = try db.first("SELECT branch_id, province, tier FROM dealers WHERE dealer_id = ?", .text(dealerId)) else { return nil }
        let lines = try db.query("SELECT product_line, customer_class FROM dealer_product_lines WHERE dealer_id = ? ORDER BY product_line", .text(dealerId)).map {
            DealerUpserted.ProductLineClass(productLine: ProductLine(rawValue: $0.string(0) ?? ""), customerClass: $0.string(1) ?? "")
        }
        return Audience.Member(dealerId: dealerId, branchId: row.string(0) ?? "", province: row.string(1) ?? "", tier: DealerTier(rawValue: row.string(2) ?? ""),
                               lines: lines, permissionGroups: Set(try PermissionGrants(db: db).groups(of: dealerId)))
    }
}

/// Which permission groups a dealer has (R2), as both the core's decisions and the catalogue reads see them.
struct PermissionGrants {
    let db: any SQLDatabase

    /// A dealer's groups come from both sides: the dealer's record and the group's record.
    func groups(of dealerId: String) throws(StoreError) -> [String] {
        try db.query("SELECT group_id FROM dealer_groups WHERE dealer_id = ?1 UNION SELECT group_id FROM group_dealers WHERE dealer_id = ?1 ORDER BY 1",
                     .text(dealerId)).compactMap { $0.string(0) }
    }

    /// `column IN (the materials the groups grant)`, with its binds; FALSE for no group.
    static func materials(of groups: [String], column: String) -> (sql: String, binds: [SQLValue]) {
        guard !groups.isEmpty else { return ("1 = 0", []) }
        let list = SQLText.placeholders(groups.count)
        return ("""
            (\(column) IN (SELECT material_id FROM group_materials WHERE group_id IN (\(list)))
             OR \(column) IN (SELECT material_id FROM materials WHERE product_line IN (SELECT product_line FROM group_product_lines WHERE group_id IN (\(list)))))
            """, groups.map(SQLValue.text) + groups.map(SQLValue.text))
    }

    /// `column IN (the group's dealers)`, from both sides (the dealers' records and the group's).
    static func members(of groupId: String, column: String) -> (sql: String, binds: [SQLValue]) {
        ("\(column) IN (SELECT dealer_id FROM group_dealers WHERE group_id = ? UNION SELECT dealer_id FROM dealer_groups WHERE group_id = ?)",
         [.text(groupId), .text(groupId)])
    }
}

/// The master-data tables an administrative edit may name.
public enum MasterDataKind: String, Sendable {
    case dealers, materials, priceLists = "price_lists", warehouses

    var key: String {
        switch self {
        case .dealers: "dealer_id"
        case .materials: "material_id"
        case .priceLists: "price_list_id"
        case .warehouses: "warehouse_id"
        }
    }
}

/// A permission group as the store holds it.
public struct StoredPermissionGroup: Sendable, Equatable {
    public var group: PermissionGroupUpserted
    public var version: Int64

    /// Its fields as the audit log shows them.
    public var auditFields: [String: String] {
        ["name": group.name, "dealerIds": group.dealerIds.joined(separator: ","), "productLines": group.catalogue.productLines.map(\.rawValue).joined(separator: ","),
         "materialIds": group.catalogue.materialIds.joined(separator: ","), "priceListId": group.priceListId,
         "stockLocations": group.stockLocations.map { $0.warehouseId + ($0.locationId.map { "/" + $0 } ?? "") }.joined(separator: ","),
         "flows": (group.flows?.reach ?? .own).rawValue]
    }
}

/// A warehouse as the store holds it.
public struct StoredWarehouse: Sendable, Equatable, Codable {
    public var warehouseId: String
    public var name: String
    public var plantId: String
    public var branchId: String?
    public var province: String?
    public var city: String?
    public var version: Int64

    public var auditFields: [String: String] {
        var fields = ["name": name, "plantId": plantId]
        if let branchId { fields["branchId"] = branchId }
        if let province { fields["province"] = province }
        if let city { fields["city"] = city }
        return fields
    }
}

/// What analytics need of a material beside its catalogue entry: how much product one unit holds
/// and what one unit costs the company at each plant.
public struct MaterialFacts: Sendable, Equatable {
    public var materialId: String
    public var unitOfMeasure: String
    public var volumeLitres: DecimalNumber?
    public var netWeightKg: DecimalNumber?
    public var valuations: [MaterialUpserted.Valuation]
}
