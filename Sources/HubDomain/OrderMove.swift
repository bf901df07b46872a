public import HubContracts

/// One step an order can take after it was submitted: what the events of `hub.orders.events`
/// (and the commands that lead to them) do to it. ``OrderLifecycle`` says when each may happen.
public enum OrderMove: Sendable, Hashable, CaseIterable {
    case accept, reject, confirm, schedule, produce, allocate, dispatch, deliver, receive, rate, cancel

    /// The move an event of `kind` makes; `nil` for a kind that moves no order (a command, a view).
    public init?(_ kind: EventKind) {
        switch kind {
        case .orderAccepted: self = .accept
        case .orderRejected: self = .reject
        case .orderConfirmed: self = .confirm
        case .orderScheduled: self = .schedule
        case .orderProduced: self = .produce
        case .orderAllocated: self = .allocate
        case .orderDispatched: self = .dispatch
        case .orderDelivered: self = .deliver
        case .orderReceived: self = .receive
        case .orderRated: self = .rate
        case .orderCancelled: self = .cancel
        default: return nil
        }
    }

    /// The event on `hub.orders.events` that says the move happened.
    public var eventKind: EventKind {
        switch self {
        case .accept: .orderAccepted
        case .reject: .orderRejected
        case .confirm: .orderConfirmed
        case .schedule: .orderScheduled
        case .produce: .orderProduced
        case .allocate: .orderAllocated
        case .dispatch: .orderDispatched
        case .deliver: .orderDelivered
        case .receive: .orderReceived
        case .rate: .orderRated
        case .cancel: .orderCancelled
        }
    }

    /// The status the order has after the move.
    public var status: OrderStatus {
        switch self {
        case .accept: .accepted
        case .reject: .rejected
        case .confirm: .confirmed
        case .schedule: .scheduled
        case .produce: .produced
        case .allocate: .allocated
        case .dispatch: .dispatched
        case .deliver: .delivered
        case .receive: .received
        case .rate: .rated
        case .cancel: .cancelled
        }
    }
}
