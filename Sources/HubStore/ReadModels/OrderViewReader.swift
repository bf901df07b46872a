public import HubContracts

/// Reads an order's whole current view — status, lines, ERP number, shipments with truck, driver,
/// ETA and the vehicle's latest position — as published on `hub.orders.updates`.
public struct OrderViewReader {
    let db: any SQLDatabase

    /// The view now; `nil` when the order is not known. `now` stands in for an update time never written.
    public func view(_ orderId: String, at now: Timestamp) throws(StoreError) -> OrderView? {
        guard let order = try db.first("""
            SELECT dealer_id, status, version, total, currency, erp_order_number, promised_date, rejections, updated_at, rating, receipt_score, receipt_hours
            FROM orders WHERE order_id = ?
            """, .text(orderId)) else { return nil }
        let lines = try db.query("""
            SELECT line_no, material_id, quantity, kind, unit_price, confirmed_quantity, line_status, promotion_id FROM order_lines WHERE order_id = ? ORDER BY line_no
            """, .text(orderId)).map { row in
            OrderView.Line(lineNo: row.int(0), materialId: row.string(1) ?? "", quantity: row.string(2).flatMap(DecimalNumber.init) ?? DecimalNumber(0),
                           kind: LineKind(rawValue: row.string(3) ?? "spot"), unitPrice: row.string(4).flatMap(DecimalNumber.init),
                           confirmedQuantity: row.string(5).flatMap(DecimalNumber.init), status: row.string(6), promotionId: row.string(7))
        }
        let shipments = try db.query("""
            SELECT s.shipment_id, s.status, s.carrier_id, s.plate, s.driver_name, s.driver_phone, s.dispatched_at, s.eta, s.carrier_eta, s.late,
                   p.lat, p.lon, p.fix_at
            FROM order_shipments o JOIN shipments s ON s.shipment_id = o.shipment_id
            LEFT JOIN vehicle_latest_position p ON p.vehicle_id = s.vehicle_id
            WHERE o.order_id = ? ORDER BY s.shipment_id
            """, .text(orderId)).map { row in
            OrderView.Shipment(shipmentId: row.string(0) ?? "", status: ShipmentStatus(rawValue: row.string(1) ?? "created"), carrierId: row.string(2),
                               plate: row.string(3), driverName: row.string(4), driverPhone: row.string(5),
                               dispatchedAt: row.string(6).flatMap(Timestamp.init(parsing:)), eta: row.string(7).flatMap(Timestamp.init(parsing:)),
                               carrierEta: row.string(8).flatMap(Timestamp.init(parsing:)), late: row.int(9) != 0,
                               position: row.isNull(10) ? nil : GeoPosition(lat: row.double(10), lon: row.double(11)),
                               positionAt: row.string(12).flatMap(Timestamp.init(parsing:)))
        }
        let total = order.string(3).flatMap(DecimalNumber.init).map { Money(amount: $0, currency: order.string(4) ?? "CNY") }
        return OrderView(orderId: orderId, dealerId: order.string(0) ?? "", status: OrderStatus(rawValue: order.string(1) ?? "submitted"),
                         version: order.int(2), lines: lines, total: total, erpOrderNumber: order.string(5),
                         promisedDate: order.string(6).flatMap(CalendarDate.init), rejections: StoredJSON.decode([RejectionReason].self, order.string(7)),
                         shipments: shipments, updatedAt: order.string(8).flatMap(Timestamp.init(parsing:)) ?? now,
                         rating: Self.rating(dealer: StoredJSON.decode(OrderRating.self, order.string(9)), receiptScore: order.isNull(10) ? nil : order.int(10),
                                             receiptHours: order.string(11).flatMap(DecimalNumber.init)))
    }

    /// The view's rating: the dealer's marks and the receipt's score; nil when there is neither.
    static func rating(dealer: OrderRating?, receiptScore: Int?, receiptHours: DecimalNumber?) -> OrderView.Rating? {
        guard dealer != nil || receiptScore != nil else { return nil }
        return OrderView.Rating(productQuality: dealer?.productQuality, dispatchSpeed: dealer?.dispatchSpeed, serviceQuality: dealer?.serviceQuality,
                                comment: dealer?.comment, receiptSpeed: receiptScore, receiptHours: receiptHours)
    }
}
