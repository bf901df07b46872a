import HubContracts
import HubStore
import Foundation

/// Orders: the decision on a submitted order (with its reservations), and every later event moving
/// it forward — never backwards; an event ahead of the one it depends on is held. Each change
/// publishes the order's event on `hub.orders.events` and its whole view on `hub.orders.updates`.
enum OrderRules {
    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let event = context.event
        switch event.data {
        case let submission as OrderSubmission where event.type == "order.submit":
            return try submit(submission, context)
        case let cancellation as OrderCancellation where event.type == "order.cancel":
            let cancelled = OrderCancelled(orderId: cancellation.orderId, reason: cancellation.reason, cancelledBy: cancellation.requestedBy)
            return try move(cancellation.orderId, eventType: "order.cancelled", data: cancelled, context)
        case let receipt as OrderReceipt where event.type == "order.confirm-receipt" || event.type == "order.received":
            return try move(receipt.orderId, eventType: "order.received", data: receipt, context)
        case let rating as OrderRating where event.type == "order.rate" || event.type == "order.rated":
            return try move(rating.orderId, eventType: "order.rated", data: rating, context)
        case let cancelled as OrderCancelled where event.type == "order.cancelled":
            return try move(cancelled.orderId, eventType: event.type, data: cancelled, context)
        case is OrderSubmission where event.type == "order.submitted":
            // The core's own announcement, read back under another id (published by an older core): nothing to do.
            return .applied
        case is OrderAccepted, is OrderRejected:
            return .refused("\(event.type) for \(event.subject) did not come from the core: only the core decides orders")
        case let confirmed as OrderConfirmed: return try move(confirmed.orderId, eventType: event.type, data: confirmed, context)
        case let scheduled as OrderScheduled: return try move(scheduled.orderId, eventType: event.type, data: scheduled, context)
        case let produced as OrderProduced: return try move(produced.orderId, eventType: event.type, data: produced, context)
        case let allocated as OrderAllocated: return try move(allocated.orderId, eventType: event.type, data: allocated, context)
        case let dispatched as OrderDispatched: return try move(dispatched.orderId, eventType: event.type, data: dispatched, context)
        case let delivered as OrderDelivered: return try move(delivered.orderId, eventType: event.type, data: delivered, context)
        default:
            return .notHandled
        }
    }

    // MARK: - Submit

    static func submit(_ order: OrderSubmission, _ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let db = context.db
        if try db.first("SELECT 1 FROM orders WHERE order_id = ?", .text(order.orderId)) != nil {
            // A second submit of the same order (a retried request under a new event id): the first decision stands.
            return .applied
        }
        let records = try MasterDataTables.orderContext(dealerId: order.dealerId, materialIds: Set(order.lines.map(\.materialId)), in: db)
        let decisionContext = OrderDecisionContext(records: records, openOrderValue: try openOrderValue(dealerId: order.dealerId, in: db))
        let decision = OrderDecision.decide(order, context: decisionContext)
        let now = context.now.text
        let status: OrderStatus
        var total: Money?
        var rejections: [RejectionReason]?
        var decided: (type: String, data: any CanonicalPayload)
        switch decision {
        case .accepted(let accepted):
            status = .accepted
            total = accepted.total
            decided = ("order.accepted", accepted)
        case .rejected(let rejected):
            status = .rejected
            rejections = rejected.reasons
            decided = ("order.rejected", rejected)
        }
        try db.execute("""
            INSERT INTO orders (order_id, dealer_id, status, version, total, currency, requested_delivery_date, channel, submitted_by,
                                rejections, submitted_at, updated_at)
            VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)
            """, .text(order.orderId), .text(order.dealerId), .text(status.rawValue), SQLValue(total?.amount.text), SQLValue(total?.currency),
            SQLValue(order.requestedDeliveryDate?.text), .text(order.channel.rawValue), .text(order.submittedBy),
            SQLValue(rejections.map(JSONText.encode)), .text(now), .text(now))
        let acceptedLines: [Int: OrderAccepted.Line]
        if case .accepted(let accepted) = decision {
            acceptedLines = Dictionary(accepted.lines.map { ($0.lineNo, $0) }, uniquingKeysWith: { first, _ in first })
        } else {
            acceptedLines = [:]
        }
        var seen = Set<Int>()
        for line in order.lines where seen.insert(line.lineNo).inserted {
            let accepted = acceptedLines[line.lineNo]
            try db.execute("""
                INSERT INTO order_lines (order_id, line_no, material_id, quantity, kind, unit_price, amount) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, .text(order.orderId), .integer(Int64(line.lineNo)), .text(line.materialId), .text(line.quantity.text), .text(line.kind.rawValue),
                SQLValue(accepted?.unitPrice.text), SQLValue(accepted?.amount.text))
            for reservation in accepted?.reservations ?? [] {
                try reserve(orderId: order.orderId, line: line, reservation, in: db)
            }
        }
        try context.publish(topic: context.topics.orderEvents, key: order.orderId, id: "\(context.event.id).submitted", type: "order.submitted",
                            data: order, readBack: true)
        try context.publish(topic: context.topics.orderEvents, key: order.orderId, id: "\(context.event.id).decided", type: decided.type,
                            data: decided.data, readBack: true)
        try publishView(order.orderId, context)
        return .applied
    }

    private static func reserve(orderId: String, line: OrderLine, _ reservation: OrderAccepted.Reservation, in db: any SQLDatabase) throws(StoreError) {
        let location = reservation.locationId ?? ""
        try db.execute("""
            INSERT INTO order_reservations (order_id, line_no, warehouse_id, location_id, material_id, quantity) VALUES (?, ?, ?, ?, ?, ?)
            """, .text(orderId), .integer(Int64(line.lineNo)), .text(reservation.warehouseId), .text(location), .text(line.materialId),
            .text(reservation.quantity.text))
        try InventoryRules.changeReserved(warehouseId: reservation.warehouseId, locationId: location, materialId: line.materialId,
                                          by: reservation.quantity.value, in: db)
    }

    /// Gives back the stock an order still holds.
    static func releaseReservations(orderId: String, in db: any SQLDatabase) throws(StoreError) {
        let held = try db.query("SELECT warehouse_id, location_id, material_id, quantity FROM order_reservations WHERE order_id = ?", .text(orderId))
        for row in held {
            try InventoryRules.changeReserved(warehouseId: row.string(0) ?? "", locationId: row.string(1) ?? "", materialId: row.string(2) ?? "",
                                              by: -Decimal(stored: row.string(3)), in: db)
        }
        try db.execute("DELETE FROM order_reservations WHERE order_id = ?", .text(orderId))
    }

    /// What the dealer's accepted orders not yet received are worth: what counts against its credit limit.
    static func openOrderValue(dealerId: String, in db: any SQLDatabase) throws(StoreError) -> Decimal {
        try db.query("SELECT total FROM orders WHERE dealer_id = ? AND status IN (\(SQLText.placeholders(openStatuses.count)))",
                     [.text(dealerId)] + openStatuses.map { .text($0.rawValue) })
            .reduce(Decimal(0)) { $0 + Decimal(stored: $1.string(0)) }
    }

    static let openStatuses: [OrderStatus] = [.accepted, .confirmed, .scheduled, .produced, .allocated, .dispatched, .delivered]

    // MARK: - Moving forward

    /// Moves an order forward by one event. `announcedAs` names the event the core publishes on
    /// `hub.orders.events` when it derived the move itself (from its shipments); otherwise the event
    /// is announced there only when it came from elsewhere (a command).
    static func move(_ orderId: String, eventType: String, data: any CanonicalPayload, announcedAs derivedId: String? = nil,
                     _ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let db = context.db
        let current = try db.first("SELECT status FROM orders WHERE order_id = ?", .text(orderId)).flatMap { $0.string(0) }.map(OrderStatus.init(rawValue:))
        switch OrderLifecycle.verdict(for: eventType, current: current) {
        case .hold(let waitingFor):
            return .unknownReference(current.map { "order \(orderId) to be \(waitingFor) (it is \($0))" } ?? "order \(orderId)")
        case .ignore:
            // Already there or past it (a late repeat from the ERP): applied as nothing, so it is not retried.
            return .applied
        case .apply(let status):
            try record(data, orderId: orderId, in: db, context)
            try db.execute("UPDATE orders SET status = ?, version = version + 1, updated_at = ? WHERE order_id = ?",
                           .text(status.rawValue), .text(context.now.text), .text(orderId))
            if status == .cancelled || status == .dispatched {
                // Cancelled: the stock is free again. Dispatched: the goods left; the ERP's goods issue lowers on hand.
                try releaseReservations(orderId: orderId, in: db)
            }
            if let derivedId {
                try context.publish(topic: context.topics.orderEvents, key: orderId, id: derivedId, type: eventType, data: data, readBack: true)
            } else if context.source.topic != context.topics.orderEvents {
                // A command's outcome is announced on hub.orders.events; the ERP's events are there already.
                try context.publish(topic: context.topics.orderEvents, key: orderId, id: "\(context.event.id).\(eventType)", type: eventType,
                                    data: data, readBack: true)
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
        let db = context.db
        guard let status = try db.first("SELECT status FROM orders WHERE order_id = ?", .text(orderId)).flatMap({ $0.string(0) }).map(OrderStatus.init(rawValue:)),
              status == .allocated || status == .dispatched else { return false }
        let shipments = try db.query("""
            SELECT s.shipment_id, s.status, s.dispatched_at, s.delivered_at FROM shipments s JOIN order_shipments o ON o.shipment_id = s.shipment_id
            WHERE o.order_id = ? ORDER BY s.shipment_id
            """, .text(orderId)).map { (id: $0.string(0) ?? "", status: ShipmentStatus(rawValue: $0.string(1) ?? ""), dispatchedAt: $0.string(2), deliveredAt: $0.string(3)) }
        let derivedId = { (step: String) in "\(context.event.id).\(orderId).\(step)" }
        if status == .allocated,
           let left = shipments.first(where: { $0.dispatchedAt != nil || $0.status == .dispatched || $0.status == .arrived || $0.status == .delivered }) {
            let dispatched = OrderDispatched(orderId: orderId, shipmentId: left.id, dispatchedAt: left.dispatchedAt.flatMap(Timestamp.init(parsing:)) ?? context.now)
            return try move(orderId, eventType: "order.dispatched", data: dispatched, announcedAs: derivedId("dispatched"), context) == .applied
        }
        if status == .dispatched, let last = shipments.last, shipments.allSatisfy({ $0.status == .delivered }) {
            let deliveredAt = shipments.compactMap { $0.deliveredAt.flatMap(Timestamp.init(parsing:)) }.max() ?? context.now
            let delivered = OrderDelivered(orderId: orderId, shipmentId: last.id, deliveredAt: deliveredAt)
            return try move(orderId, eventType: "order.delivered", data: delivered, announcedAs: derivedId("delivered"), context) == .applied
        }
        return false
    }

    /// What an event adds to the order besides its status.
    private static func record(_ data: any CanonicalPayload, orderId: String, in db: any SQLDatabase, _ context: RuleContext) throws(StoreError) {
        switch data {
        case let confirmed as OrderConfirmed:
            try db.execute("UPDATE orders SET erp_order_number = ?, promised_date = COALESCE(?, promised_date) WHERE order_id = ?",
                           .text(confirmed.erpOrderNumber), SQLValue(confirmed.promisedDate?.text), .text(orderId))
            for line in confirmed.lines {
                try db.execute("UPDATE order_lines SET confirmed_quantity = ?, line_status = ? WHERE order_id = ? AND line_no = ?",
                               .text(line.confirmedQuantity.text), .text(line.rejectionReason.map { "rejected by ERP: \($0)" } ?? "confirmed"),
                               .text(orderId), .integer(Int64(line.lineNo)))
            }
        case let rating as OrderRating:
            try db.execute("UPDATE orders SET rating = ? WHERE order_id = ?", .text(JSONText.encode(rating)), .text(orderId))
        case let receipt as OrderReceipt:
            try DealerTradeRules.goodsIn(orderId: orderId, receipt: receipt, in: db)
        default:
            break
        }
    }

    static func publishView(_ orderId: String, _ context: RuleContext) throws(StoreError) {
        guard let view = try OrderViewReader.view(orderId, at: context.now, in: context.db) else { return }
        try context.publish(topic: context.topics.orderUpdates, key: orderId, id: "\(orderId).v\(view.version)", type: "order.view",
                            data: view, readBack: false)
    }
}
