import WireFormats
import Foundation
import HubContracts

/// ORDERS05 with message type ORDRSP: the ERP's confirmation of a hub order — its sales order
/// number (E1EDK01 BELNR), the hub order id (E1EDK02 QUALF 001), the promised date (E1EDK03 IDDAT
/// 002), and per line (E1EDP01, POSEX = hub line) the confirmed quantity and a rejection reason
/// (ABGRU, with its text in E1EDPT1/E1EDPT2).
enum OrderConfirmationMapping {
    static func confirmation(_ document: IDocDocument) throws(IDocError) -> OrderConfirmed {
        guard let header = document.segments("E1EDK01").first else { throw IDocError("missing segment E1EDK01") }
        guard let erpNumber = header["BELNR"] else { throw IDocError("E1EDK01: BELNR (the ERP's order number) is empty") }
        guard let reference = document.segments("E1EDK02").first(where: { $0["QUALF"] == "001" }) else {
            throw IDocError("missing segment E1EDK02 with QUALF 001 (the hub's order id)")
        }
        guard let orderId = reference["BELNR"] else { throw IDocError("E1EDK02 QUALF 001: BELNR (the hub's order id) is empty") }
        // The promised date (E1EDK03 IDDAT 002) is absent while the ERP cannot promise one yet.
        var promised: CalendarDate?
        if let dateText = document.segments("E1EDK03").first(where: { $0["IDDAT"] == "002" })?["DATUM"] {
            guard let date = IDocValues.date(dateText) else { throw IDocError("E1EDK03 DATUM \(dateText) is not a date (YYYYMMDD)") }
            promised = date
        }
        var lines: [OrderConfirmed.Line] = []
        for (index, line) in document.segments("E1EDP01").enumerated() {
            guard let position = line["POSEX"], let lineNo = Int(position) else { throw IDocError("E1EDP01 #\(index + 1): POSEX (the hub's line number) is missing") }
            guard let quantity = IDocValues.decimal(line["MENGE"] ?? "0") else { throw IDocError("E1EDP01 #\(index + 1): MENGE \(line["MENGE"] ?? "") is not a quantity") }
            let text = line.segments("E1EDPT1").flatMap { $0.segments("E1EDPT2") }.compactMap { $0["TDLINE"] }.joined(separator: " ")
            let reason = line["ABGRU"].map { code in text.isEmpty ? code : "\(code) \(text)" }
            lines.append(OrderConfirmed.Line(lineNo: lineNo, confirmedQuantity: quantity, rejectionReason: reason))
        }
        return OrderConfirmed(orderId: orderId, erpOrderNumber: erpNumber, promisedDate: promised, lines: lines)
    }
}
