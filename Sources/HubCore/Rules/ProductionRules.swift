import HubContracts
import HubStore

/// Made-to-order lines through production (R9): the ERP's production orders move an order from
/// confirmed to scheduled (the first production order released) and to produced (every
/// made-to-order line's production order done). The ERP names its sales order and item; the order
/// is found by its ERP number (known once the ERP's confirmation arrived: before, the report waits).
enum ProductionRules {
    static func apply(_ reported: ProductionOrderReported, _ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let tables = context.tables
        guard let orderId = try tables.orders.orderId(erpOrderNumber: reported.erpOrderNumber),
              let status = try tables.orders.status(of: orderId) else {
            return .unknownReference("order with ERP number \(reported.erpOrderNumber)")
        }
        let madeToOrder = try tables.orders.madeToOrderLines(of: orderId)
        guard madeToOrder.contains(reported.lineNo) else {
            return .refused("""
                production order \(reported.productionOrderId) is for line \(reported.lineNo) of order \(orderId) (ERP \(reported.erpOrderNumber)), \
                which is not made to order (made-to-order lines: \(madeToOrder.map(String.init).joined(separator: ", ")))
                """)
        }
        if status == .cancelled || status == .rejected { return .applied }  // nothing to produce for any more
        try tables.production.record(reported, orderId: orderId)
        let orders = try tables.production.of(orderId)
        var current = status
        if current == .confirmed {
            var lines: [Int: OrderScheduled.Line] = [:]
            for order in orders where lines[order.lineNo].map({ order.plannedFinish > $0.plannedDate }) ?? true {
                lines[order.lineNo] = OrderScheduled.Line(lineNo: order.lineNo, plantId: order.plantId, plannedDate: order.plannedFinish)
            }
            let scheduled = OrderScheduled(orderId: orderId, lines: lines.keys.sorted().compactMap { lines[$0] })
            guard try OrderRules.move(orderId, .schedule, data: .orderScheduled(scheduled), announcedAs: "\(context.event.id).scheduled", context) == .applied else {
                return .unknownReference("order \(orderId) to be scheduled")
            }
            current = .scheduled
        }
        let done = orders.filter { $0.status == .produced }
        if current == .scheduled, madeToOrder.allSatisfy({ line in done.contains { $0.lineNo == line } }) {
            let produced = OrderProduced(orderId: orderId, lines: done.map {
                OrderProduced.Line(lineNo: $0.lineNo, batch: $0.batch ?? $0.productionOrderId, quantity: $0.quantity)
            })
            _ = try OrderRules.move(orderId, .produce, data: .orderProduced(produced), announcedAs: "\(context.event.id).produced", context)
        }
        return .applied
    }
}
