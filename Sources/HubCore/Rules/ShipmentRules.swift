import HubContracts
import HubDomain
import HubStore

/// Shipments and vehicles: the carrier, truck, driver and phone, dispatch, the carrier's ETA,
/// arrival, delivery and exceptions; which terminal is in which truck. A change to a shipment
/// republishes the view of every order it carries, and its dispatch and delivery move those orders.
/// A carrier's report applies only to its own shipments and vehicles (``CarrierOwnership``): any
/// other is refused, the reason in its dead letter.
enum ShipmentRules {
    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let shipments = context.tables.shipments
        let shipmentId: String
        switch context.event.data {
        case .vehicleRegistered(let registered):
            let vehicles = context.tables.vehicles
            let vehicle = try vehicles.owner(of: registered.vehicleId).map { CarrierOwnership.Vehicle(vehicleId: registered.vehicleId, carrierId: $0) }
            let terminal = try vehicles.holder(ofTerminal: registered.terminalId).flatMap {
                $0.vehicleId == registered.vehicleId ? nil : CarrierOwnership.Vehicle(vehicleId: $0.vehicleId, carrierId: $0.carrierId)
            }
            if let refusal = CarrierOwnership.registration(registered, vehicle: vehicle, terminal: terminal) { return .refused(refusal) }
            try vehicles.upsert(registered)
            return .applied
        case .shipmentCreated(let created):
            shipmentId = created.shipmentId
            var existing: CarrierOwnership.Shipment?
            if let carrier = try shipments.carrier(of: shipmentId) {
                existing = CarrierOwnership.Shipment(carrierId: carrier, orderIds: Set(try shipments.orders(on: shipmentId)))
            }
            let byCarrier = context.event.source == EventProducer.carrierAdapter
            let carriers = byCarrier && existing == nil ? try shipments.carriers(ofOrders: created.orderIds) : [:]
            if let refusal = CarrierOwnership.creation(created, byCarrier: byCarrier, existing: existing, carriersOfOrder: carriers) { return .refused(refusal) }
            try shipments.upsert(created, at: context.now)
            if created.promisedDate == nil {
                // The ERP's delivery names no date: the earliest date the ERP promised for the orders it carries.
                try shipments.promiseEarliestOrderDate(shipmentId)
            }
        case .shipmentVehicleAssigned(let assigned):
            shipmentId = assigned.shipmentId
            if let refused = try ownership(of: shipmentId, reportedBy: assigned.carrierId, shipments) { return refused }
            let vehicle = try context.tables.vehicles.owner(of: assigned.vehicleId).map { CarrierOwnership.Vehicle(vehicleId: assigned.vehicleId, carrierId: $0) }
            if let refusal = CarrierOwnership.vehicle(assigned.vehicleId, by: assigned.carrierId, registered: vehicle) { return .refused(refusal) }
            guard let status = try shipments.status(of: shipmentId) else { return .unknownReference("shipment \(shipmentId)") }
            var change = ShipmentChange(status: status == .created ? .assigned : nil)
            change.vehicle = (assigned.vehicleId, assigned.plate, assigned.driverName, assigned.driverPhone)
            try shipments.update(shipmentId, change, at: context.now)
        case .shipmentDispatched(let dispatched):
            shipmentId = dispatched.shipmentId
            if let refused = try ownership(of: shipmentId, reportedBy: dispatched.carrierId, shipments) { return refused }
            guard let status = try shipments.status(of: shipmentId) else { return .unknownReference("shipment \(shipmentId)") }
            var change = ShipmentChange(status: status == .created || status == .assigned ? .dispatched : nil)
            change.dispatchedAt = dispatched.dispatchedAt
            try shipments.update(shipmentId, change, at: context.now)
        case .shipmentEtaReported(let eta):
            shipmentId = eta.shipmentId
            if let refused = try ownership(of: shipmentId, reportedBy: eta.carrierId, shipments) { return refused }
            guard try shipments.status(of: shipmentId) != nil else { return .unknownReference("shipment \(shipmentId)") }
            var change = ShipmentChange()
            if eta.reportedBy == .hub { change.eta = eta.eta } else { change.carrierEta = eta.eta }
            try shipments.update(shipmentId, change, at: context.now)
            try refreshLateFlag(shipmentId, shipments)
        case .shipmentArrived(let arrived):
            shipmentId = arrived.shipmentId
            if let refused = try ownership(of: shipmentId, reportedBy: arrived.carrierId, shipments) { return refused }
            guard let status = try shipments.status(of: shipmentId) else { return .unknownReference("shipment \(shipmentId)") }
            var change = ShipmentChange(status: status == .delivered ? nil : .arrived)
            change.arrivedAt = arrived.arrivedAt
            try shipments.update(shipmentId, change, at: context.now)
        case .shipmentDelivered(let delivered):
            shipmentId = delivered.shipmentId
            if let refused = try ownership(of: shipmentId, reportedBy: delivered.carrierId, shipments) { return refused }
            guard try shipments.status(of: shipmentId) != nil else { return .unknownReference("shipment \(shipmentId)") }
            var change = ShipmentChange(status: .delivered)
            change.deliveredAt = delivered.deliveredAt
            try shipments.update(shipmentId, change, at: context.now)
        case .shipmentException(let exception):
            shipmentId = exception.shipmentId
            if let refused = try ownership(of: shipmentId, reportedBy: exception.carrierId, shipments) { return refused }
            guard try shipments.status(of: shipmentId) != nil else { return .unknownReference("shipment \(shipmentId)") }
            var change = ShipmentChange()
            change.exception = "\(exception.code.rawValue): \(exception.description)"
            try shipments.update(shipmentId, change, at: context.now)
        default:
            return .notHandled
        }
        try publishViews(ofOrdersOn: shipmentId, context)
        return .applied
    }

    /// The shipment a shipment event is about.
    static func shipmentId(of data: EventData) -> String? {
        switch data {
        case .shipmentCreated(let created): created.shipmentId
        case .shipmentVehicleAssigned(let assigned): assigned.shipmentId
        case .shipmentDispatched(let dispatched): dispatched.shipmentId
        case .shipmentEtaReported(let eta): eta.shipmentId
        case .shipmentArrived(let arrived): arrived.shipmentId
        case .shipmentDelivered(let delivered): delivered.shipmentId
        case .shipmentException(let exception): exception.shipmentId
        default: nil
        }
    }

    /// `nil` when `reporter` may report on the shipment (it is theirs, or the company or the hub
    /// reports); else what to do with the event: hold it while the shipment is unknown, refuse it
    /// when it is another carrier's.
    static func ownership(of shipmentId: String, reportedBy reporter: String?, _ shipments: ShipmentTable) throws(StoreError) -> ApplyOutcome? {
        guard let owner = try shipments.carrier(of: shipmentId) else { return .unknownReference("shipment \(shipmentId)") }
        return CarrierOwnership.report(by: reporter, on: shipmentId, ownedBy: owner).map(ApplyOutcome.refused)
    }

    /// A shipment is late when its ETA (ours, else the carrier's) passes the end of the promised
    /// day; whether it is late now.
    @discardableResult
    static func refreshLateFlag(_ shipmentId: String, _ shipments: ShipmentTable) throws(StoreError) -> Bool {
        guard let promise = try shipments.promise(of: shipmentId) else { return false }
        let late = EtaEstimator.isLate(eta: promise.eta ?? promise.carrierEta, promisedDate: promise.promisedDate, status: promise.status)
        if late != promise.late { try shipments.setLate(shipmentId, late) }
        return late
    }

    static func publishViews(ofOrdersOn shipmentId: String, _ context: RuleContext) throws(StoreError) {
        for orderId in try context.tables.shipments.orders(on: shipmentId) {
            if try OrderRules.followShipments(orderId, context) { continue }  // moved, with its view
            if try context.tables.orders.touch(orderId, at: context.now) { try OrderRules.publishView(orderId, context) }
        }
    }
}
