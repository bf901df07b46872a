public import HubContracts

/// How an order moves forward (R7, R9): which event may follow which, so an order never moves
/// backwards and an event that arrives ahead of the one it depends on (the ERP's delivery before
/// its confirmation) is held until it can be applied, never lost and never applied out of order.
public enum OrderLifecycle {
    /// What to do with an event for an order in a given status.
    public enum Verdict: Sendable, Equatable {
        /// Apply it: the order moves to this status.
        case apply(OrderStatus)
        /// Keep it and try again after the order moves forward.
        case hold(waitingFor: OrderStatus)
        /// Drop it (a repeat, or it would move the order backwards or out of a final state), with why.
        case ignore(String)
    }

    /// The step each status stands at; a higher step is further along.
    static func step(_ status: OrderStatus) -> Int? {
        switch status {
        case .submitted: 0
        case .accepted, .rejected: 1
        case .confirmed: 2
        case .scheduled: 3
        case .produced: 4
        case .allocated: 5
        case .dispatched: 6
        case .delivered: 7
        case .received: 8
        case .rated: 9
        default: nil
        }
    }

    /// The status an event moves an order to, and the status the order must have reached first.
    static func transition(_ eventType: String) -> (to: OrderStatus, requires: OrderStatus)? {
        switch eventType {
        case "order.accepted": (.accepted, .submitted)
        case "order.rejected": (.rejected, .submitted)
        case "order.confirmed": (.confirmed, .accepted)
        case "order.scheduled": (.scheduled, .confirmed)
        case "order.produced": (.produced, .scheduled)
        case "order.allocated": (.allocated, .confirmed)
        case "order.dispatched": (.dispatched, .allocated)
        case "order.delivered": (.delivered, .dispatched)
        case "order.received": (.received, .dispatched)
        // A rating includes how fast the dealer received the goods (R8): it follows the receipt,
        // which books the goods in; a rating before it waits, so the goods in are never skipped.
        case "order.rated": (.rated, .received)
        default: nil
        }
    }

    /// The verdict for `eventType` on an order currently in `status` (`nil`: the order is not known yet).
    public static func verdict(for eventType: String, current status: OrderStatus?) -> Verdict {
        if eventType == "order.cancelled" {
            guard let status else { return .hold(waitingFor: .submitted) }
            switch status {
            case .cancelled: return .ignore("already cancelled")
            case .rejected: return .ignore("a rejected order cannot be cancelled")
            case .dispatched, .delivered, .received, .rated: return .ignore("order is \(status): too late to cancel")
            default: return .apply(.cancelled)
            }
        }
        guard let (target, required) = transition(eventType) else { return .ignore("\(eventType) does not move an order") }
        guard let status else { return .hold(waitingFor: required) }
        if status == .cancelled || status == .rejected { return .ignore("order is \(status)") }
        guard let current = step(status), let next = step(target), let needed = step(required) else {
            return .ignore("order status \(status) is not one this core knows")
        }
        if next <= current { return .ignore("order is already \(status); \(eventType) would move it back") }
        // received may come from the dealer before the carrier reports delivery.
        if target == .received, current >= step(.dispatched)! { return .apply(target) }
        return current >= needed ? .apply(target) : .hold(waitingFor: required)
    }

    /// Held events that can be applied now, in the order they must be applied, after the order
    /// reached `status`; those that still wait stay held, and those that can never apply any more
    /// (the order moved past them, or ended) are dropped. Applying one may release the next.
    public static func release(_ held: [String], after status: OrderStatus) -> (apply: [String], stillHeld: [String], dropped: [String]) {
        var current = status
        var waiting = held
        var ready: [String] = []
        var progressed = true
        while progressed {
            progressed = false
            // Try the least advanced events first, so the order moves one step at a time.
            waiting.sort { (transition($0).flatMap { step($0.to) } ?? 99) < (transition($1).flatMap { step($0.to) } ?? 99) }
            for (index, eventType) in waiting.enumerated() {
                if case .apply(let next) = verdict(for: eventType, current: current) {
                    ready.append(eventType)
                    current = next
                    waiting.remove(at: index)
                    progressed = true
                    break
                }
            }
        }
        let dropped = waiting.filter { if case .ignore = verdict(for: $0, current: current) { return true }; return false }
        return (ready, waiting.filter { !dropped.contains($0) }, dropped)
    }
}
