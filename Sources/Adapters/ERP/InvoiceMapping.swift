import WireFormats
import HubContracts

/// INVOIC02 (message type INVOIC): a billing document SAP posted for a customer — an invoice
/// (E1EDK01 BSART `INVO`) or a credit memo (`CRME`) — becomes `invoice.posted`:
/// - the id: E1EDK01 BELNR (else E1EDK02 QUALF 009); the dealer: E1EDKA1 PARVW `RE` (bill-to),
///   else `AG` (sold-to), as `D` + the customer number without leading zeros;
/// - the amount: E1EDS01 SUMID 011 (gross, tax included) in E1EDK01 CURCY (else E1EDS01 WAERQ);
/// - the date: E1EDK03 IDDAT 012 (document date); due: that date plus E1EDK18 QUALF 001 TAGE days
///   (none without payment terms);
/// - the order: E1EDK02 QUALF 001 (the customer's order number: the hub's order id), QUALF 002
///   (the ERP's sales order).
///
/// ZLHCLR01 (LubeHub's custom basic type, message type ZLHCLR): SAP clears a customer's open item
/// when the money arrives (an FI clearing document), and no standard outbound IDoc carries that per
/// invoice, so the ERP sends one Z1CLEAR segment per cleared item — KUNNR, BELNR (the invoice),
/// AUGBL and BUZEI (the clearing document and item: the id), AUGDT (the clearing date, YYYYMMDD),
/// WRBTR (the amount cleared, positive) in WAERS — each `invoice.cleared`.
enum InvoiceMapping {
    static func invoice(_ document: IDocDocument) throws(IDocError) -> InvoicePosted {
        guard let header = document.segments("E1EDK01").first else { throw IDocError("missing segment E1EDK01") }
        let references = document.segments("E1EDK02")
        func reference(_ qualifier: String) -> String? { references.first { $0["QUALF"] == qualifier }?["BELNR"] }
        guard let invoiceId = header["BELNR"] ?? reference("009") else { throw IDocError("E1EDK01: BELNR (the billing document) is empty, and no E1EDK02 QUALF 009") }
        let kind: InvoiceKind
        switch header["BSART"] {
        case "INVO", nil: kind = .invoice
        case "CRME": kind = .creditMemo
        case let other?: throw IDocError("E1EDK01: BSART \(other) is neither an invoice (INVO) nor a credit memo (CRME)")
        }
        let partners = document.segments("E1EDKA1")
        guard let customer = (partners.first { $0["PARVW"] == "RE" } ?? partners.first { $0["PARVW"] == "AG" })?["PARTN"] else {
            throw IDocError("E1EDKA1: no bill-to (PARVW RE) or sold-to (AG) partner with PARTN")
        }
        let sums = document.segments("E1EDS01")
        guard let gross = sums.first(where: { $0["SUMID"] == "011" }), let text = gross["SUMME"], let amount = IDocValues.decimal(text), amount.value > 0 else {
            throw IDocError("E1EDS01: no SUMID 011 with a positive SUMME (the gross amount)")
        }
        guard let currency = header["CURCY"] ?? gross["WAERQ"] else { throw IDocError("E1EDK01: CURCY is empty and E1EDS01 names no WAERQ") }
        guard let dated = document.segments("E1EDK03").first(where: { $0["IDDAT"] == "012" })?["DATUM"], let issuedOn = IDocValues.date(dated) else {
            throw IDocError("E1EDK03: no IDDAT 012 with a DATUM (the document date, YYYYMMDD)")
        }
        var dueOn: CalendarDate?
        if let terms = document.segments("E1EDK18").first(where: { $0["QUALF"] == "001" })?["TAGE"] {
            guard let days = Int(terms), (0...3_650).contains(days) else { throw IDocError("E1EDK18 QUALF 001: TAGE \(terms) is not a number of days") }
            dueOn = Self.date(issuedOn, plus: days)
        }
        return InvoicePosted(invoiceId: invoiceId, dealerId: IDocValues.dealerId(customer), kind: kind, amount: Money(amount: amount, currency: currency),
                             issuedOn: issuedOn, dueOn: dueOn, orderId: reference("001"), erpOrderNumber: reference("002"))
    }

    static func clearings(_ document: IDocDocument) throws(IDocError) -> [InvoiceCleared] {
        let segments = document.segments("Z1CLEAR")
        guard !segments.isEmpty else { throw IDocError("missing segment Z1CLEAR") }
        return try segments.enumerated().map { (index, segment) throws(IDocError) -> InvoiceCleared in
            let at = "Z1CLEAR #\(index + 1)"
            guard let customer = segment["KUNNR"] else { throw IDocError("\(at): KUNNR (the customer) is empty") }
            guard let invoice = segment["BELNR"] else { throw IDocError("\(at): BELNR (the invoice cleared) is empty") }
            guard let clearing = segment["AUGBL"] else { throw IDocError("\(at): AUGBL (the clearing document) is empty") }
            guard let dateText = segment["AUGDT"], let clearedOn = IDocValues.date(dateText) else {
                throw IDocError("\(at): AUGDT \(segment["AUGDT"] ?? "(empty)") is not a date (YYYYMMDD)")
            }
            guard let text = segment["WRBTR"], let amount = IDocValues.decimal(text), amount.value > 0 else {
                throw IDocError("\(at): WRBTR \(segment["WRBTR"] ?? "(empty)") is not a positive amount")
            }
            guard let currency = segment["WAERS"] else { throw IDocError("\(at): WAERS is empty") }
            return InvoiceCleared(clearingId: "\(clearing):\(segment["BUZEI"] ?? String(index + 1))", invoiceId: invoice, dealerId: IDocValues.dealerId(customer),
                                  amount: Money(amount: amount, currency: currency), clearedOn: clearedOn)
        }
    }

    /// `date` plus `days` days.
    static func date(_ date: CalendarDate, plus days: Int) -> CalendarDate? {
        let parts = date.text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        let civil = CivilCalendar.date(days: Int64(CivilCalendar.days(year: parts[0], month: parts[1], day: parts[2]) + days))
        return CalendarDate(String(format: "%04d-%02d-%02d", Int(civil.year), Int(civil.month), Int(civil.day)))
    }
}
