/// `dealer.upserted` on `hub.dealers`.
public struct DealerUpserted: Sendable, Hashable, Codable {
    public struct ProductLineClass: Sendable, Hashable, Codable {
        public var productLine: ProductLine
        public var customerClass: String
    }
    public var dealerId: String
    public var name: String
    public var tier: DealerTier
    public var parentDealerId: String?
    public var branchId: String
    public var region: Region
    public var salesRepId: String?
    public var productLines: [ProductLineClass]
    public var permissionGroupIds: [String]
    public var creditLimit: Money
    public var status: DealerStatus
}

/// `dealer.credit-limit-set` on `hub.dealers`.
public struct DealerCreditLimitSet: Sendable, Hashable, Codable {
    public var dealerId: String
    public var creditLimit: Money
    public var validFrom: CalendarDate?
    public var erpDocument: String?
}

/// `permission-group.upserted` on `hub.permission-groups` (R2).
public struct PermissionGroupUpserted: Sendable, Hashable, Codable {
    public struct Catalogue: Sendable, Hashable, Codable {
        public var productLines: [ProductLine]
        public var materialIds: [String]
    }
    public struct StockLocation: Sendable, Hashable, Codable {
        public var warehouseId: String
        public var locationId: String?
    }
    public var groupId: String
    public var name: String
    public var dealerIds: [String]
    public var catalogue: Catalogue
    public var priceListId: String
    public var stockLocations: [StockLocation]
}

/// `material.upserted` on `hub.materials`.
public struct MaterialUpserted: Sendable, Hashable, Codable {
    public struct PackageSize: Sendable, Hashable, Codable {
        public var value: DecimalNumber
        public var unit: String
    }
    public var materialId: String
    public var name: String
    public var productLine: ProductLine
    public var productLineCode: String
    public var category: String
    public var grade: String
    public var packageSize: PackageSize
    public var unitOfMeasure: String
    public var status: String
}

/// `price-list.upserted` on `hub.price-lists`.
public struct PriceListUpserted: Sendable, Hashable, Codable {
    public struct Price: Sendable, Hashable, Codable {
        public var materialId: String
        public var unitPrice: DecimalNumber
        /// The quantity the price is for (1 when absent).
        public var per: DecimalNumber?
    }
    public var priceListId: String
    public var customerGroup: String?
    public var currency: String
    public var validFrom: CalendarDate
    public var validTo: CalendarDate?
    public var prices: [Price]
}

/// `warehouse.upserted` on `hub.warehouses`.
public struct WarehouseUpserted: Sendable, Hashable, Codable {
    public struct StockLocation: Sendable, Hashable, Codable {
        public var locationId: String
        public var name: String
    }
    public var warehouseId: String
    public var name: String
    public var plantId: String
    public var branchId: String?
    public var region: Region
    public var position: GeoPosition?
    public var stockLocations: [StockLocation]
}
