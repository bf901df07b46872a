import HubContracts
import HubStore
import Foundation

/// Shipments and vehicles: the carrier, truck, driver and phone, dispatch, the carrier's ETA,
/// arrival, delivery and exceptions; which terminal is in which truck. A change to a shipment
/// republishes the view of every order it carries, and its dispatch and delivery move those orders.
enum ShipmentRules {
    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let db = context.db
        let now = context.now.text
        let shipmentId: String
        switch context.event.data {
        case let registered as VehicleRegistered:
            try MasterDataTables.upsert("vehicles", key: ["vehicle_id"], columns: [
                "vehicle_id": .text(registered.vehicleId), "carrier_id": .text(registered.carrierId), "plate": .text(registered.plate),
                "terminal_id": .text(registered.terminalId),
            ], in: db)
            return .applied
        case let created as ShipmentCreated:
            shipmentId = created.shipmentId
            try db.execute("""
                INSERT INTO shipments (shipment_id, carrier_id, delivery_number, origin_warehouse_id, destination_dealer_id, destination_lat,
                                       destination_lon, promised_date, status, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'created', ?)
                ON CONFLICT (shipment_id) DO UPDATE SET carrier_id = excluded.carrier_id, delivery_number = excluded.delivery_number,
                    origin_warehouse_id = excluded.origin_warehouse_id, destination_dealer_id = excluded.destination_dealer_id,
                    destination_lat = excluded.destination_lat, destination_lon = excluded.destination_lon, promised_date = excluded.promised_date
                """, .text(created.shipmentId), .text(created.carrierId), SQLValue(created.deliveryNumber), .text(created.originWarehouseId),
                .text(created.destination.dealerId), created.destination.position.map { .real($0.lat) } ?? .null,
                created.destination.position.map { .real($0.lon) } ?? .null, SQLValue(created.promisedDate?.text), .text(now))
            for orderId in created.orderIds {
                try db.execute("INSERT INTO order_shipments (order_id, shipment_id) VALUES (?, ?) ON CONFLICT DO NOTHING", .text(orderId), .text(shipmentId))
            }
            if created.promisedDate == nil {
                // The ERP's delivery names no date: the earliest date the ERP promised for the orders it carries.
                try db.execute("""
                    UPDATE shipments SET promised_date = (SELECT MIN(o.promised_date) FROM orders o JOIN order_shipments s ON s.order_id = o.order_id
                                                          WHERE s.shipment_id = ?1)
                    WHERE shipment_id = ?1
                    """, .text(shipmentId))
            }
        case let assigned as ShipmentVehicleAssigned:
            shipmentId = assigned.shipmentId
            guard try update(shipmentId, set: "vehicle_id = ?, plate = ?, driver_name = ?, driver_phone = ?, status = CASE WHEN status = 'created' THEN 'assigned' ELSE status END",
                             [.text(assigned.vehicleId), .text(assigned.plate), .text(assigned.driverName), .text(assigned.driverPhone)], context) else {
                return .unknownReference("shipment \(shipmentId)")
            }
        case let dispatched as ShipmentDispatched:
            shipmentId = dispatched.shipmentId
            guard try update(shipmentId, set: "dispatched_at = ?, status = CASE WHEN status IN ('created', 'assigned') THEN 'dispatched' ELSE status END",
                             [.text(dispatched.dispatchedAt.text)], context) else { return .unknownReference("shipment \(shipmentId)") }
        case let eta as ShipmentEtaReported:
            shipmentId = eta.shipmentId
            let column = eta.reportedBy == .hub ? "eta" : "carrier_eta"
            guard try update(shipmentId, set: "\(column) = ?", [.text(eta.eta.text)], context) else { return .unknownReference("shipment \(shipmentId)") }
            try refreshLateFlag(shipmentId, in: db)
        case let arrived as ShipmentArrived:
            shipmentId = arrived.shipmentId
            guard try update(shipmentId, set: "arrived_at = ?, status = CASE WHEN status = 'delivered' THEN status ELSE 'arrived' END",
                             [.text(arrived.arrivedAt.text)], context) else { return .unknownReference("shipment \(shipmentId)") }
        case let delivered as ShipmentDelivered:
            shipmentId = delivered.shipmentId
            guard try update(shipmentId, set: "delivered_at = ?, status = 'delivered'", [.text(delivered.deliveredAt.text)], context) else {
                return .unknownReference("shipment \(shipmentId)")
            }
        case let exception as ShipmentException:
            shipmentId = exception.shipmentId
            guard try update(shipmentId, set: "exception = ?", [.text("\(exception.code.rawValue): \(exception.description)")], context) else {
                return .unknownReference("shipment \(shipmentId)")
            }
        default:
            return .notHandled
        }
        try publishViews(ofOrdersOn: shipmentId, context)
        return .applied
    }

    /// Updates one shipment; `false` when it does not exist (yet).
    private static func update(_ shipmentId: String, set assignments: String, _ values: [SQLValue], _ context: RuleContext) throws(StoreError) -> Bool {
        try context.db.execute("UPDATE shipments SET \(assignments), updated_at = ? WHERE shipment_id = ?",
                               values + [.text(context.now.text), .text(shipmentId)]) > 0
    }

    /// A shipment is late when its ETA (ours, else the carrier's) passes the end of the promised day.
    static func refreshLateFlag(_ shipmentId: String, in db: any SQLDatabase) throws(StoreError) {
        guard let row = try db.first("SELECT eta, carrier_eta, promised_date, status FROM shipments WHERE shipment_id = ?", .text(shipmentId)) else { return }
        let eta = (row.string(0) ?? row.string(1)).flatMap(Timestamp.init(parsing:))
        let late = EtaEstimator.isLate(eta: eta, promisedDate: row.string(2).flatMap(CalendarDate.init), status: ShipmentStatus(rawValue: row.string(3) ?? ""))
        try db.execute("UPDATE shipments SET late = ? WHERE shipment_id = ?", .integer(late ? 1 : 0), .text(shipmentId))
    }

    static func publishViews(ofOrdersOn shipmentId: String, _ context: RuleContext) throws(StoreError) {
        let orders = try context.db.query("SELECT order_id FROM order_shipments WHERE shipment_id = ? ORDER BY order_id", .text(shipmentId)).compactMap { $0.string(0) }
        for orderId in orders {
            if try OrderRules.followShipments(orderId, context) { continue }  // moved, with its view
            let changed = try context.db.execute("UPDATE orders SET version = version + 1, updated_at = ? WHERE order_id = ?", .text(context.now.text), .text(orderId))
            if changed > 0 { try OrderRules.publishView(orderId, context) }
        }
    }
}
