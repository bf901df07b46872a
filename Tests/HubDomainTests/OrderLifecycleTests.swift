import Foundation
import HubContracts
import HubDomain
import Testing

@Suite("order lifecycle")
struct OrderLifecycleTests {
    @Test("the normal path moves forward one event at a time")
    func forward() {
        var status = OrderStatus.submitted
        for (event, next) in [(OrderMove.accept, OrderStatus.accepted), (.confirm, .confirmed), (.allocate, .allocated),
                              (.dispatch, .dispatched), (.deliver, .delivered), (.receive, .received), (.rate, .rated)] {
            #expect(OrderLifecycle.verdict(for: event, current: status) == .apply(next), "\(event) after \(status)")
            status = next
        }
    }

    @Test("an order never moves backwards; repeats and late events are ignored with a reason")
    func neverBackwards() {
        #expect(OrderLifecycle.verdict(for: .confirm, current: .dispatched) == .ignore("order is already dispatched; order.confirmed would move it back"))
        guard case .ignore = OrderLifecycle.verdict(for: .dispatch, current: .dispatched) else { Issue.record("a repeat applied"); return }
        guard case .ignore = OrderLifecycle.verdict(for: .confirm, current: .cancelled) else { Issue.record("applied after cancel"); return }
    }

    @Test("an event ahead of the one it depends on is held, then released in order")
    func heldThenReleased() {
        // The ERP's delivery (allocation) and the dispatch arrive before its confirmation.
        #expect(OrderLifecycle.verdict(for: .allocate, current: .accepted) == .hold(waitingFor: .confirmed))
        #expect(OrderLifecycle.verdict(for: .dispatch, current: .accepted) == .hold(waitingFor: .allocated))
        let released = OrderLifecycle.release([.dispatch, .allocate, .rate], after: .confirmed)
        #expect(released.apply == [.allocate, .dispatch])
        #expect(released.stillHeld == [.rate], "rating waits for the receipt")
        #expect(released.dropped.isEmpty)
        // Events for an order not seen yet wait for it.
        #expect(OrderLifecycle.verdict(for: .confirm, current: nil) == .hold(waitingFor: .accepted))
    }

    @Test("held events the order has moved past are dropped, not kept forever")
    func heldButPassed() {
        let released = OrderLifecycle.release([.allocate], after: .cancelled)
        #expect(released.apply.isEmpty)
        #expect(released.dropped == [.allocate])
    }

    @Test("cancelling: allowed until dispatch, never after", arguments: [
        (OrderStatus.accepted, true), (.confirmed, true), (.scheduled, true), (.produced, true), (.allocated, true),
        (.dispatched, false), (.delivered, false), (.received, false), (.rejected, false), (.cancelled, false),
    ])
    func cancelling(status: OrderStatus, allowed: Bool) {
        let verdict = OrderLifecycle.verdict(for: .cancel, current: status)
        #expect((verdict == .apply(.cancelled)) == allowed, "\(status): \(verdict)")
    }

    @Test("a rating follows the receipt (which books the goods in), even when it arrives first")
    func ratingAfterReceipt() {
        #expect(OrderLifecycle.verdict(for: .rate, current: .delivered) == .hold(waitingFor: .received))
        #expect(OrderLifecycle.verdict(for: .rate, current: .received) == .apply(.rated))
        #expect(OrderLifecycle.release([.rate, .receive], after: .delivered).apply == [.receive, .rate])
    }

    @Test("the dealer may confirm receipt before the carrier reports delivery")
    func receiptBeforeDelivery() {
        #expect(OrderLifecycle.verdict(for: .receive, current: .dispatched) == .apply(.received))
        #expect(OrderLifecycle.verdict(for: .receive, current: .allocated) == .hold(waitingFor: .dispatched))
    }
}
