import WireFormats
import HubContracts

/// LOISTD01 (message type LOISTD): stock per plant and storage location. Each E1LOSTM under a
/// plant E1MBEWM (WERKS) becomes one `stock.snapshot` of that material in warehouse WERKS (the hub's
/// warehouse id is the SAP plant number) and location LGORT, as of the document's creation time.
enum StockMapping {
    static func snapshots(_ document: IDocDocument) throws(IDocError) -> [StockSnapshot] {
        let plants = document.segments("E1MBEWM")
        guard !plants.isEmpty else { throw IDocError("missing segment E1MBEWM") }
        guard let asOf = IDocValues.instant(date: document.control["CREDAT"], time: document.control["CRETIM"]) else {
            throw IDocError("EDI_DC40: CREDAT/CRETIM \(document.control["CREDAT"] ?? "") \(document.control["CRETIM"] ?? "") is not a time (YYYYMMDD hhmmss): a snapshot needs its time")
        }
        var snapshots: [StockSnapshot] = []
        for (index, plant) in plants.enumerated() {
            guard let warehouse = plant["WERKS"] else { throw IDocError("E1MBEWM #\(index + 1): WERKS (the plant) is empty") }
            let lines = plant.segments("E1LOSTM")
            guard !lines.isEmpty else { throw IDocError("E1MBEWM \(warehouse): missing segment E1LOSTM") }
            for (number, line) in lines.enumerated() {
                let at = "E1MBEWM \(warehouse) E1LOSTM #\(number + 1)"
                guard let material = line["MATNR"] else { throw IDocError("\(at): MATNR is empty") }
                guard let text = line["LABST"], let onHand = IDocValues.decimal(text) else {
                    throw IDocError("\(at): LABST \(line["LABST"] ?? "(empty)") is not a quantity")
                }
                guard onHand.value >= 0 else { throw IDocError("\(at): LABST \(text) is negative; unrestricted stock cannot be") }
                snapshots.append(StockSnapshot(warehouseId: warehouse, locationId: line["LGORT"], materialId: material, onHand: onHand, asOf: asOf))
            }
        }
        return snapshots
    }
}
