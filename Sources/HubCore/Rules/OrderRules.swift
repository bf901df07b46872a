import HubContracts
import HubDomain
import HubStore
import Foundation

/// Orders: the decision on a submitted order (with its reservations), and every later event moving
/// it forward — never backwards; an event ahead of the one it depends on is held. Each change
/// publishes the order's event on `hub.orders.events` and its whole view on `hub.orders.updates`.
enum OrderRules {
    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let event = context.event
        switch event.data {
        case .orderSubmit(let submission):
            return try submit(submission, context)
        case .orderCancel(let cancellation):
            let cancelled = OrderCancelled(orderId: cancellation.orderId, reason: cancellation.reason, cancelledBy: cancellation.requestedBy)
            return try move(cancellation.orderId, .cancel, data: .orderCancelled(cancelled), context)
        case .orderConfirmReceipt(let receipt), .orderReceived(let receipt):
            return try move(receipt.orderId, .receive, data: .orderReceived(receipt), context)
        case .orderRate(let rating), .orderRated(let rating):
            return try move(rating.orderId, .rate, data: .orderRated(rating), context)
        case .orderCancelled(let cancelled):
            return try move(cancelled.orderId, .cancel, data: event.data, context)
        case .orderSubmitted:
            // The core's own announcement, read back under another id (published by an older core): nothing to do.
            return .applied
        case .orderAccepted, .orderRejected:
            return .refused("\(event.type) for \(event.subject) did not come from the core: only the core decides orders")
        case .orderConfirmed(let confirmed): return try move(confirmed.orderId, .confirm, data: event.data, context)
        case .orderScheduled(let scheduled): return try move(scheduled.orderId, .schedule, data: event.data, context)
        case .orderProduced(let produced): return try move(produced.orderId, .produce, data: event.data, context)
        case .orderAllocated(let allocated): return try move(allocated.orderId, .allocate, data: event.data, context)
        case .orderDispatched(let dispatched): return try move(dispatched.orderId, .dispatch, data: event.data, context)
        case .orderDelivered(let delivered): return try move(delivered.orderId, .deliver, data: event.data, context)
        default:
            return .notHandled
        }
    }

    /// The order an order event is about.
    static func orderId(of data: EventData) -> String? {
        switch data {
        case .orderSubmit(let submission), .orderSubmitted(let submission): submission.orderId
        case .orderCancel(let cancellation): cancellation.orderId
        case .orderConfirmReceipt(let receipt), .orderReceived(let receipt): receipt.orderId
        case .orderRate(let rating), .orderRated(let rating): rating.orderId
        case .orderCancelled(let cancelled): cancelled.orderId
        case .orderConfirmed(let confirmed): confirmed.orderId
        case .orderScheduled(let scheduled): scheduled.orderId
        case .orderProduced(let produced): produced.orderId
        case .orderAllocated(let allocated): allocated.orderId
        case .orderDispatched(let dispatched): dispatched.orderId
        case .orderDelivered(let delivered): delivered.orderId
        default: nil
        }
    }

    // MARK: - Submit

    static func submit(_ order: OrderSubmission, _ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let tables = context.tables
        // A second submit of the same order (a retried request under a new event id): the first decision stands.
        guard try !tables.orders.exists(order.orderId) else { return .applied }
        let pricedAt = PromotionPricing.pricingMoment(submittedAt: context.event.occurredAt, decidedAt: context.now)
        let records = try tables.orderDecisions.context(dealerId: order.dealerId, materialIds: Set(order.lines.map(\.materialId)), pricedAt: pricedAt)
        let decision = OrderDecision.decide(order, context: OrderDecisionContext(records: records, openOrderValue: try openOrderValue(dealerId: order.dealerId, tables),
                                                                                 openInvoiceValue: try tables.invoices.openValue(dealerId: order.dealerId),
                                                                                 pricedAt: pricedAt))
        let acceptedLines: [Int: OrderAccepted.Line]
        let record: (status: OrderStatus, total: Money?, rejections: [RejectionReason]?, announced: EventData)
        switch decision {
        case .accepted(let accepted):
            acceptedLines = Dictionary(accepted.lines.map { ($0.lineNo, $0) }, uniquingKeysWith: { first, _ in first })
            record = (.accepted, accepted.total, nil, .orderAccepted(accepted))
        case .rejected(let rejected):
            acceptedLines = [:]
            record = (.rejected, nil, rejected.reasons, .orderRejected(rejected))
        }
        var seen = Set<Int>()
        let lines = order.lines.filter { seen.insert($0.lineNo).inserted }
        try tables.orders.insert(NewOrder(
            orderId: order.orderId, dealerId: order.dealerId, status: record.status, total: record.total, requestedDeliveryDate: order.requestedDeliveryDate,
            channel: order.channel, submittedBy: order.submittedBy, requestDigest: order.requestDigest, rejections: record.rejections,
            lines: lines.map { line in
                NewOrder.Line(lineNo: line.lineNo, materialId: line.materialId, quantity: line.quantity, kind: line.kind,
                              unitPrice: acceptedLines[line.lineNo]?.unitPrice, amount: acceptedLines[line.lineNo]?.amount,
                              promotionId: acceptedLines[line.lineNo]?.promotionId, listUnitPrice: acceptedLines[line.lineNo]?.listUnitPrice)
            }), placedAt: context.event.occurredAt, at: context.now)
        for line in lines {
            for reservation in acceptedLines[line.lineNo]?.reservations ?? [] {
                let held = Reservation(orderId: order.orderId, lineNo: line.lineNo, warehouseId: reservation.warehouseId,
                                       locationId: reservation.locationId ?? "", materialId: line.materialId, quantity: reservation.quantity)
                try tables.reservations.insert(held)
                try InventoryRules.changeReserved(at: held.place, by: held.quantity.value, in: tables.stock)
            }
        }
        try context.publish(topic: context.topics.orderEvents, key: order.orderId, id: "\(context.event.id).submitted", data: .orderSubmitted(order), readBack: true)
        try context.publish(topic: context.topics.orderEvents, key: order.orderId, id: "\(context.event.id).decided", data: record.announced, readBack: true)
        try publishView(order.orderId, context)
        return .applied
    }

    /// Gives back the stock an order still holds.
    static func releaseReservations(of orderId: String, _ tables: CoreTransaction) throws(StoreError) {
        for held in try tables.reservations.of(orderId) {
            try InventoryRules.changeReserved(at: held.place, by: -held.quantity.value, in: tables.stock)
        }
        try tables.reservations.removeAll(of: orderId)
    }

    /// What the dealer's accepted orders not yet received, nor invoiced, are worth: with its open invoices, what counts
    /// against its credit limit (an invoiced order counts once, by its invoice, until the invoice is cleared).
    static func openOrderValue(dealerId: String, _ tables: CoreTransaction) throws(StoreError) -> Decimal {
        try tables.orders.uninvoicedTotals(dealerId: dealerId, statuses: openStatuses).reduce(Decimal(0)) { $0 + $1.value }
    }

    static let openStatuses: [OrderStatus] = [.accepted, .confirmed, .scheduled, .produced, .allocated, .dispatched, .delivered]

    // MARK: - Moving forward

    /// Moves an order forward by one event (`data`, which says the move happened). `announcedAs`
    /// names the event the core publishes on `hub.orders.events` when it derived the move itself
    /// (from its shipments); otherwise the event is announced there only when it came from
    /// elsewhere (a command).
    static func move(_ orderId: String, _ move: OrderMove, data: EventData, announcedAs derivedId: String? = nil,
                     _ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let tables = context.tables
        let current = try tables.orders.status(of: orderId)
        switch OrderLifecycle.verdict(for: move, current: current) {
        case .hold(let waitingFor):
            return .unknownReference(current.map { "order \(orderId) to be \(waitingFor) (it is \($0))" } ?? "order \(orderId)")
        case .ignore:
            // Already there or past it (a late repeat from the ERP): applied as nothing, so it is not retried.
            return .applied
        case .apply(let status):
            try AnalyticsRules.noteChange(ofOrder: orderId, context)
            try record(data, orderId: orderId, context)
            try tables.orders.move(orderId, to: status, at: context.now)
            if status == .cancelled || status == .dispatched {
                // Cancelled: the stock is free again. Dispatched: the goods left; the ERP's goods issue lowers on hand.
                try releaseReservations(of: orderId, tables)
            }
            if let derivedId {
                try context.publish(topic: context.topics.orderEvents, key: orderId, id: derivedId, data: data, readBack: true)
            } else if context.source.topic != context.topics.orderEvents {
                // A command's outcome is announced on hub.orders.events; the ERP's events are there already.
                try context.publish(topic: context.topics.orderEvents, key: orderId, id: "\(context.event.id).\(move.eventKind.type)", data: data, readBack: true)
            }
            if status == .allocated || status == .dispatched, try followShipments(orderId, context) {
                return .applied  // the further move published the newer view
            }
            try publishView(orderId, context)
            return .applied
        }
    }

    /// Moves an order along with the shipments carrying it (R7): `dispatched` once one of them has
    /// left, `delivered` once all of them were delivered. Called when a shipment changes and when the
    /// order reaches `allocated` or `dispatched` (the carrier may report before the ERP's allocation
    /// reaches the core). Whether the order moved (and published its view).
    static func followShipments(_ orderId: String, _ context: RuleContext) throws(StoreError) -> Bool {
        let tables = context.tables
        guard let status = try tables.orders.status(of: orderId), status == .allocated || status == .dispatched else { return false }
        let shipments = try tables.shipments.milestones(ofOrder: orderId)
        let derivedId = { (step: String) in "\(context.event.id).\(orderId).\(step)" }
        if status == .allocated,
           let left = shipments.first(where: { $0.dispatchedAt != nil || $0.status == .dispatched || $0.status == .arrived || $0.status == .delivered }) {
            let dispatched = OrderDispatched(orderId: orderId, shipmentId: left.shipmentId, dispatchedAt: left.dispatchedAt ?? context.now)
            return try move(orderId, .dispatch, data: .orderDispatched(dispatched), announcedAs: derivedId("dispatched"), context) == .applied
        }
        if status == .dispatched, let last = shipments.last, shipments.allSatisfy({ $0.status == .delivered }) {
            let deliveredAt = shipments.compactMap(\.deliveredAt).max() ?? context.now
            let delivered = OrderDelivered(orderId: orderId, shipmentId: last.shipmentId, deliveredAt: deliveredAt)
            return try move(orderId, .deliver, data: .orderDelivered(delivered), announcedAs: derivedId("delivered"), context) == .applied
        }
        return false
    }

    /// What an event adds to the order besides its status.
    private static func record(_ data: EventData, orderId: String, _ context: RuleContext) throws(StoreError) {
        switch data {
        case .orderConfirmed(let confirmed):
            try context.tables.orders.recordConfirmation(orderId, erpOrderNumber: confirmed.erpOrderNumber, promisedDate: confirmed.promisedDate, lines: confirmed.lines.map {
                ConfirmedLine(lineNo: $0.lineNo, confirmedQuantity: $0.confirmedQuantity, status: $0.rejectionReason.map { "rejected by ERP: \($0)" } ?? "confirmed")
            }, at: context.event.occurredAt)
        case .orderDispatched(let dispatched):
            // Before the reservations are released: they say which plant the goods left from.
            try AnalyticsRules.recordDispatch(orderId, dispatched, context.tables)
        case .orderRated(let rating):
            try context.tables.orders.recordRating(orderId, rating)
        case .orderReceived(let receipt):
            try DealerTradeRules.goodsIn(orderId: orderId, receipt: receipt, context.tables)
            // The rating's fourth dimension, scored from when the goods arrived (R8).
            let arrivals = try context.tables.shipments.milestones(ofOrder: orderId).compactMap { ($0.arrivedAt ?? $0.deliveredAt)?.date }
            if let scored = ReceiptSpeed.score(arrivals: arrivals, receivedAt: receipt.receivedAt.date) {
                try context.tables.orders.recordReceiptSpeed(orderId, score: scored.score, hours: DecimalNumber(scored.hours))
            }
        default:
            break
        }
    }

    static func publishView(_ orderId: String, _ context: RuleContext) throws(StoreError) {
        guard let view = try context.tables.orderViews.view(orderId, at: context.now) else { return }
        try context.publish(topic: context.topics.orderUpdates, key: orderId, id: "\(orderId).v\(view.version)", data: .orderView(view), readBack: false)
    }
}

extension Reservation {
    /// Where the reserved stock is.
    var place: StockPlace { StockPlace(warehouseId: warehouseId, locationId: locationId, materialId: materialId) }
}
