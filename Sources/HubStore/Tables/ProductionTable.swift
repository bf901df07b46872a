public import HubContracts

/// One production order as the core keeps it: the order line it produces for and how far it is.
public struct ProductionOrderRecord: Sendable, Equatable {
    public var productionOrderId: String
    public var lineNo: Int
    public var plantId: String
    public var quantity: DecimalNumber
    public var status: ProductionStatus
    public var plannedFinish: CalendarDate
    public var batch: String?
}

/// The ERP's production orders for made-to-order lines, per order.
public struct ProductionTable {
    let db: any SQLDatabase

    /// Records a production order's report; a `produced` one is never taken back to `released`.
    public func record(_ reported: ProductionOrderReported, orderId: String) throws(StoreError) {
        try db.execute("""
            INSERT INTO production_orders (production_order_id, order_id, line_no, material_id, plant_id, quantity, status, planned_finish, batch)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (production_order_id) DO UPDATE SET plant_id = excluded.plant_id, quantity = excluded.quantity, planned_finish = excluded.planned_finish,
                batch = COALESCE(excluded.batch, production_orders.batch),
                status = CASE WHEN production_orders.status = 'produced' THEN production_orders.status ELSE excluded.status END
            """, .text(reported.productionOrderId), .text(orderId), .integer(Int64(reported.lineNo)), .text(reported.materialId), .text(reported.plantId),
            .text(reported.quantity.text), .text(reported.status.rawValue), .text(reported.plannedFinish.text), SQLValue(reported.batch))
    }

    /// The order's production orders, by line.
    public func of(_ orderId: String) throws(StoreError) -> [ProductionOrderRecord] {
        try db.query("""
            SELECT production_order_id, line_no, plant_id, quantity, status, planned_finish, batch FROM production_orders WHERE order_id = ?
            ORDER BY line_no, production_order_id
            """, .text(orderId)).compactMap { row in
            guard let planned = row.string(5).flatMap(CalendarDate.init) else { return nil }
            return ProductionOrderRecord(productionOrderId: row.string(0) ?? "", lineNo: row.int(1), plantId: row.string(2) ?? "",
                                         quantity: row.string(3).flatMap(DecimalNumber.init) ?? DecimalNumber(0), status: ProductionStatus(rawValue: row.string(4) ?? ""),
                                         plannedFinish: planned, batch: row.string(6))
        }
    }
}
