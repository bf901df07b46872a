import WireFormats
import HubContracts

/// LOIPRO01 (message type LOIPRO): a production order, sent when it is released and again when it
/// is done. The header E1AFKOL names it (AUFNR), the plant (WERKS), the material (MATNR), the
/// quantity (GAMNG), the scheduled finish (GLTRS) and — for make-to-order — the sales order and
/// item it produces for (KDAUF, KDPOS); its system statuses E1JSTKL (STAT, INACT empty for an
/// active one) say how far it is: I0002 REL released; I0009 CNF confirmed, I0012 DLV delivered or
/// I0045 TECO technically complete: produced. A production order only created (CRTD) says nothing
/// yet and is skipped; one for stock (no KDAUF) is not an order's business and is skipped too. The
/// batch is the item E1AFPOL's CHARG. The order's line: the company's SAP numbers a sales order's
/// items 10, 20, 30 … in the order of the hub's lines (item increment 10), so KDPOS ÷ 10.
enum ProductionOrderMapping {
    static let producedStatuses: Set<String> = ["I0009", "I0012", "I0045"]

    static func report(_ document: IDocDocument) throws(IDocError) -> ProductionOrderReported? {
        guard let header = document.segments("E1AFKOL").first else { throw IDocError("missing segment E1AFKOL") }
        guard let order = header["AUFNR"] else { throw IDocError("E1AFKOL: AUFNR (the production order) is empty") }
        let at = "E1AFKOL \(order)"
        guard let salesOrder = header["KDAUF"] else { return nil }  // made to stock
        guard let itemText = header["KDPOS"], let item = Int(itemText), item >= 10, item % 10 == 0 else {
            throw IDocError("\(at): KDPOS \(header["KDPOS"] ?? "(empty)") is not a sales order item (10, 20, …)")
        }
        guard let material = header["MATNR"] else { throw IDocError("\(at): MATNR is empty") }
        guard let plant = header["WERKS"] else { throw IDocError("\(at): WERKS (the plant) is empty") }
        guard let quantityText = header["GAMNG"], let quantity = IDocValues.decimal(quantityText), quantity.value > 0 else {
            throw IDocError("\(at): GAMNG \(header["GAMNG"] ?? "(empty)") is not a positive quantity")
        }
        guard let finishText = header["GLTRS"], let finish = IDocValues.date(finishText) else {
            throw IDocError("\(at): GLTRS \(header["GLTRS"] ?? "(empty)") is not a date (YYYYMMDD)")
        }
        let active = Set(header.segments("E1JSTKL").filter { $0["INACT"] == nil }.compactMap { $0["STAT"] })
        let status: ProductionStatus
        if !active.isDisjoint(with: producedStatuses) {
            status = .produced
        } else if active.contains("I0002") {
            status = .released
        } else {
            return nil  // created, not released yet
        }
        return ProductionOrderReported(productionOrderId: order, erpOrderNumber: salesOrder, lineNo: item / 10, materialId: material, plantId: plant,
                                       quantity: quantity, status: status, plannedFinish: finish, batch: header.segments("E1AFPOL").first?["CHARG"])
    }
}
