public import HubContracts
public import Foundation

/// What a dealer owes the company: the ERP's invoices and credit memos, each open until cleared.
public struct InvoiceTable {
    let db: any SQLDatabase

    /// Records a posted invoice or credit memo; `false` when it was recorded before (nothing changed).
    public func post(_ invoice: InvoicePosted) throws(StoreError) -> Bool {
        try db.execute("""
            INSERT INTO invoices (invoice_id, dealer_id, kind, amount, open_amount, currency, issued_on, due_on, order_id, erp_order_number)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, .text(invoice.invoiceId), .text(invoice.dealerId), .text(invoice.kind.rawValue), .text(invoice.amount.amount.text),
            .text(invoice.amount.amount.text), .text(invoice.amount.currency), .text(invoice.issuedOn.text), SQLValue(invoice.dueOn?.text),
            SQLValue(invoice.orderId), SQLValue(invoice.erpOrderNumber)) > 0
    }

    /// The dealer and what is still open of an invoice; `nil` when it is not known.
    public func openAmount(of invoiceId: String) throws(StoreError) -> (dealerId: String, open: Decimal)? {
        try db.first("SELECT dealer_id, open_amount FROM invoices WHERE invoice_id = ?", .text(invoiceId)).map {
            ($0.string(0) ?? "", $0.string(1).flatMap { Decimal(string: $0) } ?? 0)
        }
    }

    /// Records a clearing once and takes it off the invoice's open amount (never below zero); `false` when recorded before.
    public func clear(_ clearing: InvoiceCleared) throws(StoreError) -> Bool {
        guard try db.execute("""
            INSERT INTO invoice_clearings (clearing_id, invoice_id, dealer_id, amount, cleared_on) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, .text(clearing.clearingId), .text(clearing.invoiceId), .text(clearing.dealerId), .text(clearing.amount.amount.text),
            .text(clearing.clearedOn.text)) > 0 else { return false }
        let open = try openAmount(of: clearing.invoiceId)?.open ?? 0
        try db.execute("UPDATE invoices SET open_amount = ? WHERE invoice_id = ?", .text(DecimalNumber(max(open - clearing.amount.amount.value, 0)).text),
                       .text(clearing.invoiceId))
        return true
    }

    /// What the dealer owes now: open invoices less open credit memos.
    public func openValue(dealerId: String) throws(StoreError) -> Decimal {
        try InvoiceReadModel(db: db).openValue(dealerId: dealerId)
    }
}

/// What dealers owe the company, as the API, the console and the books read it.
public struct InvoiceReadModel {
    let db: any SQLDatabase

    /// Open invoices less open credit memos, now.
    public func openValue(dealerId: String) throws(StoreError) -> Decimal {
        try db.query("SELECT kind, open_amount FROM invoices WHERE dealer_id = ?", .text(dealerId)).reduce(Decimal(0)) { sum, row in
            let open = row.string(1).flatMap { Decimal(string: $0) } ?? 0
            return sum + (row.string(0) == InvoiceKind.creditMemo.rawValue ? -open : open)
        }
    }

    /// What the dealer owed at the start of `day` (invoices issued and clearings made before it): the books' payables.
    public func owed(dealerId: String, before day: CalendarDate) throws(StoreError) -> Decimal {
        let posted = try db.query("SELECT kind, amount FROM invoices WHERE dealer_id = ? AND issued_on < ?", .text(dealerId), .text(day.text))
            .reduce(Decimal(0)) { sum, row in
                let amount = row.string(1).flatMap { Decimal(string: $0) } ?? 0
                return sum + (row.string(0) == InvoiceKind.creditMemo.rawValue ? -amount : amount)
            }
        let cleared = try db.query("""
            SELECT i.kind, c.amount FROM invoice_clearings c JOIN invoices i ON i.invoice_id = c.invoice_id WHERE c.dealer_id = ? AND c.cleared_on < ?
            """, .text(dealerId), .text(day.text)).reduce(Decimal(0)) { sum, row in
                let amount = row.string(1).flatMap { Decimal(string: $0) } ?? 0
                return sum + (row.string(0) == InvoiceKind.creditMemo.rawValue ? -amount : amount)
            }
        return posted - cleared
    }
}
