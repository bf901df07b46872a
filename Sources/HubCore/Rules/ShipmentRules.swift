import HubContracts
import HubDomain
import HubStore

/// Shipments and vehicles: the carrier, truck, driver and phone, dispatch, the carrier's ETA,
/// arrival, delivery and exceptions; which terminal is in which truck. A change to a shipment
/// republishes the view of every order it carries, and its dispatch and delivery move those orders.
enum ShipmentRules {
    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let shipments = context.tables.shipments
        let shipmentId: String
        switch context.event.data {
        case .vehicleRegistered(let registered):
            try context.tables.vehicles.upsert(registered)
            return .applied
        case .shipmentCreated(let created):
            shipmentId = created.shipmentId
            try shipments.upsert(created, at: context.now)
            if created.promisedDate == nil {
                // The ERP's delivery names no date: the earliest date the ERP promised for the orders it carries.
                try shipments.promiseEarliestOrderDate(shipmentId)
            }
        case .shipmentVehicleAssigned(let assigned):
            shipmentId = assigned.shipmentId
            guard let status = try shipments.status(of: shipmentId) else { return .unknownReference("shipment \(shipmentId)") }
            var change = ShipmentChange(status: status == .created ? .assigned : nil)
            change.vehicle = (assigned.vehicleId, assigned.plate, assigned.driverName, assigned.driverPhone)
            try shipments.update(shipmentId, change, at: context.now)
        case .shipmentDispatched(let dispatched):
            shipmentId = dispatched.shipmentId
            guard let status = try shipments.status(of: shipmentId) else { return .unknownReference("shipment \(shipmentId)") }
            var change = ShipmentChange(status: status == .created || status == .assigned ? .dispatched : nil)
            change.dispatchedAt = dispatched.dispatchedAt
            try shipments.update(shipmentId, change, at: context.now)
        case .shipmentEtaReported(let eta):
            shipmentId = eta.shipmentId
            guard try shipments.status(of: shipmentId) != nil else { return .unknownReference("shipment \(shipmentId)") }
            var change = ShipmentChange()
            if eta.reportedBy == .hub { change.eta = eta.eta } else { change.carrierEta = eta.eta }
            try shipments.update(shipmentId, change, at: context.now)
            try refreshLateFlag(shipmentId, shipments)
        case .shipmentArrived(let arrived):
            shipmentId = arrived.shipmentId
            guard let status = try shipments.status(of: shipmentId) else { return .unknownReference("shipment \(shipmentId)") }
            var change = ShipmentChange(status: status == .delivered ? nil : .arrived)
            change.arrivedAt = arrived.arrivedAt
            try shipments.update(shipmentId, change, at: context.now)
        case .shipmentDelivered(let delivered):
            shipmentId = delivered.shipmentId
            guard try shipments.status(of: shipmentId) != nil else { return .unknownReference("shipment \(shipmentId)") }
            var change = ShipmentChange(status: .delivered)
            change.deliveredAt = delivered.deliveredAt
            try shipments.update(shipmentId, change, at: context.now)
        case .shipmentException(let exception):
            shipmentId = exception.shipmentId
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
