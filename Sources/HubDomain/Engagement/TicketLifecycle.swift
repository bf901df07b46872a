public import HubContracts
public import Foundation

/// A dealer's ticket (R6) as an explicit state machine: received → assigned → in progress →
/// answered → closed, reopened within a window. Each move says what it leads to or why it is
/// refused; the core applies it and the API asks it first, so both give the same answer.
///
/// | move | from | to |
/// |---|---|---|
/// | staff assign | received | assigned |
/// | staff assign | assigned, in progress, answered | unchanged (given to someone else) |
/// | staff write, not the answer | received, assigned, in progress, answered | in progress |
/// | staff answer | received, assigned, in progress, answered | answered |
/// | dealer write | received, assigned, in progress | unchanged |
/// | dealer write | answered | in progress (a follow-up waits for staff) |
/// | dealer close (rating 1–5 only once answered) | any but closed | closed |
/// | staff close | answered | closed (the dealer left an answered ticket open) |
/// | dealer reopen | closed, within `reopenWindow` of closing | in progress |
///
/// Nothing moves a closed ticket but a reopen.
public enum TicketLifecycle {
    public enum Move: Sendable, Equatable {
        case assign
        case write(TicketParty, answers: Bool)
        case close(TicketParty, rating: Int?)
        case reopen
    }

    /// What the lifecycle reads of a ticket.
    public struct State: Sendable, Equatable {
        public var status: TicketStatus
        /// When it was last closed.
        public var closedAt: Timestamp?
        /// Whether staff ever answered it.
        public var everAnswered: Bool

        public init(status: TicketStatus, closedAt: Timestamp? = nil, everAnswered: Bool = false) {
            (self.status, self.closedAt, self.everAnswered) = (status, closedAt, everAnswered)
        }
    }

    public enum Verdict: Sendable, Equatable {
        case apply(TicketStatus)
        case refuse(String)
    }

    /// How long after closing a dealer may reopen its ticket.
    public static let reopenWindow: TimeInterval = 14 * 86_400

    public static func verdict(for move: Move, _ state: State, at moment: Timestamp) -> Verdict {
        let status = state.status
        if status == .closed, move != .reopen {
            return .refuse("the ticket is closed: the dealer reopens it (within \(Int(reopenWindow / 86_400)) days of closing) to go on")
        }
        switch move {
        case .assign:
            return .apply(status == .received ? .assigned : status)
        case .write(.staff, answers: true):
            return .apply(.answered)
        case .write(.staff, answers: false):
            return .apply(.inProgress)
        case .write(_, answers: true):
            return .refuse("only staff answer a ticket")
        case .write:
            return .apply(status == .answered ? .inProgress : status)
        case .close(.staff, let rating):
            if rating != nil { return .refuse("only the dealer rates the answer") }
            guard status == .answered else { return .refuse("staff close an answered ticket only (it is \(status.rawValue)): answer it first") }
            return .apply(.closed)
        case .close(_, let rating):
            if let rating {
                guard (1...5).contains(rating) else { return .refuse("rating: 1 to 5, got \(rating)") }
                guard state.everAnswered else { return .refuse("rating: the ticket has no answer to rate yet; close it without one") }
            }
            return .apply(.closed)
        case .reopen:
            guard status == .closed, let closedAt = state.closedAt else { return .refuse("only a closed ticket is reopened (it is \(status.rawValue))") }
            guard moment.date.timeIntervalSince(closedAt.date) <= reopenWindow else {
                return .refuse("closed on \(closedAt.text), more than \(Int(reopenWindow / 86_400)) days ago: open a new ticket")
            }
            return .apply(.inProgress)
        }
    }

    /// Whether the move leaves the dealer waiting for staff from now (opened, reopened, or a dealer's
    /// follow-up to an answer), stops the wait (an answer), or leaves it as it was (nil).
    public static func waiting(after move: Move, from status: TicketStatus) -> Bool? {
        switch move {
        case .write(.staff, answers: true): false
        case .write(.dealer, _) where status == .answered: true
        case .reopen: true
        case .close: false
        default: nil
        }
    }

    /// How soon staff should answer a ticket of `kind` (the first answer, and again after a reopen
    /// or a follow-up): complaints and counterfeit reports within a working day, the rest within three.
    public static func responseTarget(_ kind: TicketKind) -> TimeInterval {
        switch kind {
        case .complaint, .counterfeitReport: 24 * 3_600
        default: 72 * 3_600
        }
    }

    /// Whether a ticket waiting for staff since `waitingSince` is past its kind's target at `now`.
    public static func isOverdue(_ kind: TicketKind, waitingSince: Timestamp?, at now: Timestamp) -> Bool {
        guard let waitingSince else { return false }
        return now.date.timeIntervalSince(waitingSince.date) > responseTarget(kind)
    }
}
