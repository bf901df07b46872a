/// `shipment.created` on `hub.shipments`.
public struct ShipmentCreated: Sendable, Hashable, Codable {
    public struct Destination: Sendable, Hashable, Codable {
        public var dealerId: String
        public var region: Region
        public var position: GeoPosition?

        public init(dealerId: String, region: Region, position: GeoPosition? = nil) {
            self.dealerId = dealerId
            self.region = region
            self.position = position
        }
    }
    public var shipmentId: String
    public var carrierId: String
    public var orderIds: [String]
    public var deliveryNumber: String?
    public var originWarehouseId: String
    public var destination: Destination
    public var promisedDate: CalendarDate?

    public init(shipmentId: String, carrierId: String, orderIds: [String], deliveryNumber: String? = nil, originWarehouseId: String, destination: Destination, promisedDate: CalendarDate? = nil) {
        self.shipmentId = shipmentId
        self.carrierId = carrierId
        self.orderIds = orderIds
        self.deliveryNumber = deliveryNumber
        self.originWarehouseId = originWarehouseId
        self.destination = destination
        self.promisedDate = promisedDate
    }
}

/// `shipment.vehicle-assigned`: the truck and its driver (R7).
public struct ShipmentVehicleAssigned: Sendable, Hashable, Codable {
    public var shipmentId: String
    public var vehicleId: String
    public var plate: String
    public var driverName: String
    public var driverPhone: String

    /// The carrier that reported it (set by the carrier adapter); `nil` for what the company or the hub reports. The core applies it only to the carrier's own shipment.
    public var carrierId: String?

    public init(shipmentId: String, vehicleId: String, plate: String, driverName: String, driverPhone: String, carrierId: String? = nil) {
        self.carrierId = carrierId
        self.shipmentId = shipmentId
        self.vehicleId = vehicleId
        self.plate = plate
        self.driverName = driverName
        self.driverPhone = driverPhone
    }
}

/// `shipment.dispatched`.
public struct ShipmentDispatched: Sendable, Hashable, Codable {
    public var shipmentId: String
    public var dispatchedAt: Timestamp

    /// The carrier that reported it (set by the carrier adapter); `nil` for what the company or the hub reports. The core applies it only to the carrier's own shipment.
    public var carrierId: String?

    public init(shipmentId: String, dispatchedAt: Timestamp, carrierId: String? = nil) {
        self.carrierId = carrierId
        self.shipmentId = shipmentId
        self.dispatchedAt = dispatchedAt
    }
}

/// `shipment.eta-reported`.
public struct ShipmentEtaReported: Sendable, Hashable, Codable {
    public var shipmentId: String
    public var eta: Timestamp
    public var reportedBy: EstimateSource

    /// The carrier that reported it (set by the carrier adapter); `nil` for what the company or the hub reports. The core applies it only to the carrier's own shipment.
    public var carrierId: String?

    public init(shipmentId: String, eta: Timestamp, reportedBy: EstimateSource, carrierId: String? = nil) {
        self.carrierId = carrierId
        self.shipmentId = shipmentId
        self.eta = eta
        self.reportedBy = reportedBy
    }
}

/// `shipment.arrived`.
public struct ShipmentArrived: Sendable, Hashable, Codable {
    public var shipmentId: String
    public var arrivedAt: Timestamp

    /// The carrier that reported it (set by the carrier adapter); `nil` for what the company or the hub reports. The core applies it only to the carrier's own shipment.
    public var carrierId: String?

    public init(shipmentId: String, arrivedAt: Timestamp, carrierId: String? = nil) {
        self.carrierId = carrierId
        self.shipmentId = shipmentId
        self.arrivedAt = arrivedAt
    }
}

/// `shipment.delivered`.
public struct ShipmentDelivered: Sendable, Hashable, Codable {
    public var shipmentId: String
    public var deliveredAt: Timestamp
    public var signedBy: String?

    /// The carrier that reported it (set by the carrier adapter); `nil` for what the company or the hub reports. The core applies it only to the carrier's own shipment.
    public var carrierId: String?

    public init(shipmentId: String, deliveredAt: Timestamp, signedBy: String? = nil, carrierId: String? = nil) {
        self.carrierId = carrierId
        self.shipmentId = shipmentId
        self.deliveredAt = deliveredAt
        self.signedBy = signedBy
    }
}

/// `shipment.exception`.
public struct ShipmentException: Sendable, Hashable, Codable {
    public var shipmentId: String
    public var code: ShipmentExceptionCode
    public var description: String
    public var at: Timestamp

    /// The carrier that reported it (set by the carrier adapter); `nil` for what the company or the hub reports. The core applies it only to the carrier's own shipment.
    public var carrierId: String?

    public init(shipmentId: String, code: ShipmentExceptionCode, description: String, at: Timestamp, carrierId: String? = nil) {
        self.carrierId = carrierId
        self.shipmentId = shipmentId
        self.code = code
        self.description = description
        self.at = at
    }
}

/// `vehicle.registered` on `hub.vehicles`: which terminal is in which truck.
public struct VehicleRegistered: Sendable, Hashable, Codable {
    public var vehicleId: String
    public var carrierId: String
    public var plate: String
    /// The JT/T 808 terminal phone number.
    public var terminalId: String

