public import HubContracts

/// What a shipment event changes of a shipment; `nil` leaves a field as it is.
public struct ShipmentChange: Sendable {
    public var status: ShipmentStatus?
    public var vehicle: (vehicleId: String, plate: String, driverName: String, driverPhone: String)?
    public var dispatchedAt: Timestamp?
    public var eta: Timestamp?
    public var carrierEta: Timestamp?
    public var arrivedAt: Timestamp?
    public var deliveredAt: Timestamp?
    public var exception: String?

    public init(status: ShipmentStatus? = nil) {
        self.status = status
    }
}

/// A shipment's milestones, as an order follows them.
public struct ShipmentMilestones: Sendable, Equatable {
    public var shipmentId: String
    public var status: ShipmentStatus
    public var dispatchedAt: Timestamp?
    public var deliveredAt: Timestamp?
    public var arrivedAt: Timestamp?
}

/// What deciding whether a shipment is late needs.
public struct ShipmentPromise: Sendable, Equatable {
    public var eta: Timestamp?
    public var carrierEta: Timestamp?
    public var promisedDate: CalendarDate?
    public var status: ShipmentStatus
    public var late: Bool
}

/// Shipments (carrier, truck, driver, phone, milestones, ETAs, lateness) and which orders each carries.
public struct ShipmentTable {
    let db: any SQLDatabase

    /// Records a shipment the ERP's delivery created (or what a repeat says of it) and the orders it carries.
    public func upsert(_ created: ShipmentCreated, at now: Timestamp) throws(StoreError) {
        try db.execute("""
            INSERT INTO shipments (shipment_id, carrier_id, delivery_number, origin_warehouse_id, destination_dealer_id, destination_lat,
                                   destination_lon, promised_date, status, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'created', ?)
            ON CONFLICT (shipment_id) DO UPDATE SET carrier_id = excluded.carrier_id, delivery_number = excluded.delivery_number,
                origin_warehouse_id = excluded.origin_warehouse_id, destination_dealer_id = excluded.destination_dealer_id,
                destination_lat = excluded.destination_lat, destination_lon = excluded.destination_lon, promised_date = excluded.promised_date
            """, .text(created.shipmentId), .text(created.carrierId), SQLValue(created.deliveryNumber), .text(created.originWarehouseId),
            .text(created.destination.dealerId), created.destination.position.map { .real($0.lat) } ?? .null,
            created.destination.position.map { .real($0.lon) } ?? .null, SQLValue(created.promisedDate?.text), .text(now.text))
        for orderId in created.orderIds {
            try db.execute("INSERT INTO order_shipments (order_id, shipment_id) VALUES (?, ?) ON CONFLICT DO NOTHING", .text(orderId), .text(created.shipmentId))
        }
    }

    /// Sets the promised date to the earliest one the ERP promised for the orders the shipment carries.
    public func promiseEarliestOrderDate(_ shipmentId: String) throws(StoreError) {
        try db.execute("""
            UPDATE shipments SET promised_date = (SELECT MIN(o.promised_date) FROM orders o JOIN order_shipments s ON s.order_id = o.order_id
                                                  WHERE s.shipment_id = ?1)
            WHERE shipment_id = ?1
            """, .text(shipmentId))
    }

    /// The shipment's status; `nil` when it is not known (yet).
    public func status(of shipmentId: String) throws(StoreError) -> ShipmentStatus? {
        try db.first("SELECT status FROM shipments WHERE shipment_id = ?", .text(shipmentId)).flatMap { $0.string(0) }.map(ShipmentStatus.init(rawValue:))
    }

