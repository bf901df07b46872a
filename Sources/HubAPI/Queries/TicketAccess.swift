public import HubContracts
public import HubDomain
public import HubStore

/// Who sees which ticket (R6), as the API and the console both ask: a dealer its own; staff the
/// tickets of the dealers in their territory (a branch manager its branch's, an area manager its
/// provinces', a sales rep its customers', administrators all); a product-line manager the product
/// matters of its lines. Carriers and downstream systems none (they subscribe to `hub.tickets`).
public enum TicketAccess {
    public static func scope(of principal: Principal) -> TicketReadModel.Scope? {
        switch principal.role {
        case .productLineManager: .productLines(principal.productLines)
        case .admin, .branchManager, .areaManager, .salesRep, .dealer: .dealers(principal.dealerVisibility)
        case .carrier, .system: nil
        }
    }

    /// The ticket the principal sees, with its thread; nil when unknown or outside its scope.
    public static func ticket(_ ticketId: String, for principal: Principal, _ reader: StoreReader) throws(StoreError) -> TicketView? {
        guard let scope = scope(of: principal), let (summary, opened, messages) = try reader.tickets.ticket(ticketId, in: scope) else { return nil }
        let people = Set(messages.map(\.author) + [summary.openedBy] + (summary.assignee.map { [$0] } ?? []))
        var view = TicketView(summary: summary, opened: opened, messages: messages, match: nil, scans: [], flags: [], names: try reader.tickets.names(of: people))
        // The anti-counterfeit system's record is for staff: what a dealer sees is the answer.
        if principal.role.isStaff, let code = opened.counterfeit?.code {
            let evidence = try reader.tickets.authenticity(of: code)
            (view.scans, view.flags) = (evidence.scans, evidence.flags)
            view.match = CounterfeitMatch.of(scans: evidence.scans, flags: evidence.flags)
        }
        return view
    }

    /// A ticket as one reader sees it.
    public struct TicketView: Sendable {
        public var summary: TicketReadModel.Summary
        public var opened: TicketOpened
        public var messages: [TicketReadModel.Message]
        /// Counterfeit reports, for staff: the verdict and its evidence.
        public var match: CounterfeitMatch?
        public var scans: [AuthenticityScanned]
        public var flags: [AuthenticityFlagged]
        /// Display names of the authors, the opener and the assignee, by user id (an id without an account keeps its id).
        public var names: [String: String]

        /// Who a user id is, for people: the account's display name, else the id.
        public func name(_ userId: String) -> String { names[userId] ?? userId }

        /// The lifecycle's view of it.
        public var state: TicketLifecycle.State {
            TicketLifecycle.State(status: summary.status, closedAt: summary.closedAt, everAnswered: summary.firstAnsweredAt != nil)
        }
    }

    /// How many tickets a dealer may open in an hour, against floods.
    public static let perDealerPerHour = 10
}
