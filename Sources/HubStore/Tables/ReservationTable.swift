public import HubContracts

/// Stock held for one line of an accepted order at one place.
public struct Reservation: Sendable, Equatable {
    public var orderId: String
    public var lineNo: Int
    public var warehouseId: String
    /// `""`: stock not assigned to a storage location.
    public var locationId: String
    public var materialId: String
    public var quantity: DecimalNumber

    public init(orderId: String, lineNo: Int, warehouseId: String, locationId: String, materialId: String, quantity: DecimalNumber) {
        self.orderId = orderId
        self.lineNo = lineNo
        self.warehouseId = warehouseId
        self.locationId = locationId
        self.materialId = materialId
        self.quantity = quantity
    }
}

/// Stock held for accepted orders' spot lines until dispatch or cancellation.
public struct ReservationTable {
    let db: any SQLDatabase

    public func insert(_ reservation: Reservation) throws(StoreError) {
        try db.execute("""
            INSERT INTO order_reservations (order_id, line_no, warehouse_id, location_id, material_id, quantity) VALUES (?, ?, ?, ?, ?, ?)
            """, .text(reservation.orderId), .integer(Int64(reservation.lineNo)), .text(reservation.warehouseId), .text(reservation.locationId),
            .text(reservation.materialId), .text(reservation.quantity.text))
    }

    /// What an order holds.
    public func of(_ orderId: String) throws(StoreError) -> [Reservation] {
        try db.query("SELECT line_no, warehouse_id, location_id, material_id, quantity FROM order_reservations WHERE order_id = ? ORDER BY line_no, warehouse_id, location_id",
                     .text(orderId)).map {
            Reservation(orderId: orderId, lineNo: $0.int(0), warehouseId: $0.string(1) ?? "", locationId: $0.string(2) ?? "",
                        materialId: $0.string(3) ?? "", quantity: $0.string(4).flatMap(DecimalNumber.init) ?? DecimalNumber(0))
        }
    }

    /// Drops everything an order holds.
    public func removeAll(of orderId: String) throws(StoreError) {
        try db.execute("DELETE FROM order_reservations WHERE order_id = ?", .text(orderId))
    }
}
