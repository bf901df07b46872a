import HubContracts
import HubStore
import Foundation

/// Trade between dealers (R1): tier-2 dealers' orders to their tier-1 parent, the tier-1 dealer's
/// delivery notes (goods out), and goods in when a tier-1 dealer receives an order from the
/// company — its ledger and its own stock; and where goods went after a dealer (its sell-through
/// records, 流向), kept for those its permission groups' flows let see them.
enum DealerTradeRules {
    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let (trade, masterData) = (context.tables.dealerTrade, context.tables.masterData)
        switch context.event.data {
        case .tier2OrderSubmitted(let order):
            guard let dealer = try masterData.dealer(order.dealerId) else { return .unknownReference("dealer \(order.dealerId)") }
            guard dealer.tier == .tier2 else {
                return .refused("dealer \(order.dealerId) is not a tier-2 dealer: only tier-2 dealers order from a tier-1 dealer")
            }
            guard dealer.parentDealerId == order.supplierDealerId else {
                return .refused("tier-2 dealer \(order.dealerId) ordered from \(order.supplierDealerId), which is not its parent (\(dealer.parentDealerId ?? "none"))")
            }
            try trade.insertTier2Order(order, at: context.now)
            return .applied
        case .tier2OrderCancelled(let cancelled):
            guard let order = try trade.tier2Order(cancelled.orderId) else { return .unknownReference("tier-2 order \(cancelled.orderId)") }
            guard order.status == .submitted else { return .applied }  // delivered or already cancelled: stays
            try trade.setTier2Status(cancelled.orderId, to: .cancelled, at: context.now)
            return .applied
        case .deliveryNoteIssued(let note):
            guard try masterData.dealer(note.supplierDealerId) != nil else { return .unknownReference("dealer \(note.supplierDealerId)") }
            // The same note again (a retried request under a new event id): the first one stands, whatever its lines.
            guard try !trade.ledgerEntryExists("\(note.deliveryNoteId):1") else { return .applied }
            for (index, line) in note.lines.enumerated() {
                try post(LedgerEntry(entryId: "\(note.deliveryNoteId):\(index + 1)", dealerId: note.supplierDealerId, materialId: line.materialId,
                                     direction: .goodsOut, quantity: DecimalNumber(line.quantity.value), unitPrice: line.unitPrice, unitCost: line.unitCost,
                                     reference: note.deliveryNoteId, at: note.issuedAt), trade)
            }
            if let orderId = note.orderId, let order = try trade.tier2Order(orderId), order.supplierDealerId == note.supplierDealerId, order.status == .submitted {
                try trade.setTier2Status(orderId, to: .delivered, at: context.now)
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

    /// Goods in for the dealer of a received order: one ledger entry per line (the confirmed
    /// quantity where the ERP confirmed one), at the order's unit price as the dealer's cost.
    static func goodsIn(orderId: String, receipt: OrderReceipt, _ tables: CoreTransaction) throws(StoreError) {
        guard let dealerId = try tables.orders.dealerId(of: orderId) else { return }
        for line in try tables.orders.lines(of: orderId) {
            let quantity = line.confirmedQuantity ?? line.quantity
            guard quantity.value > 0 else { continue }
            try post(LedgerEntry(entryId: "\(orderId):in:\(line.lineNo)", dealerId: dealerId, materialId: line.materialId, direction: .goodsIn,
                                 quantity: DecimalNumber(quantity.value), unitPrice: nil, unitCost: line.unitPrice, reference: orderId, at: receipt.receivedAt), tables.dealerTrade)
        }
    }

    /// One ledger entry and its effect on the dealer's own stock (in adds, out takes away).
    private static func post(_ entry: LedgerEntry, _ trade: DealerTradeTable) throws(StoreError) {
        guard try trade.post(entry) else { return }
        let held = try trade.dealerStock(dealerId: entry.dealerId, materialId: entry.materialId)?.onHand.value ?? 0
        let onHand = held + (entry.direction == .goodsIn ? entry.quantity.value : -entry.quantity.value)
        try trade.setDealerStock(dealerId: entry.dealerId, materialId: entry.materialId, onHand: DecimalNumber(onHand), asOf: entry.at, replacingAsOf: false)
    }
}
