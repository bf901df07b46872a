/// `inventory.moved` on `hub.inventory.movements`: a signed change of stock on hand.
public struct InventoryMoved: Sendable, Hashable, Codable {
    public var movementId: String
    public var warehouseId: String
    public var locationId: String?
    public var materialId: String
    public var quantity: DecimalNumber
    public var kind: MovementKind
    public var reference: String?
}

/// `stock.snapshot` on `hub.inventory.snapshots`: the ERP's stock of one material in one warehouse.
public struct StockSnapshot: Sendable, Hashable, Codable {
    public var warehouseId: String
    public var locationId: String?
    public var materialId: String
    public var onHand: DecimalNumber
    public var asOf: Timestamp
}

/// `dealer-stock.snapshot`: a tier-1 dealer's own stock, from its system.
public struct DealerStockSnapshot: Sendable, Hashable, Codable {
    public var dealerId: String
    public var materialId: String
    public var onHand: DecimalNumber
    public var asOf: Timestamp
}

/// `sell-through.recorded` on `hub.sell-through` (流向).
public struct SellThroughRecorded: Sendable, Hashable, Codable {
    public struct Customer: Sendable, Hashable, Codable {
        public var kind: CustomerKind
        public var id: String?
        public var region: Region
    }
    public var recordId: String
    public var dealerId: String
    public var materialId: String
    public var quantity: DecimalNumber
    public var soldAt: Timestamp
    public var customer: Customer
    public var unitPrice: DecimalNumber?
}

/// `service-record.created` on `hub.service-records`: oil that went into a vehicle at a quick-lube centre.
public struct ServiceRecordCreated: Sendable, Hashable, Codable {
    public struct Vehicle: Sendable, Hashable, Codable {
        public var plate: String?
        public var vin: String?
    }
    public var recordId: String
    public var centreId: String
    public var vehicle: Vehicle
    public var materialId: String
    public var quantity: DecimalNumber
    public var servicedAt: Timestamp
    public var mileageKm: Int?
}

/// `authenticity.scanned` on `hub.authenticity`.
public struct AuthenticityScanned: Sendable, Hashable, Codable {
    public var scanId: String
    public var code: String
    public var materialId: String?
    public var batch: String?
    public var result: ScanResult
    public var place: Region
    public var position: GeoPosition?
    public var scannedAt: Timestamp
    public var soldToDealerId: String?
}

/// `authenticity.flagged`: a counterfeit, or a genuine code far from its dealer's region.
public struct AuthenticityFlagged: Sendable, Hashable, Codable {
    public var code: String
    public var scanId: String
    public var reason: FlagReason
    public var dealerId: String?
    public var dealerRegion: Region?
    public var scanRegion: Region
    public var distanceKm: Double?
}
