/// `dealer.upserted` on `hub.dealers`.
public struct DealerUpserted: Sendable, Hashable, Codable {
    public struct ProductLineClass: Sendable, Hashable, Codable {
        public var productLine: ProductLine
        public var customerClass: String

        public init(productLine: ProductLine, customerClass: String) {
            self.productLine = productLine
            self.customerClass = customerClass
        }
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
    /// Absent when the source does not know it (the ERP's customer master): the current limit stays,
    /// and a new dealer has none (0) until `dealer.credit-limit-set`.
    public var creditLimit: Money?
    public var status: DealerStatus

    public init(dealerId: String, name: String, tier: DealerTier, parentDealerId: String? = nil, branchId: String, region: Region, salesRepId: String? = nil, productLines: [ProductLineClass], permissionGroupIds: [String], creditLimit: Money? = nil, status: DealerStatus) {
        self.dealerId = dealerId
        self.name = name
        self.tier = tier
        self.parentDealerId = parentDealerId
        self.branchId = branchId
        self.region = region
        self.salesRepId = salesRepId
        self.productLines = productLines
        self.permissionGroupIds = permissionGroupIds
        self.creditLimit = creditLimit
        self.status = status
    }
}

/// `dealer.credit-limit-set` on `hub.dealers`.
public struct DealerCreditLimitSet: Sendable, Hashable, Codable {
    public var dealerId: String
    public var creditLimit: Money
    public var validFrom: CalendarDate?
    public var erpDocument: String?

    public init(dealerId: String, creditLimit: Money, validFrom: CalendarDate? = nil, erpDocument: String? = nil) {
        self.dealerId = dealerId
        self.creditLimit = creditLimit
        self.validFrom = validFrom
        self.erpDocument = erpDocument
    }
}

/// `dealer.risk-reviewed` on `hub.dealers` (issue 30): branch staff's decision on a dealer the data
/// flagged as risky — no action, a warning, a credit hold or a block — or the release of a hold or
/// block. A held or blocked dealer's new orders are refused with the reason (`dealer-held`,
/// `dealer-blocked`) until it is released; a warning only records the decision.
public struct DealerRiskReviewed: Sendable, Hashable, Codable {
    public var reviewId: String
    public var dealerId: String
    public var outcome: RiskOutcome
    /// Why, in the staff's words: what the dealer is shown when its orders are refused.
    public var reason: String
    /// The flags the reviewer saw (`cross-region`, `counterfeit`, `cancellations`, `overdue-invoices`).
    public var flags: [String]
    public var reviewedBy: String
    public var reviewedAt: Timestamp

    public init(reviewId: String, dealerId: String, outcome: RiskOutcome, reason: String, flags: [String], reviewedBy: String, reviewedAt: Timestamp) {
        (self.reviewId, self.dealerId, self.outcome, self.reason, self.flags, self.reviewedBy, self.reviewedAt) =
            (reviewId, dealerId, outcome, reason, flags, reviewedBy, reviewedAt)
    }
}

/// `permission-group.upserted` on `hub.permission-groups` (R2).
public struct PermissionGroupUpserted: Sendable, Hashable, Codable {
    public struct Catalogue: Sendable, Hashable, Codable {
        public var productLines: [ProductLine]
        public var materialIds: [String]

        public init(productLines: [ProductLine], materialIds: [String]) {
            self.productLines = productLines
            self.materialIds = materialIds
        }
    }
    public struct StockLocation: Sendable, Hashable, Codable {
        public var warehouseId: String
        public var locationId: String?

        public init(warehouseId: String, locationId: String? = nil) {
            self.warehouseId = warehouseId
            self.locationId = locationId
        }
    }
    /// Which sell-through records (流向) the group's members see besides their own.
    public struct Flows: Sendable, Hashable, Codable {
        public var reach: FlowReach

        public init(reach: FlowReach) {
            self.reach = reach
        }
    }
    public var groupId: String
    public var name: String
    public var dealerIds: [String]
    public var catalogue: Catalogue
    public var priceListId: String
    public var stockLocations: [StockLocation]
    /// Absent: the group's flows stay as they are (`own` for a new group) — the ERP's groups do
    /// not carry them.
    public var flows: Flows?
    /// The user who changed it through the hub's API; nil from the ERP.
    public var changedBy: String?

