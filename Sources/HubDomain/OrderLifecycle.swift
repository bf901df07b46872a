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

    /// The status the order must have reached before `move` (cancelling has rules of its own).
    static func requirement(of move: OrderMove) -> OrderStatus {
        switch move {
        case .accept, .reject: .submitted
        case .confirm: .accepted
        case .schedule: .confirmed
        case .produce: .scheduled
        case .allocate: .confirmed
        case .dispatch: .allocated
        case .deliver: .dispatched
        case .receive: .dispatched
        // A rating includes how fast the dealer received the goods (R8): it follows the receipt,
        // which books the goods in; a rating before it waits, so the goods in are never skipped.
        case .rate: .received
        case .cancel: .submitted
        }
    }

    /// The verdict on `move` for an order currently in `status` (`nil`: the order is not known yet).
    public static func verdict(for move: OrderMove, current status: OrderStatus?) -> Verdict {
        let required = requirement(of: move)
        guard let status else { return .hold(waitingFor: required) }
        if move == .cancel {
            switch status {
            case .cancelled: return .ignore("already cancelled")
            case .rejected: return .ignore("a rejected order cannot be cancelled")
            case .dispatched, .delivered, .received, .rated: return .ignore("order is \(status): too late to cancel")
            default: return .apply(.cancelled)
            }
        }
        let target = move.status
        if status == .cancelled || status == .rejected { return .ignore("order is \(status)") }
        guard let current = step(status), let next = step(target), let needed = step(required) else {
            return .ignore("order status \(status) is not one this core knows")
        }
        if next <= current { return .ignore("order is already \(status); \(move.eventKind.type) would move it back") }
        // The dealer may confirm receipt once the goods left, before the carrier reports delivery.
        if move == .receive, let dispatched = step(.dispatched), current >= dispatched { return .apply(target) }
        return current >= needed ? .apply(target) : .hold(waitingFor: required)
    }

    /// Held moves that can be applied now, in the order they must be applied, after the order
    /// reached `status`; those that still wait stay held, and those that can never apply any more
    /// (the order moved past them, or ended) are dropped. Applying one may release the next.
    public static func release(_ held: [OrderMove], after status: OrderStatus) -> (apply: [OrderMove], stillHeld: [OrderMove], dropped: [OrderMove]) {
        var current = status
        var waiting = held
        var ready: [OrderMove] = []
        var progressed = true
        while progressed {
            progressed = false
            // Try the least advanced moves first, so the order moves one step at a time.
            waiting.sort { (step($0.status) ?? 99) < (step($1.status) ?? 99) }
            for (index, move) in waiting.enumerated() {
                if case .apply(let next) = verdict(for: move, current: current) {
                    ready.append(move)
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
