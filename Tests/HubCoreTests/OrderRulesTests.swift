import Foundation
import HubContracts
import HubCore
import Testing

@Suite("order decisions")
struct OrderDecisionTests {
    func order(_ lines: [(Int, String, String, LineKind)], dealer: String = "D1") -> OrderSubmission {
        OrderSubmission(orderId: "O1", dealerId: dealer, lines: lines.map {
            OrderLine(lineNo: $0.0, materialId: $0.1, quantity: DecimalNumber($0.2)!, kind: $0.3)
        }, submittedBy: "U1", channel: .api)
    }

    func context(status: DealerStatus = .active, limit: String = "100000", open: Decimal = 0,
                 stock: [String: [OrderDecisionContext.Availability]] = ["M1": [.init(warehouseId: "W1", available: 50), .init(warehouseId: "W2", locationId: "0001", available: 100)]]) -> OrderDecisionContext {
        OrderDecisionContext(
            dealer: .init(dealerId: "D1", status: status, creditLimit: Money(amount: DecimalNumber(limit)!), openOrderValue: open),
            grantedMaterials: ["M1", "M2", "M5"], knownMaterials: ["M1", "M2", "M3", "M4", "M5"],
            prices: ["M1": Decimal(string: "168.00")!, "M2": Decimal(string: "3150.50")!], availability: stock
        )
    }

    @Test("accepted: lines priced, spot stock reserved across the allowed warehouses in order, made-to-order not reserved")
    func accepted() throws {
        let decision = OrderDecision.decide(order([(1, "M1", "120", .spot), (2, "M2", "2.5", .madeToOrder)]), context: context())
        guard case .accepted(let accepted) = decision else { Issue.record("\(decision)"); return }
        #expect(accepted.lines[0].reservations.map(\.warehouseId) == ["W1", "W2"])
        #expect(accepted.lines[0].reservations.map(\.quantity.value) == [50, 70])
        #expect(accepted.lines[0].amount.value == Decimal(string: "20160")!)
        #expect(accepted.lines[1].reservations.isEmpty)
        #expect(accepted.lines[1].amount.value == Decimal(string: "7876.25")!)
        #expect(accepted.total.amount.value == Decimal(string: "28036.25")!)
    }

    @Test("stock one line takes is not available to the next line of the same order")
    func stockSharedAcrossLines() {
        let decision = OrderDecision.decide(order([(1, "M1", "100", .spot), (2, "M1", "60", .spot)]), context: context())
        guard case .rejected(let rejected) = decision else { Issue.record("\(decision)"); return }
        #expect(rejected.reasons.map(\.code) == [.insufficientStock])
        #expect(rejected.reasons.first?.lineNo == 2)
        #expect(rejected.reasons.first?.message.contains("50 available") == true)
    }

    @Test("rejections carry a reason per line and for the order", arguments: [
        ("inactive dealer", [(1, "M1", "1", LineKind.spot)], DealerStatus.blocked, "100000", RejectionCode.dealerInactive, Int?.none),
        ("material not granted", [(1, "M3", "1", .spot)], .active, "100000", .materialNotInCatalogue, 1),
        ("unknown material", [(1, "M9", "1", .spot)], .active, "100000", .unknownMaterial, 1),
        ("granted but no price", [(1, "M5", "1", .madeToOrder)], .active, "100000", .noPrice, 1),
        ("zero quantity", [(1, "M1", "0", .spot)], .active, "100000", .invalidQuantity, 1),
        ("duplicate line number", [(1, "M1", "1", .spot), (1, "M2", "1", .madeToOrder)], .active, "100000", .duplicateLine, 1),
        ("not enough stock", [(1, "M1", "151", .spot)], .active, "100000", .insufficientStock, 1),
        ("over the credit limit", [(1, "M1", "100", .spot)], .active, "16799.99", .creditLimitExceeded, nil),
    ])
    func rejected(what: String, lines: [(Int, String, String, LineKind)], status: DealerStatus, limit: String, code: RejectionCode, lineNo: Int?) {
        let decision = OrderDecision.decide(order(lines), context: context(status: status, limit: limit))
        guard case .rejected(let rejected) = decision else { Issue.record("\(what): \(decision)"); return }
        #expect(rejected.reasons.contains { $0.code == code && $0.lineNo == lineNo }, "\(what): \(rejected.reasons)")
    }

    @Test("the credit check counts the dealer's open orders")
    func openOrdersCount() {
        let fits = OrderDecision.decide(order([(1, "M1", "10", .spot)]), context: context(limit: "10000", open: 8320))
        let exceeds = OrderDecision.decide(order([(1, "M1", "10", .spot)]), context: context(limit: "10000", open: 8320.01))
        guard case .accepted = fits, case .rejected(let rejected) = exceeds else { Issue.record("\(fits) / \(exceeds)"); return }
        #expect(rejected.reasons.first?.message.contains("exceed the credit limit 10000 CNY") == true)
    }

