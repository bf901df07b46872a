/// `inventory.moved` on `hub.inventory.movements`: a signed change of stock on hand.
public struct InventoryMoved: Sendable, Hashable, Codable {
    public var movementId: String
    public var warehouseId: String
    public var locationId: String?
    public var materialId: String
    public var quantity: DecimalNumber
    public var kind: MovementKind
    public var reference: String?

    public init(movementId: String, warehouseId: String, locationId: String? = nil, materialId: String, quantity: DecimalNumber, kind: MovementKind, reference: String? = nil) {
        self.movementId = movementId
        self.warehouseId = warehouseId
        self.locationId = locationId
        self.materialId = materialId
        self.quantity = quantity
        self.kind = kind
        self.reference = reference
    }
}

/// `stock.snapshot` on `hub.inventory.snapshots`: the ERP's stock of one material in one warehouse.
public struct StockSnapshot: Sendable, Hashable, Codable {
    public var warehouseId: String
    public var locationId: String?
    public var materialId: String
    public var onHand: DecimalNumber
    public var asOf: Timestamp

    public init(warehouseId: String, locationId: String? = nil, materialId: String, onHand: DecimalNumber, asOf: Timestamp) {
        self.warehouseId = warehouseId
        self.locationId = locationId
        self.materialId = materialId
        self.onHand = onHand
        self.asOf = asOf
    }
}

/// `dealer-stock.snapshot`: a tier-1 dealer's own stock, from its system.
public struct DealerStockSnapshot: Sendable, Hashable, Codable {
    public var dealerId: String
    public var materialId: String
    public var onHand: DecimalNumber
    public var asOf: Timestamp

    public init(dealerId: String, materialId: String, onHand: DecimalNumber, asOf: Timestamp) {
        self.dealerId = dealerId
        self.materialId = materialId
        self.onHand = onHand
        self.asOf = asOf
    }
}

/// `sell-through.recorded` on `hub.sell-through` (流向).
public struct SellThroughRecorded: Sendable, Hashable, Codable {
    public struct Customer: Sendable, Hashable, Codable {
        public var kind: CustomerKind
        public var id: String?
        public var region: Region

        public init(kind: CustomerKind, id: String? = nil, region: Region) {
            self.kind = kind
            self.id = id
            self.region = region
        }
    }
    public var recordId: String
    public var dealerId: String
    public var materialId: String
    public var quantity: DecimalNumber
    public var soldAt: Timestamp
    public var customer: Customer
    public var unitPrice: DecimalNumber?

    public init(recordId: String, dealerId: String, materialId: String, quantity: DecimalNumber, soldAt: Timestamp, customer: Customer, unitPrice: DecimalNumber? = nil) {
        self.recordId = recordId
        self.dealerId = dealerId
        self.materialId = materialId
        self.quantity = quantity
        self.soldAt = soldAt
        self.customer = customer
        self.unitPrice = unitPrice
    }
}

/// `service-record.created` on `hub.service-records`: oil that went into a vehicle at a quick-lube centre.
public struct ServiceRecordCreated: Sendable, Hashable, Codable {
    public struct Vehicle: Sendable, Hashable, Codable {
        public var plate: String?
        public var vin: String?

        public init(plate: String? = nil, vin: String? = nil) {
            self.plate = plate
            self.vin = vin
        }
    }
    public var recordId: String
    public var centreId: String
    public var vehicle: Vehicle
    public var materialId: String
    public var quantity: DecimalNumber
    public var servicedAt: Timestamp
    public var mileageKm: Int?

    public init(recordId: String, centreId: String, vehicle: Vehicle, materialId: String, quantity: DecimalNumber, servicedAt: Timestamp, mileageKm: Int? = nil) {
        self.recordId = recordId
        self.centreId = centreId
        self.vehicle = vehicle
        self.materialId = materialId
        self.quantity = quantity
        self.servicedAt = servicedAt
        self.mileageKm = mileageKm
    }
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

    public init(scanId: String, code: String, materialId: String? = nil, batch: String? = nil, result: ScanResult, place: Region, position: GeoPosition? = nil, scannedAt: Timestamp, soldToDealerId: String? = nil) {
        self.scanId = scanId
        self.code = code
        self.materialId = materialId
        self.batch = batch
        self.result = result
        self.place = place
        self.position = position
        self.scannedAt = scannedAt
        self.soldToDealerId = soldToDealerId
    }
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

    public init(code: String, scanId: String, reason: FlagReason, dealerId: String? = nil, dealerRegion: Region? = nil, scanRegion: Region, distanceKm: Double? = nil) {
        self.code = code
        self.scanId = scanId
        self.reason = reason
        self.dealerId = dealerId
        self.dealerRegion = dealerRegion
        self.scanRegion = scanRegion
        self.distanceKm = distanceKm
    }
}
