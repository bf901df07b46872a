import WireFormats
import Foundation
import HubContracts

/// The ERP's inbound order documents, written as an SAP XML port reads them: an accepted hub order
/// becomes an ORDERS05 with message type ORDERS, a cancellation an ORDERS05 with message type
/// ORDCHG and E1EDK01 ACTION 003. The control record's DOCNUM is derived from the hub event's id and
/// CREDAT/CRETIM from its time (China Standard Time), so writing the same event again gives the
/// same bytes.
struct OrderDocumentWriter: Sendable {
    /// The hub's sales organisation (E1EDK14 QUALF 008) and order type (BSART).
    var salesOrganisation = "1000"
    var orderType = "ZLH"
    var senderPort = "SAPHUB"
    var partner = "LUBEHUB"
    var erpPort = "SAPPRD"
    var erpPartner = "SAPPRD"

    /// Item categories telling the ERP how a line is served (R9): from stock, or booked into production.
    static func itemCategory(_ kind: LineKind) -> String { kind == .madeToOrder ? "ZMTO" : "ZSPT" }

    func order(_ accepted: OrderAccepted, eventId: String, at time: Timestamp) throws(IDocError) -> [UInt8] {
        guard let customer = IDocValues.customerNumber(accepted.dealerId) else {
            throw IDocError("dealer \(accepted.dealerId) has no SAP customer number (ids the ERP issued are D + KUNNR)")
        }
        var segments: [XMLElement] = [
            .segment("E1EDK01", [.field("CURCY", accepted.total.currency), .field("BSART", orderType)]),
            .segment("E1EDK14", [.field("QUALF", "008"), .field("ORGID", salesOrganisation)]),
            .segment("E1EDK02", [.field("QUALF", "001"), .field("BELNR", accepted.orderId)]),
        ]
        if let requested = accepted.requestedDeliveryDate {
            segments.append(.segment("E1EDK03", [.field("IDDAT", "002"), .field("DATUM", requested.text.replacingOccurrences(of: "-", with: ""))]))
        }
        segments.append(.segment("E1EDKA1", [.field("PARVW", "AG"), .field("PARTN", customer)]))
        for line in accepted.lines {
            segments.append(.segment("E1EDP01", [
                .field("POSEX", Self.lineNumber(line.lineNo)), .field("PSTYV", Self.itemCategory(line.kind)), .field("MENGE", line.quantity.text),
                .field("VPREI", line.unitPrice.text),
                .segment("E1EDP19", [.field("QUALF", "002"), .field("IDTNR", line.materialId)]),
            ]))
        }
        return document(messageType: "ORDERS", eventId: eventId, at: time, segments: segments)
    }

    func cancellation(_ cancelled: OrderCancelled, eventId: String, at time: Timestamp) -> [UInt8] {
        document(messageType: "ORDCHG", eventId: eventId, at: time, segments: [
            .segment("E1EDK01", [.field("ACTION", "003")]),
            .segment("E1EDK02", [.field("QUALF", "001"), .field("BELNR", cancelled.orderId)]),
            .segment("E1EDKT1", [.field("TDID", "Z001"), .segment("E1EDKT2", [.field("TDLINE", String(cancelled.reason.prefix(70)))])]),
        ])
    }

    static func lineNumber(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// A 16-digit IDoc number from the event id (FNV-1a), the same for the same event.
    static func documentNumber(_ eventId: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in eventId.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let digits = String(hash % 10_000_000_000_000_000)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private func document(messageType: String, eventId: String, at time: Timestamp, segments: [XMLElement]) -> [UInt8] {
        let (date, clock) = Self.chinaStandardTime(time)
        let control = XMLElement.segment("EDI_DC40", [
            .field("TABNAM", "EDI_DC40"), .field("DOCNUM", Self.documentNumber(eventId)), .field("DIRECT", "2"), .field("IDOCTYP", "ORDERS05"),
            .field("MESTYP", messageType), .field("SNDPOR", senderPort), .field("SNDPRT", "LS"), .field("SNDPRN", partner),
            .field("RCVPOR", erpPort), .field("RCVPRT", "LS"), .field("RCVPRN", erpPartner), .field("CREDAT", date), .field("CRETIM", clock),
        ])
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ORDERS05>\n  <IDOC BEGIN=\"1\">\n"
        for element in [control] + segments { element.write(to: &text, indent: 4) }
        text += "  </IDOC>\n</ORDERS05>\n"
        return Array(text.utf8)
    }

    /// YYYYMMDD and hhmmss in UTC+8.
    static func chinaStandardTime(_ time: Timestamp) -> (date: String, time: String) {
        let seconds = Int(time.date.timeIntervalSince1970.rounded(.down)) + CivilCalendar.chinaStandardTimeOffset
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (year, month, day) = CivilCalendar.date(days: Int64(days))
        let inDay = seconds - days * 86_400
        func two<Number: BinaryInteger>(_ value: Number) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return ("\(year)\(two(month))\(two(day))", "\(two(inDay / 3600))\(two(inDay / 60 % 60))\(two(inDay % 60))")
    }
}

/// A segment (with `SEGMENT="1"`) or a field of one, written with XML escaping.
private indirect enum XMLElement {
    case segment(String, [XMLElement])
    case field(String, String)

    func write(to text: inout String, indent: Int) {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .field(let name, let value):
            text += "\(pad)<\(name)>\(Self.escaped(value))</\(name)>\n"
        case .segment(let name, let children):
            text += "\(pad)<\(name) SEGMENT=\"1\">\n"
            for child in children { child.write(to: &text, indent: indent + 2) }
            text += "\(pad)</\(name)>\n"
        }
    }

    /// XML 1.0 cannot carry most control characters at all; they are dropped rather than sent broken.
    static func escaped(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default: if scalar.value >= 0x20 { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
