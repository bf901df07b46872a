import HubContracts
import HubDomain
import HubStore
import Foundation

/// A tier-1 dealer's books (R1): what it writes (sales, customers' returns, returns to the
/// company, stock counts, payments, its settings) and what the hub writes for it (purchases on
/// receipt of the company's deliveries, sales on its delivery notes, a tier-2 dealer's purchases on
/// receipt). Each document is booked whole at the moving-average cost (``BookPosting``), or refused
/// with the reason and kept so; the dealer's own stock follows its books.
enum BookRules {
    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let masterData = context.tables.masterData
        switch context.event.data {
        case .bookEntryRecorded(let entry):
            guard try masterData.dealer(entry.dealerId) != nil else { return .unknownReference("dealer \(entry.dealerId)") }
            let materials = Array(Set(entry.lines.map(\.materialId)))
            let known = try masterData.known(materials, in: .materials)
            if let unknown = materials.sorted().first(where: { !known.contains($0) }) { return .unknownReference("material \(unknown)") }
            guard BookEntryKind.recordable.contains(entry.kind) else {
                return .refused("\(entry.kind.rawValue) is booked by the hub, not written by a dealer (write one of \(BookEntryKind.recordable.map(\.rawValue).joined(separator: ", ")))")
            }
            _ = try book(Document(entryId: entry.entryId, dealerId: entry.dealerId, kind: entry.kind, customer: entry.customer, lines: entry.lines,
                                  amount: entry.amount, reference: entry.reference, at: entry.at, recordedBy: entry.recordedBy), context.tables)
            return .applied
        case .bookPricesSet(let set):
            guard try masterData.dealer(set.dealerId) != nil else { return .unknownReference("dealer \(set.dealerId)") }
            let materials = Array(Set(set.prices.map(\.materialId)))
            let known = try masterData.known(materials, in: .materials)
            if let unknown = materials.sorted().first(where: { !known.contains($0) }) { return .unknownReference("material \(unknown)") }
            try context.tables.books.setPrices(set, at: context.event.occurredAt)
            return .applied
        case .bookSettingsSet(let settings):
            guard try masterData.dealer(settings.dealerId) != nil else { return .unknownReference("dealer \(settings.dealerId)") }
            try context.tables.books.setAllowNegativeStock(settings.allowNegativeStock, dealerId: settings.dealerId, by: settings.setBy, at: context.event.occurredAt)
            return .applied
        default:
            return .notHandled
        }
    }

    /// A document to book.
    struct Document {
        var entryId: String
        var dealerId: String
        var kind: BookEntryKind
        var customer: BookEntryRecorded.Customer?
        var lines: [BookEntryRecorded.Line]
        var amount: DecimalNumber?
        var reference: String?
        var at: Timestamp
        var recordedBy: String
    }

    /// Books `document` once (the same entry id again changes nothing); why it was refused, or `nil` when it was booked
    /// (now or before). `refusedBecause`: a reason found before the books were looked at (the document is kept refused).
    static func book(_ document: Document, _ tables: CoreTransaction, refusedBecause: String? = nil) throws(StoreError) -> String? {
        let books = tables.books
        guard try !books.documentExists(document.entryId) else { return nil }
        let state = try books.dealer(document.dealerId)
        var refusal = refusedBecause
        var lines: [BookPosting.Line] = []
        for (index, line) in document.lines.enumerated() {
            let prices = [line.unitPrice, line.unitCost].compactMap { $0?.value }
            guard line.quantity.value <= BookQuantity.maximumUnits, prices.allSatisfy({ $0 <= BookQuantity.maximumUnitPrice }) else {
                refusal = "line \(index + 1) (\(line.materialId)): beyond what the books take (at most \(BookQuantity.maximumUnits) units at \(BookQuantity.maximumUnitPrice) a unit)"
                break
            }
            guard let quantity = BookQuantity.milli(line.quantity.value) else {
                refusal = "line \(index + 1) (\(line.materialId)): quantity \(line.quantity.text) has more than 3 decimals"
                break
            }
            lines.append(BookPosting.Line(materialId: line.materialId, quantityMilli: quantity, unitPriceFen: line.unitPrice.map { $0.value * 100 },
                                          unitCostFen: line.unitCost.map { $0.value * 100 }))
        }
        if let amount = document.amount?.value, amount > BookQuantity.maximumPayment {
            refusal = "a payment of \(amount) is beyond what the books take (at most \(BookQuantity.maximumPayment))"
        }
        let payment = refusal == nil ? document.amount.map { BookPosition.fen($0.value * 100) } ?? 0 : 0
        var posted: [BookPostedLine] = []
        if refusal == nil {
            var positions: [String: BookPosition] = [:]
            for material in Set(lines.map(\.materialId)) {
                positions[material] = try books.position(dealerId: document.dealerId, materialId: material)
            }
            switch BookPosting.post(kind: document.kind, lines: lines, paymentFen: payment, positions: positions, allowingNegativeStock: state.allowNegativeStock) {
            case .success(let booked): posted = booked
            case .failure(let refused): refusal = refused.description
            }
        }
        let row = BookDocumentRow(entryId: document.entryId, dealerId: document.dealerId, kind: document.kind, customer: document.customer, amountFen: payment,
                                  refusal: refusal, reference: document.reference, at: document.at, recordedBy: document.recordedBy, lines: document.lines)
        try books.book(row, lines: posted, bookedAtMilliseconds: max(document.at.milliseconds, state.lastAtMilliseconds), state: state)
        if refusal == nil, document.kind == .sale { try recordFlows(of: document, tables) }
        // The dealer's own stock (what analytics and the channel read) follows its books.
        var last: [String: BookPosition] = [:]
        for line in posted where !line.materialId.isEmpty { last[line.materialId] = line.after }
        for (material, position) in last.sorted(by: { $0.key < $1.key }) {
            try tables.dealerTrade.setDealerStock(dealerId: document.dealerId, materialId: material,
                                                  onHand: DecimalNumber(MinorUnits.decimal(position.onHandMilli, scale: 3)), asOf: document.at, replacingAsOf: false)
        }
        return refusal
    }

    /// The sell-through record (流向) of a booked sale's line: the channel views and the figures read the books'
    /// sales beside what dealers' own systems report. Its id is fixed by the document and the line, so what the
    /// figures note before the rule runs (``flowKeys(entryId:lines:)``) names it.
    static func flowRecordId(entryId: String, line: Int) -> String { "books:\(entryId):\(line)" }

    /// The sell-through records a sale document can write, for the figures to note before it is booked.
    static func flowKeys(dealerId: String, entryId: String, lines: Int) -> [SellThroughFacts.Key] {
        (0..<lines).map { SellThroughFacts.Key(dealerId: dealerId, recordId: flowRecordId(entryId: entryId, line: $0 + 1)) }
    }

    /// A booked sale's lines as sell-through records: to the customer's kind, in the customer's province when it is a
    /// dealer the hub knows (a tier-2 dealer, a key account, a quick-lube centre), else in the selling dealer's own
    /// (an end customer the dealer names only by its own id is local to it). Customers' returns are not flows: they
    /// show in the books' report.
    private static func recordFlows(of document: Document, _ tables: CoreTransaction) throws(StoreError) {
        let masterData = tables.masterData
        let kinds: [BookCustomerKind: CustomerKind] = [.tier2Dealer: .tier2, .endCustomer: .endCustomer, .keyAccount: .keyAccount, .quickLube: .quickLube]
        var region = try document.customer.map { customer throws(StoreError) in try masterData.region(of: customer.customerId) } ?? nil
        if region == nil { region = try masterData.region(of: document.dealerId) }
        guard let region else { return }
        let customer = SellThroughRecorded.Customer(kind: document.customer.flatMap { kinds[$0.kind] } ?? .endCustomer,
                                                    id: document.customer?.customerId, region: region)
        for (index, line) in document.lines.enumerated() where line.quantity.value > 0 {
            try tables.sellThrough.record(SellThroughRecorded(recordId: flowRecordId(entryId: document.entryId, line: index + 1), dealerId: document.dealerId,
                                                              materialId: line.materialId, quantity: line.quantity, soldAt: document.at,
                                                              customer: customer, unitPrice: line.unitPrice))
        }
    }
}