    public init(vehicleId: String, carrierId: String, plate: String, terminalId: String) {
        self.vehicleId = vehicleId
        self.carrierId = carrierId
        self.plate = plate
        self.terminalId = terminalId
    }
}

/// `terminal.authorised` on `hub.terminal-credentials`: the JT/T 808 gateway registered a terminal
/// and gave it an authentication code, kept only as its SHA-256 (the code is 128 random bits, so
/// a plain hash is enough: nobody can guess it from the hash). The latest per terminal counts;
/// every gateway instance reads them all.
public struct TerminalAuthorised: Sendable, Hashable, Codable {
    public var terminalId: String
    public var vehicleId: String
    public var carrierId: String
    /// Lower-case hex.
    public var codeSha256: String

    public init(terminalId: String, vehicleId: String, carrierId: String, codeSha256: String) {
        self.terminalId = terminalId
        self.vehicleId = vehicleId
        self.carrierId = carrierId
        self.codeSha256 = codeSha256
    }
}

/// `vehicle.locate-requested` on `hub.terminal-commands`: a carrier's staff asked where a truck is
/// now. Every JT/T 808 gateway instance reads it; the one the truck's terminal is connected to
/// sends it a position query (0x8201), whose answer becomes a position like any other. A request
/// older than a minute when a gateway reads it is dropped (nobody waits for it any more).
public struct VehicleLocateRequested: Sendable, Hashable, Codable {
    public var vehicleId: String
    public var carrierId: String
    public var terminalId: String
    /// Who asked (the API caller's subject).
    public var requestedBy: String

    public init(vehicleId: String, carrierId: String, terminalId: String, requestedBy: String) {
        self.vehicleId = vehicleId
        self.carrierId = carrierId
        self.terminalId = terminalId
        self.requestedBy = requestedBy
    }
}

/// `terminal.connected` on `hub.terminal-sessions`: a terminal authenticated on a gateway instance
/// (a new session of the same terminal replaces the one before).
public struct TerminalConnected: Sendable, Hashable, Codable {
    /// The number without leading zeros.
    public var terminalId: String
    public var vehicleId: String
    public var carrierId: String
    /// Unique per connection: `<gateway>:<gateway start, ms>:<connection>`.
    public var sessionId: String
    /// The gateway instance's name (`gateway.jt808.name`, default host:port).
    public var gateway: String
    /// The terminal's address as the gateway saw it.
    public var address: String
    /// "2013" or "2019" (the header version it spoke).
    public var protocolVersion: String

    public init(terminalId: String, vehicleId: String, carrierId: String, sessionId: String, gateway: String, address: String, protocolVersion: String) {
        self.terminalId = terminalId
        self.vehicleId = vehicleId
        self.carrierId = carrierId
        self.sessionId = sessionId
        self.gateway = gateway
        self.address = address
        self.protocolVersion = protocolVersion
    }
}

/// `terminal.disconnected` on `hub.terminal-sessions`: that session ended (logout, idle, garbage,
/// replaced, closed by the terminal or the gateway). Only the session it names ends.
public struct TerminalDisconnected: Sendable, Hashable, Codable {
    public var terminalId: String
    public var vehicleId: String
    public var carrierId: String
    public var sessionId: String
    public var gateway: String
    public var reason: String

    public init(terminalId: String, vehicleId: String, carrierId: String, sessionId: String, gateway: String, reason: String) {
        self.terminalId = terminalId
        self.vehicleId = vehicleId
        self.carrierId = carrierId
        self.sessionId = sessionId
        self.gateway = gateway
        self.reason = reason
    }
}

/// `gateway.started` on `hub.terminal-sessions`: a gateway instance (re)started, so every session
/// it held before (a crash leaves them open) has ended.
public struct GatewayStarted: Sendable, Hashable, Codable {
    public var gateway: String

    public init(gateway: String) {
        self.gateway = gateway
    }
}

/// `vehicle.position` on `hub.vehicles.positions`.
public struct VehicleFix: Sendable, Hashable, Codable {
    public var vehicleId: String
    public var fixAt: Timestamp
    public var lat: Double
    public var lon: Double
    public var speedKmh: Double
    public var heading: Int
    public var altitudeM: Int?
    public var alarmFlags: UInt32?
    public var statusFlags: UInt32?
    public var source: PositionSource

    /// The carrier whose truck it is, as the carrier adapter knows it (the JSON event's carrier, or the carrier that registered the terminal); the core refuses a fix for another carrier's vehicle.
    public var carrierId: String?

    public init(
        vehicleId: String, fixAt: Timestamp, lat: Double, lon: Double, speedKmh: Double, heading: Int, altitudeM: Int? = nil,
        alarmFlags: UInt32? = nil, statusFlags: UInt32? = nil, source: PositionSource, carrierId: String? = nil
    ) {
        self.carrierId = carrierId
        self.vehicleId = vehicleId
        self.fixAt = fixAt
        self.lat = lat
        self.lon = lon
        self.speedKmh = speedKmh
        self.heading = heading
        self.altitudeM = altitudeM
        self.alarmFlags = alarmFlags
        self.statusFlags = statusFlags
        self.source = source
    }
}
