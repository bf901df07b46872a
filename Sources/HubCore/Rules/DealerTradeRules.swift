import HubContracts
import HubStore
import HubDomain
import Foundation

/// Trade between dealers (R1): tier-2 dealers' orders to their tier-1 parent as a workflow (accepted
/// or rejected, served by delivery notes in parts, received), the goods each step books (``BookRules``),
/// and where goods went after a dealer (its sell-through records, 流向), kept for those its
/// permission groups' flows let see them.
enum DealerTradeRules {
    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let (trade, masterData) = (context.tables.dealerTrade, context.tables.masterData)
        switch context.event.data {
        case .tier2OrderSubmitted(let order):
            guard let dealer = try masterData.dealer(order.dealerId) else { return .unknownReference("dealer \(order.dealerId)") }
            guard dealer.tier.ordersFromParent(hasParent: dealer.parentDealerId != nil) else {
                return .refused("dealer \(order.dealerId) (\(dealer.tier.rawValue)) has no tier-1 dealer supplying it: only tier-2 dealers and supplied quick-lube centres order from one")
            }
            guard dealer.parentDealerId == order.supplierDealerId else {
                return .refused("tier-2 dealer \(order.dealerId) ordered from \(order.supplierDealerId), which is not its parent (\(dealer.parentDealerId ?? "none"))")
            }
            guard try trade.tier2Order(order.orderId) == nil else { return .applied }
            try trade.insertTier2Order(order, at: context.now)
            try audit(context, order.orderId, by: order.submittedBy, from: nil, to: .submitted)
            return .applied
        case .tier2OrderCancelled(let cancelled):
            guard let order = try trade.tier2Order(cancelled.orderId) else { return .unknownReference("tier-2 order \(cancelled.orderId)") }
            guard order.status.isOpenUnserved else { return .applied }  // served, rejected or already cancelled: stays
            try trade.setTier2Status(cancelled.orderId, to: .cancelled, reason: cancelled.reason, at: context.now)
            try audit(context, cancelled.orderId, by: cancelled.cancelledBy, from: order.status, to: .cancelled, reason: cancelled.reason)
            return .applied
        case .tier2OrderAccepted(let decided), .tier2OrderRejected(let decided):
            guard let order = try trade.tier2Order(decided.orderId) else { return .unknownReference("tier-2 order \(decided.orderId)") }
            guard order.supplierDealerId == decided.supplierDealerId else {
                return .refused("dealer \(decided.supplierDealerId) answered tier-2 order \(decided.orderId), which is addressed to \(order.supplierDealerId)")
            }
            // Only an order still waiting for its answer takes one; a later answer (or the same again) changes nothing.
            let rejecting = context.event.kind == .tier2OrderRejected
            guard order.status == .submitted || (rejecting && order.status == .accepted) else { return .applied }
            try trade.setTier2Status(decided.orderId, to: rejecting ? .rejected : .accepted, reason: decided.reason, at: context.now)
            try audit(context, decided.orderId, by: decided.decidedBy, from: order.status, to: rejecting ? .rejected : .accepted, reason: decided.reason)
            return .applied
        case .deliveryNoteIssued(let note):
            guard try masterData.dealer(note.supplierDealerId) != nil else { return .unknownReference("dealer \(note.supplierDealerId)") }
            return try issue(note, context)
        case .tier2OrderReceived(let received):
            guard let delivery = try trade.delivery(received.deliveryNoteId), delivery.orderId == received.orderId else {
                return .unknownReference("delivery note \(received.deliveryNoteId) of tier-2 order \(received.orderId)")
            }
            guard delivery.customerDealerId == received.dealerId else {
                return .refused("dealer \(received.dealerId) confirmed receipt of delivery note \(received.deliveryNoteId), which was issued to \(delivery.customerDealerId)")
            }
            guard delivery.receivedAt == nil else { return .applied }
            try trade.markReceived(received.deliveryNoteId, at: received.receivedAt)
            // Goods in on the tier-2 dealer's own books, at the prices it was charged.
            _ = try BookRules.book(BookRules.Document(entryId: "\(received.deliveryNoteId):in", dealerId: received.dealerId, kind: .purchase, customer: nil,
                                                      lines: delivery.lines.map { .init(materialId: $0.materialId, quantity: $0.quantity, unitPrice: $0.unitPrice) },
                                                      reference: received.deliveryNoteId, at: received.receivedAt, recordedBy: received.receivedBy), context.tables)
            if let order = try trade.tier2Order(received.orderId), order.status == .delivered,
               try trade.deliveries(of: received.orderId).allSatisfy({ $0.receivedAt != nil }) {
                try trade.setTier2Status(received.orderId, to: .received, at: context.now)
                try audit(context, received.orderId, by: received.receivedBy, from: order.status, to: .received)
            }
            return .applied
        case .sellThroughRecorded(let record):
            guard try masterData.dealer(record.dealerId) != nil else { return .unknownReference("dealer \(record.dealerId)") }
            // A material the ERP has not sent yet: held until it has (who may see a record depends on its product line).
            guard try !masterData.known([record.materialId], in: .materials).isEmpty else { return .unknownReference("material \(record.materialId)") }
            try context.tables.sellThrough.record(record)
            return .applied
        default:
            return .notHandled
        }
    }

    /// A delivery note (goods out of the supplier's books): checked against its tier-2 order when it names one (what was
    /// ordered and not yet delivered), then booked as a sale; a note that does not fit or goes beyond stock is kept
    /// refused with why, and the order stays as it was.
    static func issue(_ note: DeliveryNoteIssued, _ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let trade = context.tables.dealerTrade
        guard try !context.tables.books.documentExists(note.deliveryNoteId) else { return .applied }
        var misfit: String?
        var after: Tier2Fulfilment?
        var before: Tier2OrderStatus?
        if let orderId = note.orderId {
            // A note may overtake its order (another topic): it waits for it.
            guard let order = try trade.tier2Order(orderId) else { return .unknownReference("tier-2 order \(orderId)") }
            before = order.status
            if order.supplierDealerId == note.supplierDealerId, order.status.takesDeliveries {
                let delivered = try trade.deliveries(of: orderId).flatMap(\.lines).map { ($0.materialId, $0.quantity.value) }
                let fulfilment = Tier2Fulfilment(ordered: order.lines.map { ($0.materialId, $0.quantity.value) }, delivered: delivered)
                switch fulfilment.delivering(note.lines.map { ($0.materialId, $0.quantity.value) }) {
                case .success(let fulfilled): after = fulfilled
                case .failure(let misfits): misfit = "does not fit tier-2 order \(orderId): \(misfits)"
                }
            } else if order.supplierDealerId == note.supplierDealerId {
                misfit = "tier-2 order \(orderId) is \(order.status.rawValue): it takes no more delivery notes"
            } else {
                misfit = "tier-2 order \(orderId) is not addressed to \(note.supplierDealerId)"
            }
        }
        let kinds: [DealerTier: BookCustomerKind] = [.tier2: .tier2Dealer, .quickLube: .quickLube, .keyAccount: .keyAccount]
        let customerKind = try context.tables.masterData.dealer(note.customerDealerId).flatMap { kinds[$0.tier] } ?? .endCustomer
        let document = BookRules.Document(entryId: note.deliveryNoteId, dealerId: note.supplierDealerId, kind: .sale,
                                          customer: .init(customerId: note.customerDealerId, kind: customerKind),
                                          lines: note.lines.map { .init(materialId: $0.materialId, quantity: $0.quantity, unitPrice: $0.unitPrice) },
                                          reference: note.orderId, at: note.issuedAt, recordedBy: note.supplierDealerId)
        let refusal = try BookRules.book(document, context.tables, refusedBecause: misfit)
        guard refusal == nil, let orderId = note.orderId, let after else { return .applied }
        try trade.insertDelivery(note, orderId: orderId)
        let status: Tier2OrderStatus = after.isComplete ? .delivered : .partlyDelivered
        try trade.setTier2Status(orderId, to: status, at: context.now)
        try audit(context, orderId, by: note.supplierDealerId, from: before, to: status, reason: "delivery note \(note.deliveryNoteId)")
        return .applied
    }

    /// A tier-2 order's step, audited in the transaction that makes it (who moved it from which status to which, and
    /// why). Its outbox row on `hub.audit`, keyed `tier2-order:<id>`, is also what puts the step on the live streams
    /// of both dealers (and of the staff over them), in order among their order updates.
    private static func audit(_ context: RuleContext, _ orderId: String, by person: String, from before: Tier2OrderStatus?, to after: Tier2OrderStatus,
                              reason: String? = nil) throws(StoreError) {
        var fields = ["status": after.rawValue]
        fields["reason"] = reason
        try context.tables.audit.record(ChangeActor(id: person, source: context.event.source, traceParent: context.trace), action: "tier2-order.\(after.rawValue)",
                                        kind: "tier2-order", id: orderId, before: before.map { ["status": $0.rawValue] }, after: fields,
                                        at: context.now, topic: context.topics.audit)
    }

    /// Goods in for the dealer of a received order: a purchase on its books, one line per order line (the confirmed
    /// quantity where the ERP confirmed one), at the order's unit price.
    static func goodsIn(orderId: String, receipt: OrderReceipt, _ tables: CoreTransaction) throws(StoreError) {
        guard let dealerId = try tables.orders.dealerId(of: orderId) else { return }
        let lines = try tables.orders.lines(of: orderId).compactMap { line -> BookEntryRecorded.Line? in
            let quantity = line.confirmedQuantity ?? line.quantity
            guard quantity.value > 0 else { return nil }
            return .init(materialId: line.materialId, quantity: DecimalNumber(quantity.value), unitPrice: line.unitPrice)
        }
        guard !lines.isEmpty else { return }
        _ = try BookRules.book(BookRules.Document(entryId: "\(orderId):in", dealerId: dealerId, kind: .purchase, customer: nil, lines: lines, reference: orderId,
                                                  at: receipt.receivedAt, recordedBy: receipt.receivedBy), tables)
    }
}
