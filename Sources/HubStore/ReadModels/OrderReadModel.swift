import Foundation
public import HubContracts

/// The order reads, always through the caller's ``DealerVisibility``: an order of a dealer outside
/// it is not found.
public struct OrderReadModel {
    public struct Summary: Codable, Sendable, Equatable {
        public var orderId: String
        public var dealerId: String
        public var status: String
        public var version: Int
        public var total: Money?
        public var erpOrderNumber: String?
        public var promisedDate: String?
        public var submittedAt: String
        public var updatedAt: String
        /// The dealer's marks and the receipt's score (R8); absent until either.
        public var rating: OrderView.Rating?

        /// The mean of the marks given so far, to one decimal ("4.3"); nil before any.
        public var meanMark: String? {
            let marks = [rating?.productQuality, rating?.dispatchSpeed, rating?.serviceQuality, rating?.receiptSpeed].compactMap { $0 }
            guard !marks.isEmpty else { return nil }
            return String(format: "%.1f", Double(marks.reduce(0, +)) / Double(marks.count))
        }
    }

    /// A place in the list (newest first): a row's submission time and id.
    public struct ListPosition: Sendable, Equatable {
        public var submittedAt: String
        public var orderId: String

        public init(submittedAt: String, orderId: String) {
            self.submittedAt = submittedAt
            self.orderId = orderId
        }
    }

    public struct Filter: Sendable {
        public var status: OrderStatus?
        public var dealerId: String?
        public var submittedFrom: Timestamp?
        public var submittedTo: Timestamp?
        public var limit: Int = 50
        /// Only the orders after this place (the last row of the page before).
        public var after: ListPosition?
        public init() {}
    }

    /// Who an order is for, where it stands, and its version.
    public struct Visible: Sendable, Equatable {
        public var dealerId: String
        public var status: OrderStatus
        public var version: Int
    }

    /// Each shipment of an order with its truck, driver, times, ETA, late flag, position and recent track.
    public struct Tracking: Codable, Sendable {
        public struct Fix: Codable, Sendable, Equatable {
            public var at: String
            public var lat: Double
            public var lon: Double
            public var speedKmh: Double
        }
        public struct Shipment: Codable, Sendable {
            public var shipmentId: String
            public var status: String
            public var carrierId: String
            public var vehicleId: String?
            public var plate: String?
            public var driverName: String?
            public var driverPhone: String?
            public var dispatchedAt: String?
            public var eta: String?
            public var carrierEta: String?
            public var late: Bool
            public var deliveredAt: String?
            public var position: Fix?
            public var track: [Fix]
        }
        public var orderId: String
        public var status: String
        public var shipments: [Shipment]
    }

    let db: any SQLDatabase

    /// A page of orders, newest first, and the place the next page starts after (`nil` on the last).
    public func list(_ filter: Filter, visibleTo visibility: DealerVisibility) throws(StoreError) -> (orders: [Summary], next: ListPosition?) {
        let (scopeSQL, scopeBinds) = visibility.condition(on: "dealer_id")
        var conditions = [scopeSQL]
        var binds = scopeBinds
        if let status = filter.status { conditions.append("status = ?"); binds.append(.text(status.rawValue)) }
        if let dealer = filter.dealerId { conditions.append("dealer_id = ?"); binds.append(.text(dealer)) }
        if let from = filter.submittedFrom { conditions.append("submitted_at >= ?"); binds.append(.text(from.text)) }
        if let to = filter.submittedTo { conditions.append("submitted_at < ?"); binds.append(.text(to.text)) }
        if let after = filter.after {
            conditions.append("(submitted_at < ? OR (submitted_at = ? AND order_id < ?))")
            binds += [.text(after.submittedAt), .text(after.submittedAt), .text(after.orderId)]
        }
        let rows = try db.query("""
            SELECT order_id, dealer_id, status, version, total, currency, erp_order_number, promised_date, submitted_at, updated_at,
                   rating, receipt_score, receipt_hours
            FROM orders WHERE \(conditions.joined(separator: " AND ")) ORDER BY submitted_at DESC, order_id DESC LIMIT ?
            """, binds + [.integer(Int64(filter.limit + 1))])
        let orders = rows.prefix(filter.limit).map { row in
            Summary(orderId: row.string(0) ?? "", dealerId: row.string(1) ?? "", status: row.string(2) ?? "", version: row.int(3),
                    total: row.string(4).flatMap(DecimalNumber.init).map { Money(amount: $0, currency: row.string(5) ?? "CNY") },
                    erpOrderNumber: row.string(6), promisedDate: row.string(7), submittedAt: row.string(8) ?? "", updatedAt: row.string(9) ?? "",
                    rating: OrderViewReader.rating(dealer: StoredJSON.decode(OrderRating.self, row.string(10)), receiptScore: row.isNull(11) ? nil : row.int(11),
                                                   receiptHours: row.string(12).flatMap(DecimalNumber.init)))
        }
        let next = rows.count > filter.limit ? orders.last.map { ListPosition(submittedAt: $0.submittedAt, orderId: $0.orderId) } : nil
        return (Array(orders), next)
    }

