public import HubContracts

/// Which carrier's a shipment or a vehicle is, and what a carrier's report may therefore change: a
/// carrier moves only its own shipments and reports only its own trucks. Pure decisions: each
/// returns why a report must not apply (the dead letter's reason), or `nil` when it may.
public enum CarrierOwnership {
    /// A shipment as it stands: whose it is and which orders it carries.
    public struct Shipment: Sendable, Equatable {
        public var carrierId: String
        public var orderIds: Set<String>

        public init(carrierId: String, orderIds: Set<String>) {
            self.carrierId = carrierId
            self.orderIds = orderIds
        }
    }

    /// A vehicle as registered: whose it is and its terminal.
    public struct Vehicle: Sendable, Equatable {
        public var vehicleId: String
        public var carrierId: String

        public init(vehicleId: String, carrierId: String) {
            self.vehicleId = vehicleId
            self.carrierId = carrierId
        }
    }

    /// A report by `reporter` (`nil`: the company or the hub, who may report on any shipment)
    /// about shipment `shipmentId`, which is `owner`'s.
    public static func report(by reporter: String?, on shipmentId: String, ownedBy owner: String) -> String? {
        guard let reporter, reporter != owner else { return nil }
        return "shipment \(shipmentId) is carrier \(owner)'s: carrier \(reporter) cannot report on it"
    }

    /// A `shipment.created`. `byCarrier`: a carrier's waybill (not the ERP's delivery). `existing`:
    /// the shipment when it is known already. `carriersOfOrder`: for each order it names, the
    /// carriers of the shipments that already carry it.
    public static func creation(_ created: ShipmentCreated, byCarrier: Bool, existing: Shipment?, carriersOfOrder: [String: Set<String>]) -> String? {
        if let existing {
            if existing.carrierId != created.carrierId {
                return "shipment \(created.shipmentId) is carrier \(existing.carrierId)'s: a shipment.created naming carrier \(created.carrierId) cannot take it over"
            }
            let added = Set(created.orderIds).subtracting(existing.orderIds).sorted()
            if !added.isEmpty {
                return "shipment \(created.shipmentId) carries \(existing.orderIds.sorted().joined(separator: ", ")): a shipment.created cannot link \(added.joined(separator: ", ")) to it"
            }
            return nil
        }
        guard byCarrier else { return nil }
        // A carrier's own waybill splits or completes what the company gave it: it may carry only
        // orders already on one of that carrier's shipments.
        let foreign = created.orderIds.filter { !(carriersOfOrder[$0] ?? []).contains(created.carrierId) }.sorted()
        guard foreign.isEmpty else {
            return "carrier \(created.carrierId) was not given order\(foreign.count == 1 ? "" : "s") \(foreign.joined(separator: ", ")) to carry (no shipment of its carries it): its waybill cannot link it"
        }
        return nil
    }

    /// A `vehicle.registered` by `registration.carrierId`. `vehicle`: whose the vehicle id is, when
    /// registered; `terminal`: the vehicle the terminal is in, when registered.
    public static func registration(_ registration: VehicleRegistered, vehicle: Vehicle?, terminal: Vehicle?) -> String? {
        if let vehicle, vehicle.carrierId != registration.carrierId {
            return "vehicle \(registration.vehicleId) is carrier \(vehicle.carrierId)'s: carrier \(registration.carrierId) cannot register it"
        }
        if let terminal, terminal.carrierId != registration.carrierId {
            return "terminal \(registration.terminalId) is in carrier \(terminal.carrierId)'s vehicle \(terminal.vehicleId): carrier \(registration.carrierId) cannot register it"
        }
        return nil
    }

    /// A vehicle named by `reporter` (assigned to a shipment, or reporting a fix), when it is
    /// registered as `vehicle`'s.
    public static func vehicle(_ vehicleId: String, by reporter: String?, registered vehicle: Vehicle?) -> String? {
        guard let reporter, let vehicle, vehicle.carrierId != reporter else { return nil }
        return "vehicle \(vehicleId) is carrier \(vehicle.carrierId)'s: carrier \(reporter) cannot report it"
    }
}
