/// Whether a billing document adds to what a dealer owes the company or takes from it.
public struct InvoiceKind: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let invoice = InvoiceKind(rawValue: "invoice")
    public static let creditMemo = InvoiceKind(rawValue: "credit-memo")
    public static let known: [InvoiceKind] = [.invoice, .creditMemo]
}

/// `invoice.posted` on `hub.invoices`: a billing document the ERP posted for a dealer (INVOIC02):
/// an invoice it owes, or a credit memo that takes from what it owes. Open until cleared.
public struct InvoicePosted: Sendable, Hashable, Codable {
    /// The ERP's billing document number.
    public var invoiceId: String
    public var dealerId: String
    public var kind: InvoiceKind
    /// Gross (tax included), positive for both kinds.
    public var amount: Money
    public var issuedOn: CalendarDate
    /// From the payment terms; none when the terms name no days.
    public var dueOn: CalendarDate?
    /// The hub's order it bills, when the ERP names it.
    public var orderId: String?
    public var erpOrderNumber: String?

    public init(invoiceId: String, dealerId: String, kind: InvoiceKind, amount: Money, issuedOn: CalendarDate, dueOn: CalendarDate? = nil,
                orderId: String? = nil, erpOrderNumber: String? = nil) {
        self.invoiceId = invoiceId
        self.dealerId = dealerId
        self.kind = kind
        self.amount = amount
        self.issuedOn = issuedOn
        self.dueOn = dueOn
        self.orderId = orderId
        self.erpOrderNumber = erpOrderNumber
    }
}

/// `invoice.cleared` on `hub.invoices`: the ERP cleared (part of) an open invoice — the dealer paid.
public struct InvoiceCleared: Sendable, Hashable, Codable {
    /// The ERP's clearing document and item: the same clearing sent twice counts once.
    public var clearingId: String
    public var invoiceId: String
    public var dealerId: String
    public var amount: Money
    public var clearedOn: CalendarDate

    public init(clearingId: String, invoiceId: String, dealerId: String, amount: Money, clearedOn: CalendarDate) {
        self.clearingId = clearingId
        self.invoiceId = invoiceId
        self.dealerId = dealerId
        self.amount = amount
        self.clearedOn = clearedOn
    }
}