    /// The order's dealer, status and version when the caller may see it.
    public func visible(_ orderId: String, to visibility: DealerVisibility) throws(StoreError) -> Visible? {
        let (scopeSQL, scopeBinds) = visibility.condition(on: "dealer_id")
        guard let row = try db.query("SELECT dealer_id, status, version FROM orders WHERE order_id = ? AND \(scopeSQL)", [.text(orderId)] + scopeBinds).first else {
            return nil
        }
        return Visible(dealerId: row.string(0) ?? "", status: OrderStatus(rawValue: row.string(1) ?? ""), version: row.int(2))
    }

    /// The digest of the request that made the order (``OrderSubmission/requestDigest``); `nil` when
    /// the order is not known or was made without an idempotency key.
    public func requestDigest(of orderId: String) throws(StoreError) -> String? {
        try db.first("SELECT request_digest FROM orders WHERE order_id = ?", .text(orderId))?.string(0)
    }

    /// The order's whole view when the caller may see it.
    public func view(_ orderId: String, visibleTo visibility: DealerVisibility) throws(StoreError) -> OrderView? {
        guard try visible(orderId, to: visibility) != nil else { return nil }
        return try OrderViewReader(db: db).view(orderId, at: Timestamp(Date()))
    }

    /// The order's shipments with their trucks' positions and last `trackLength` fixes, when the caller may see it.
    public func tracking(_ orderId: String, visibleTo visibility: DealerVisibility, trackLength: Int = 50) throws(StoreError) -> Tracking? {
        guard let order = try visible(orderId, to: visibility) else { return nil }
        let shipments = try db.query("""
            SELECT s.shipment_id, s.status, s.carrier_id, s.vehicle_id, s.plate, s.driver_name, s.driver_phone, s.dispatched_at, s.eta, s.carrier_eta,
                   s.late, s.delivered_at, p.fix_at, p.lat, p.lon, p.speed_kmh
            FROM order_shipments o JOIN shipments s ON s.shipment_id = o.shipment_id
            LEFT JOIN vehicle_latest_position p ON p.vehicle_id = s.vehicle_id
            WHERE o.order_id = ? ORDER BY s.shipment_id
            """, .text(orderId))
        var result: [Tracking.Shipment] = []
        for row in shipments {
            let vehicle = row.string(3)
            let status = ShipmentStatus(rawValue: row.string(1) ?? "")
            let dispatchedAt = row.string(7).flatMap(Timestamp.init(parsing:))
            let deliveredAt = row.string(11).flatMap(Timestamp.init(parsing:))
            // Where the truck is, only while the shipment is open: not before a truck is assigned,
            // not after delivery (the truck has gone on to someone else's goods). The track only
            // within the shipment's own time, from dispatch to delivery.
            let open = status == .assigned || status == .dispatched || status == .arrived
            var track: [Tracking.Fix] = []
            if let vehicle, let from = dispatchedAt, status != .created {
                let until = deliveredAt?.milliseconds ?? Int64.max
                track = try db.query("""
                    SELECT fix_at_ms, lat, lon, speed_kmh FROM vehicle_position_history
                    WHERE vehicle_id = ? AND fix_at_ms >= ? AND fix_at_ms <= ? ORDER BY fix_at_ms DESC LIMIT ?
                    """, .text(vehicle), .integer(from.milliseconds), .integer(until), .integer(Int64(trackLength))).map {
                    Tracking.Fix(at: Timestamp(Date(timeIntervalSince1970: Double($0.int64(0)) / 1000)).text, lat: $0.double(1), lon: $0.double(2), speedKmh: $0.double(3))
                }
            }
            var position = row.isNull(12) || !open ? nil : Tracking.Fix(at: row.string(12) ?? "", lat: row.double(13), lon: row.double(14), speedKmh: row.double(15))
            if let fixAt = position.flatMap({ Timestamp(parsing: $0.at) }), let from = dispatchedAt, fixAt < from { position = nil }
            result.append(Tracking.Shipment(shipmentId: row.string(0) ?? "", status: row.string(1) ?? "", carrierId: row.string(2) ?? "", vehicleId: vehicle,
                                            plate: row.string(4), driverName: row.string(5), driverPhone: status == .delivered ? nil : row.string(6),
                                            dispatchedAt: row.string(7), eta: row.string(8), carrierEta: row.string(9), late: row.int(10) != 0,
                                            deliveredAt: row.string(11), position: position, track: track))
        }
        return Tracking(orderId: orderId, status: order.status.rawValue, shipments: result)
    }
}
