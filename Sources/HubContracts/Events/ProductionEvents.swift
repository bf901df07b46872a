/// How far a production order is.
public struct ProductionStatus: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Released to the shop floor (SAP status REL): the line is scheduled.
    public static let released = ProductionStatus(rawValue: "released")
    /// Confirmed, delivered to stock or technically complete (CNF, DLV, TECO): the line is produced.
    public static let produced = ProductionStatus(rawValue: "produced")
    public static let known: [ProductionStatus] = [.released, .produced]
}

/// `production-order.reported` on `hub.production`: the ERP's production order for a made-to-order
/// line (LOIPRO01), released or done. The ERP names the sales order, not the hub's order: the core
/// finds the order by its ERP number and the line by the item, and moves the order to scheduled
/// (a production order released) and produced (every made-to-order line's done).
public struct ProductionOrderReported: Sendable, Hashable, Codable {
    /// The ERP's production order (AUFNR).
    public var productionOrderId: String
    /// The sales order it produces for (KDAUF): the order's ERP number.
    public var erpOrderNumber: String
    /// The order's line (the sales order item KDPOS ÷ 10).
    public var lineNo: Int
    public var materialId: String
    public var plantId: String
    public var quantity: DecimalNumber
    public var status: ProductionStatus
    /// The scheduled finish (GLTRS).
    public var plannedFinish: CalendarDate
    /// The batch produced, when the ERP names it.
    public var batch: String?

    public init(productionOrderId: String, erpOrderNumber: String, lineNo: Int, materialId: String, plantId: String, quantity: DecimalNumber,
                status: ProductionStatus, plannedFinish: CalendarDate, batch: String? = nil) {
        self.productionOrderId = productionOrderId
        self.erpOrderNumber = erpOrderNumber
        self.lineNo = lineNo
        self.materialId = materialId
        self.plantId = plantId
        self.quantity = quantity
        self.status = status
        self.plannedFinish = plannedFinish
        self.batch = batch
    }
}