    /// Writes what `change` sets; `now` is when the shipment was last updated (`nil`: the hub's own
    /// estimate, which does not count as news about the shipment).
    public func update(_ shipmentId: String, _ change: ShipmentChange, at now: Timestamp?) throws(StoreError) {
        var assignments: [String] = []
        var values: [SQLValue] = []
        func set(_ column: String, _ value: String?) {
            guard let value else { return }
            assignments.append("\(column) = ?")
            values.append(.text(value))
        }
        set("status", change.status?.rawValue)
        if let vehicle = change.vehicle {
            set("vehicle_id", vehicle.vehicleId)
            set("plate", vehicle.plate)
            set("driver_name", vehicle.driverName)
            set("driver_phone", vehicle.driverPhone)
        }
        set("dispatched_at", change.dispatchedAt?.text)
        set("eta", change.eta?.text)
        set("carrier_eta", change.carrierEta?.text)
        if let eta = change.carrierEta {
            // The carrier's first estimate is kept: its ETA accuracy is judged on what it said first, not on its last correction.
            assignments.append("first_carrier_eta = COALESCE(first_carrier_eta, ?)")
            values.append(.text(eta.text))
        }
        set("arrived_at", change.arrivedAt?.text)
        set("delivered_at", change.deliveredAt?.text)
        if change.deliveredAt != nil {
            // The GPS coverage as it stands at delivery is what the figures count.
            assignments.append("gps_covered_final_ms = COALESCE(gps_covered_final_ms, gps_covered_ms)")
        }
        set("exception", change.exception)
        set("updated_at", now?.text)
        guard !assignments.isEmpty else { return }
        try db.execute("UPDATE shipments SET \(assignments.joined(separator: ", ")) WHERE shipment_id = ?", values + [.text(shipmentId)])
    }

    /// What the late flag is decided from; `nil` when the shipment is not known.
    public func promise(of shipmentId: String) throws(StoreError) -> ShipmentPromise? {
        try db.first("SELECT eta, carrier_eta, promised_date, status, late FROM shipments WHERE shipment_id = ?", .text(shipmentId)).map {
            ShipmentPromise(eta: $0.string(0).flatMap(Timestamp.init(parsing:)), carrierEta: $0.string(1).flatMap(Timestamp.init(parsing:)),
                            promisedDate: $0.string(2).flatMap(CalendarDate.init), status: ShipmentStatus(rawValue: $0.string(3) ?? ""), late: $0.int(4) != 0)
        }
    }

    public func setLate(_ shipmentId: String, _ late: Bool) throws(StoreError) {
        try db.execute("UPDATE shipments SET late = ? WHERE shipment_id = ?", .integer(late ? 1 : 0), .text(shipmentId))
    }

    /// Whose shipment it is; `nil` when it is not known (yet).
    public func carrier(of shipmentId: String) throws(StoreError) -> String? {
        try db.first("SELECT carrier_id FROM shipments WHERE shipment_id = ?", .text(shipmentId))?.string(0)
    }

    /// For each order, the carriers of the shipments that carry it (orders on no shipment are absent).
    public func carriers(ofOrders orderIds: [String]) throws(StoreError) -> [String: Set<String>] {
        var carriers: [String: Set<String>] = [:]
        for orderId in orderIds {
            let rows = try db.query("""
                SELECT s.carrier_id FROM order_shipments o JOIN shipments s ON s.shipment_id = o.shipment_id WHERE o.order_id = ?
                """, .text(orderId))
            for row in rows { if let carrier = row.string(0) { carriers[orderId, default: []].insert(carrier) } }
        }
        return carriers
    }

    /// The orders a shipment carries, by id.
    public func orders(on shipmentId: String) throws(StoreError) -> [String] {
        try db.query("SELECT order_id FROM order_shipments WHERE shipment_id = ? ORDER BY order_id", .text(shipmentId)).compactMap { $0.string(0) }
    }

    /// The shipments carrying an order, by id.
    public func milestones(ofOrder orderId: String) throws(StoreError) -> [ShipmentMilestones] {
        try db.query("""
            SELECT s.shipment_id, s.status, s.dispatched_at, s.delivered_at, s.arrived_at FROM shipments s JOIN order_shipments o ON o.shipment_id = s.shipment_id
            WHERE o.order_id = ? ORDER BY s.shipment_id
            """, .text(orderId)).map {
            ShipmentMilestones(shipmentId: $0.string(0) ?? "", status: ShipmentStatus(rawValue: $0.string(1) ?? ""),
                               dispatchedAt: $0.string(2).flatMap(Timestamp.init(parsing:)), deliveredAt: $0.string(3).flatMap(Timestamp.init(parsing:)),
                               arrivedAt: $0.string(4).flatMap(Timestamp.init(parsing:)))
        }
    }
}
