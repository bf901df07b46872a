import WireFormats
import HubContracts

/// DELVRY07 with message type DESADV: an outbound delivery. E1EDL20 carries the delivery number
/// VBELN and the shipping point VSTEL (= the plant, the hub's warehouse); each E1EDL24 a line
/// (LFIMG quantity) with E1EDL43 QUALF C naming the hub order (BELNR) and its line (POSNR).
///
/// Every order in it gets an `order.allocated` (the stock picked for this delivery). When the
/// custom segment Z1SHIPMT names the shipment (TKNUM) and its carrier (TDLNR), a `shipment.created`
/// follows with the ship-to partner E1ADRM1 WE as destination (PARTNER_ID, REGION, CITY1, STREET1).
enum DeliveryMapping {
    struct Delivery: Equatable {
        var allocations: [OrderAllocated]
        var shipment: ShipmentCreated?
    }

    static func delivery(_ document: IDocDocument) throws(IDocError) -> Delivery {
        guard let header = document.segments("E1EDL20").first else { throw IDocError("missing segment E1EDL20") }
        guard let deliveryNumber = header["VBELN"] else { throw IDocError("E1EDL20: VBELN (the delivery number) is empty") }
        guard let warehouse = header["VSTEL"] else { throw IDocError("E1EDL20 \(deliveryNumber): VSTEL (the shipping point) is empty") }
        let items = header.segments("E1EDL24")
        guard !items.isEmpty else { throw IDocError("E1EDL20 \(deliveryNumber): missing segment E1EDL24 (a delivery line)") }
        var allocations: [OrderAllocated] = []
        for (index, item) in items.enumerated() {
            let at = "E1EDL24 #\(index + 1)"
            guard let reference = item.segments("E1EDL43").first(where: { $0["QUALF"] == "C" }), let orderId = reference["BELNR"] else {
                throw IDocError("\(at): missing segment E1EDL43 with QUALF C and BELNR (the hub's order)")
            }
            guard let lineNo = IDocValues.lineNumber(reference["POSNR"]) else {
                throw IDocError("\(at) E1EDL43: POSNR \(reference["POSNR"] ?? "(empty)") is not a line number")
            }
            guard let text = item["LFIMG"], let quantity = IDocValues.decimal(text), quantity.value > 0 else {
                throw IDocError("\(at): LFIMG \(item["LFIMG"] ?? "(empty)") is not a positive quantity")
            }
            let line = OrderAllocated.Line(lineNo: lineNo, warehouseId: warehouse, quantity: quantity)
            if let same = allocations.firstIndex(where: { $0.orderId == orderId }) {
                allocations[same].lines.append(line)
            } else {
                allocations.append(OrderAllocated(orderId: orderId, deliveryNumber: deliveryNumber, lines: [line]))
            }
        }
        var shipment: ShipmentCreated?
        if let transport = header.segments("Z1SHIPMT").first {
            guard let shipmentId = transport["TKNUM"] else { throw IDocError("Z1SHIPMT: TKNUM (the shipment number) is empty") }
            guard let carrier = transport["TDLNR"] else { throw IDocError("Z1SHIPMT \(shipmentId): TDLNR (the carrier) is empty") }
            guard let shipTo = header.segments("E1ADRM1").first(where: { $0["PARTNER_Q"] == "WE" }), let partner = shipTo["PARTNER_ID"] else {
                throw IDocError("E1EDL20 \(deliveryNumber): missing segment E1ADRM1 with PARTNER_Q WE and PARTNER_ID (the ship-to dealer)")
            }
            guard let province = IDocValues.province(region: shipTo["REGION"]) else {
                throw IDocError("E1ADRM1 WE: REGION \(shipTo["REGION"] ?? "(empty)") is not a Chinese province code (GB/T 2260, e.g. 310)")
            }
            shipment = ShipmentCreated(
                shipmentId: shipmentId, carrierId: carrier, orderIds: allocations.map(\.orderId), deliveryNumber: deliveryNumber,
                originWarehouseId: warehouse,
                destination: .init(dealerId: IDocValues.dealerId(partner), region: Region(province: province, city: shipTo["CITY1"], address: shipTo["STREET1"])))
        }
        return Delivery(allocations: allocations, shipment: shipment)
    }
}
