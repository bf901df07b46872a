import Foundation
import WireFormats
import HubContracts

/// WMMBID02 (message type WMMBXY): goods movements posted in the ERP — what makes the hub's stock
/// drop when goods leave, not at the next stock snapshot. Each E1MBXYI item under the E1MBXYH
/// header becomes one `inventory.moved` (a transfer two: out of one place, into the other), its
/// sign and kind from the movement type (BWART):
///
/// | BWART | meaning | kind | sign |
/// |---|---|---|---|
/// | 101, 501, 561 | goods receipt (purchase order, without, initial entry) | receipt | + |
/// | 102, 502, 562 | their reversal | receipt | − |
/// | 131 | goods receipt from production | production | + |
/// | 132 | its reversal | production | − |
/// | 601, 261, 201 | goods issue (delivery, production order, cost centre) | issue | − |
/// | 602, 262, 202 | their reversal | issue | + |
/// | 311, 301 | transfer (storage location, plant) to UMWRK/UMLGO | transfer-out, transfer-in | −, + |
/// | 701, 711 | inventory difference found (surplus) | adjustment | + |
/// | 702, 712 | inventory difference (shortage) | adjustment | − |
///
/// ERFMG is taken in the material's base unit (the unit the stock feed counts in); the movement's id
/// is the IDoc's DOCNUM and the item's place, so the same document sent again moves nothing twice;
/// its reference is the header's XBLNR (the delivery or production order), else the item's.
enum GoodsMovementMapping {
    static let types: [String: (kind: MovementKind, sign: Decimal)] = {
        var types: [String: (kind: MovementKind, sign: Decimal)] = [:]
        for type in ["101", "501", "561"] { types[type] = (.receipt, 1) }
        for type in ["102", "502", "562"] { types[type] = (.receipt, -1) }
        types["131"] = (.production, 1)
        types["132"] = (.production, -1)
        for type in ["601", "261", "201"] { types[type] = (.issue, -1) }
        for type in ["602", "262", "202"] { types[type] = (.issue, 1) }
        for type in ["701", "711"] { types[type] = (.adjustment, 1) }
        for type in ["702", "712"] { types[type] = (.adjustment, -1) }
        return types
    }()
    static let transfers: Set<String> = ["311", "301"]

    static func movements(_ document: IDocDocument) throws(IDocError) -> [InventoryMoved] {
        guard let header = document.segments("E1MBXYH").first else { throw IDocError("missing segment E1MBXYH") }
        guard let docnum = document.control["DOCNUM"] else { throw IDocError("EDI_DC40: DOCNUM is empty; a goods movement needs its document number") }
        let items = header.segments("E1MBXYI")
        guard !items.isEmpty else { throw IDocError("E1MBXYH: missing segment E1MBXYI") }
        var movements: [InventoryMoved] = []
        for (index, item) in items.enumerated() {
            let at = "E1MBXYI #\(index + 1)"
            guard let material = item["MATNR"] else { throw IDocError("\(at): MATNR is empty") }
            guard let plant = item["WERKS"] else { throw IDocError("\(at): WERKS (the plant) is empty") }
            guard let text = item["ERFMG"], let quantity = IDocValues.decimal(text), quantity.value > 0 else {
                throw IDocError("\(at): ERFMG \(item["ERFMG"] ?? "(empty)") is not a positive quantity")
            }
            guard let type = item["BWART"] else { throw IDocError("\(at): BWART (the movement type) is empty") }
            let reference = header["XBLNR"] ?? item["VBELN_IM"] ?? item["AUFNR"]
            let id = "\(docnum):\(index + 1)"
            if transfers.contains(type) {
                guard let toPlant = item["UMWRK"] ?? (item["UMLGO"] == nil ? nil : plant) else {
                    throw IDocError("\(at): movement type \(type) is a transfer but names no receiving plant or storage location (UMWRK/UMLGO)")
                }
                movements.append(InventoryMoved(movementId: id + ":out", warehouseId: plant, locationId: item["LGORT"], materialId: material,
                                                quantity: DecimalNumber(-quantity.value), kind: .transferOut, reference: reference))
                movements.append(InventoryMoved(movementId: id + ":in", warehouseId: toPlant, locationId: item["UMLGO"] ?? item["LGORT"], materialId: material,
                                                quantity: quantity, kind: .transferIn, reference: reference))
                continue
            }
            guard let mapped = types[type] else {
                throw IDocError("\(at): movement type \(type) is not one the hub maps (\((types.keys.sorted() + transfers.sorted()).joined(separator: ", ")))")
            }
            movements.append(InventoryMoved(movementId: id, warehouseId: plant, locationId: item["LGORT"], materialId: material,
                                            quantity: DecimalNumber(quantity.value * mapped.sign), kind: mapped.kind, reference: reference))
        }
        return movements
    }
}
