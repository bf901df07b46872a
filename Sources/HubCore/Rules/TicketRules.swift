import HubContracts
import HubDomain
import HubStore

/// Dealers' tickets (R6), moved by `TicketLifecycle`: a move it refuses is dead-lettered with its
/// reason; a move on a ticket not known yet waits for it. Each change is audited (`ticket.*` on
/// `hub.audit`, in the same transaction: what the API waits for before it answers). The
/// anti-counterfeit system's scans and flags are kept by code for matching counterfeit reports.
enum TicketRules {
    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let tickets = context.tables.tickets
        // A dealer system's clock may run ahead: a ticket's times are never later than the core's.
        let at = min(context.event.occurredAt, context.now)
        switch context.event.data {
        case .ticketOpened(let opened):
            guard try tickets.state(of: opened.ticketId) == nil else { return .applied }  // opened again under another event id
            guard try context.tables.masterData.audienceMember(opened.dealerId) != nil else { return .unknownReference("dealer \(opened.dealerId)") }
            try tickets.open(opened, at: at)
            try audit(context, by: opened.openedBy, action: "ticket.opened", opened.ticketId,
                      ["kind": opened.kind.rawValue, "status": TicketStatus.received.rawValue, "dealerId": opened.dealerId], at: at)
            return .applied
        case .ticketAssigned(let assigned):
            return try move(assigned.ticketId, .assign, by: assigned.assignedBy, at: at, context) { () throws(StoreError) in
                try tickets.assign(assigned.ticketId, to: assigned.assignee)
            }
        case .ticketReplied(let reply):
            return try move(reply.ticketId, .write(reply.party, answers: reply.answers), by: reply.by, at: at, context) { () throws(StoreError) in
                try tickets.append(reply.ticketId, messageId: reply.messageId, author: reply.by, party: reply.party, body: reply.body, answers: reply.answers, at: at)
                if reply.answers { try tickets.noteAnswered(reply.ticketId, at: at) }
            }
        case .ticketClosed(let closed):
            return try move(closed.ticketId, .close(closed.party, rating: closed.rating), by: closed.by, at: at, context) { () throws(StoreError) in
                try tickets.close(closed.ticketId, rating: closed.rating, comment: closed.comment, at: at)
            }
        case .ticketReopened(let reopened):
            return try move(reopened.ticketId, .reopen, by: reopened.by, at: at, context) { () throws(StoreError) in
                try tickets.reopen(reopened.ticketId)
                try tickets.append(reopened.ticketId, messageId: context.event.id, author: reopened.by, party: .dealer, body: reopened.reason, answers: false, at: at)
            }
        case .authenticityScanned(let scan):
            try context.tables.authenticity.keep(scan)
            return .applied
        case .authenticityFlagged(let flag):
            try context.tables.authenticity.keep(flag)
            return .applied
        default:
            return .notHandled
        }
    }

    /// Applies one lifecycle move: refused with the lifecycle's reason, or the ticket moves, `change`
    /// records what the move carries, and the move is audited.
    private static func move(_ ticketId: String, _ move: TicketLifecycle.Move, by person: String, at: Timestamp, _ context: RuleContext,
                             change: () throws(StoreError) -> Void) throws(StoreError) -> ApplyOutcome {
        let tickets = context.tables.tickets
        guard let held = try tickets.state(of: ticketId) else { return .unknownReference("ticket \(ticketId)") }
        let state = TicketLifecycle.State(status: held.status, closedAt: held.closedAt, everAnswered: held.everAnswered)
        switch TicketLifecycle.verdict(for: move, state, at: at) {
        case .refuse(let reason):
            return .refused("ticket \(ticketId): \(reason)")
        case .apply(let status):
            try change()
            try tickets.move(ticketId, to: status, waiting: TicketLifecycle.waiting(after: move, from: held.status), at: at)
            var after = ["status": status.rawValue]
            after["assignee"] = try tickets.state(of: ticketId)?.assignee
            try audit(context, by: person, action: "ticket." + action(move), ticketId, after, before: ["status": held.status.rawValue], at: at)
            return .applied
        }
    }

    private static func action(_ move: TicketLifecycle.Move) -> String {
        switch move {
        case .assign: "assigned"
        case .write(_, answers: true): "answered"
        case .write: "replied"
        case .close: "closed"
        case .reopen: "reopened"
        }
    }

    private static func audit(_ context: RuleContext, by person: String, action: String, _ id: String, _ after: [String: String],
                              before: [String: String]? = nil, at: Timestamp) throws(StoreError) {
        try context.tables.audit.record(ChangeActor(id: person, source: context.event.source, traceParent: context.trace), action: action,
                                        kind: "ticket", id: id, before: before, after: after, at: at, topic: context.topics.audit)
    }
}
