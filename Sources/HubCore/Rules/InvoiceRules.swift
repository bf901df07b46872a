import HubContracts
import HubStore

/// What dealers owe the company (the ERP's invoices): an invoice or credit memo is kept once, open
/// until cleared; a clearing takes off what it paid. The credit check counts what is open
/// (``OrderRules``), the dealer's books show it as payables.
enum InvoiceRules {
    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let invoices = context.tables.invoices
        switch context.event.data {
        case .invoicePosted(let invoice):
            guard try context.tables.masterData.dealer(invoice.dealerId) != nil else { return .unknownReference("dealer \(invoice.dealerId)") }
            _ = try invoices.post(invoice)  // the same invoice again changes nothing
            return .applied
        case .invoiceCleared(let clearing):
            // A clearing may overtake its invoice (the ERP sends them apart): it waits for it.
            guard let invoice = try invoices.openAmount(of: clearing.invoiceId) else { return .unknownReference("invoice \(clearing.invoiceId)") }
            guard invoice.dealerId == clearing.dealerId else {
                return .refused("clearing \(clearing.clearingId) names dealer \(clearing.dealerId), but invoice \(clearing.invoiceId) is \(invoice.dealerId)'s")
            }
            _ = try invoices.clear(clearing)
            return .applied
        default:
            return .notHandled
        }
    }
}