    @Test("an unknown dealer is rejected, not guessed at")
    func unknownDealer() {
        var unknown = context()
        unknown.dealer = nil
        guard case .rejected(let rejected) = OrderDecision.decide(order([(1, "M1", "1", .spot)]), context: unknown) else { Issue.record("accepted"); return }
        #expect(rejected.reasons.map(\.code) == [.unknownDealer])
    }

    @Test("the decision is a pure function: the same inputs give the same answer")
    func deterministic() {
        let input = order([(1, "M1", "120", .spot), (2, "M2", "3", .madeToOrder)])
        #expect(OrderDecision.decide(input, context: context()) == OrderDecision.decide(input, context: context()))
    }
}

@Suite("order lifecycle")
struct OrderLifecycleTests {
    @Test("the normal path moves forward one event at a time")
    func forward() {
        var status = OrderStatus.submitted
        for (event, next) in [("order.accepted", OrderStatus.accepted), ("order.confirmed", .confirmed), ("order.allocated", .allocated),
                              ("order.dispatched", .dispatched), ("order.delivered", .delivered), ("order.received", .received), ("order.rated", .rated)] {
            #expect(OrderLifecycle.verdict(for: event, current: status) == .apply(next), "\(event) after \(status)")
            status = next
        }
    }

    @Test("an order never moves backwards; repeats and late events are ignored with a reason")
    func neverBackwards() {
        #expect(OrderLifecycle.verdict(for: "order.confirmed", current: .dispatched) == .ignore("order is already dispatched; order.confirmed would move it back"))
        guard case .ignore = OrderLifecycle.verdict(for: "order.dispatched", current: .dispatched) else { Issue.record("a repeat applied"); return }
        guard case .ignore = OrderLifecycle.verdict(for: "order.confirmed", current: .cancelled) else { Issue.record("applied after cancel"); return }
    }

    @Test("an event ahead of the one it depends on is held, then released in order")
    func heldThenReleased() {
        // The ERP's delivery (allocation) and the dispatch arrive before its confirmation.
        #expect(OrderLifecycle.verdict(for: "order.allocated", current: .accepted) == .hold(waitingFor: .confirmed))
        #expect(OrderLifecycle.verdict(for: "order.dispatched", current: .accepted) == .hold(waitingFor: .allocated))
        let released = OrderLifecycle.release(["order.dispatched", "order.allocated", "order.rated"], after: .confirmed)
        #expect(released.apply == ["order.allocated", "order.dispatched"])
        #expect(released.stillHeld == ["order.rated"], "rating waits for the receipt")
        #expect(released.dropped.isEmpty)
        // Events for an order not seen yet wait for it.
        #expect(OrderLifecycle.verdict(for: "order.confirmed", current: nil) == .hold(waitingFor: .accepted))
    }

    @Test("held events the order has moved past are dropped, not kept forever")
    func heldButPassed() {
        let released = OrderLifecycle.release(["order.allocated"], after: .cancelled)
        #expect(released.apply.isEmpty)
        #expect(released.dropped == ["order.allocated"])
    }

    @Test("cancelling: allowed until dispatch, never after", arguments: [
        (OrderStatus.accepted, true), (.confirmed, true), (.scheduled, true), (.produced, true), (.allocated, true),
        (.dispatched, false), (.delivered, false), (.received, false), (.rejected, false), (.cancelled, false),
    ])
    func cancelling(status: OrderStatus, allowed: Bool) {
        let verdict = OrderLifecycle.verdict(for: "order.cancelled", current: status)
        #expect((verdict == .apply(.cancelled)) == allowed, "\(status): \(verdict)")
    }

    @Test("a rating follows the receipt (which books the goods in), even when it arrives first")
    func ratingAfterReceipt() {
        #expect(OrderLifecycle.verdict(for: "order.rated", current: .delivered) == .hold(waitingFor: .received))
        #expect(OrderLifecycle.verdict(for: "order.rated", current: .received) == .apply(.rated))
        #expect(OrderLifecycle.release(["order.rated", "order.received"], after: .delivered).apply == ["order.received", "order.rated"])
    }

    @Test("the dealer may confirm receipt before the carrier reports delivery")
    func receiptBeforeDelivery() {
        #expect(OrderLifecycle.verdict(for: "order.received", current: .dispatched) == .apply(.received))
        #expect(OrderLifecycle.verdict(for: "order.received", current: .allocated) == .hold(waitingFor: .dispatched))
    }
}