    public init(groupId: String, name: String, dealerIds: [String], catalogue: Catalogue, priceListId: String, stockLocations: [StockLocation],
                flows: Flows? = nil, changedBy: String? = nil) {
        self.groupId = groupId
        self.name = name
        self.dealerIds = dealerIds
        self.catalogue = catalogue
        self.priceListId = priceListId
        self.stockLocations = stockLocations
        self.flows = flows
        self.changedBy = changedBy
    }
}

/// Whose sell-through records (流向) a permission group's members see. Every dealer sees its own;
/// a wider reach adds other dealers' records of the materials in the group's catalogue.
public enum FlowReach: String, Sendable, Hashable, Codable, CaseIterable {
    /// Only a member's own records.
    case own
    /// Also the records of a member's own tier-2 dealers: where the goods it sold them went next.
    case ownAndTier2 = "own-and-tier2"
    /// Also the records of every other member of the group.
    case group
}

/// `material.upserted` on `hub.materials`.
public struct MaterialUpserted: Sendable, Hashable, Codable {
    public struct PackageSize: Sendable, Hashable, Codable {
        public var value: DecimalNumber
        public var unit: String

        public init(value: DecimalNumber, unit: String) {
            self.value = value
            self.unit = unit
        }
    }
    /// What one unit of the material costs the company at a plant (SAP's valuation data): the
    /// standard price or the moving average price, whichever the plant's price control uses, per
    /// one unit of measure.
    public struct Valuation: Sendable, Hashable, Codable {
        public enum PriceControl: String, Sendable, Hashable, Codable {
            case standard
            case movingAverage = "moving-average"
        }
        public var plantId: String
        public var priceControl: PriceControl
        public var unitCost: DecimalNumber
        public var currency: String

        public init(plantId: String, priceControl: PriceControl, unitCost: DecimalNumber, currency: String = "CNY") {
            self.plantId = plantId
            self.priceControl = priceControl
            self.unitCost = unitCost
            self.currency = currency
        }
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
    /// Litres of product in one unit of measure (a 4 L can: 4), so volumes of different packages add up; nil when unknown.
    public var volumeLitres: DecimalNumber?
    /// Net kilograms in one unit of measure; nil when unknown.
    public var netWeightKg: DecimalNumber?
    /// Its cost per plant; nil when the ERP sent no valuation data (what the hub holds stays).
    public var valuations: [Valuation]?

    public init(materialId: String, name: String, productLine: ProductLine, productLineCode: String, category: String, grade: String, packageSize: PackageSize,
                unitOfMeasure: String, status: String, volumeLitres: DecimalNumber? = nil, netWeightKg: DecimalNumber? = nil, valuations: [Valuation]? = nil) {
        self.materialId = materialId
        self.name = name
        self.productLine = productLine
        self.productLineCode = productLineCode
        self.category = category
        self.grade = grade
        self.packageSize = packageSize
        self.unitOfMeasure = unitOfMeasure
        self.status = status
        self.volumeLitres = volumeLitres
        self.netWeightKg = netWeightKg
        self.valuations = valuations
    }
}

/// `price-list.upserted` on `hub.price-lists`.
public struct PriceListUpserted: Sendable, Hashable, Codable {
    public struct Price: Sendable, Hashable, Codable {
        public var materialId: String
        public var unitPrice: DecimalNumber
        /// The quantity the price is for (1 when absent).
        public var per: DecimalNumber?

        public init(materialId: String, unitPrice: DecimalNumber, per: DecimalNumber? = nil) {
            self.materialId = materialId
            self.unitPrice = unitPrice
            self.per = per
        }
    }
    public var priceListId: String
    public var customerGroup: String?
    public var currency: String
    public var validFrom: CalendarDate
    public var validTo: CalendarDate?
    public var prices: [Price]

    public init(priceListId: String, customerGroup: String? = nil, currency: String, validFrom: CalendarDate, validTo: CalendarDate? = nil, prices: [Price]) {
        self.priceListId = priceListId
        self.customerGroup = customerGroup
        self.currency = currency
        self.validFrom = validFrom
        self.validTo = validTo
        self.prices = prices
    }
}

/// `warehouse.upserted` on `hub.warehouses`.
public struct WarehouseUpserted: Sendable, Hashable, Codable {
    public struct StockLocation: Sendable, Hashable, Codable {
        public var locationId: String
        public var name: String

        public init(locationId: String, name: String) {
            self.locationId = locationId
            self.name = name
        }
    }
    public var warehouseId: String
    public var name: String
    public var plantId: String
    public var branchId: String?
    public var region: Region
    public var position: GeoPosition?
    public var stockLocations: [StockLocation]
    /// The user who changed it through the hub's API; nil from the ERP.
    public var changedBy: String?

    public init(warehouseId: String, name: String, plantId: String, branchId: String? = nil, region: Region, position: GeoPosition? = nil, stockLocations: [StockLocation],
                changedBy: String? = nil) {
        self.warehouseId = warehouseId
        self.name = name
        self.plantId = plantId
        self.branchId = branchId
        self.region = region
        self.position = position
        self.stockLocations = stockLocations
        self.changedBy = changedBy
    }
}
