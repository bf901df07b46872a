/// What a dealer's ticket is about (R6).
public struct TicketKind: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// A suggestion (建议).
    public static let suggestion = TicketKind(rawValue: "suggestion")
    /// A complaint (投诉).
    public static let complaint = TicketKind(rawValue: "complaint")
    /// A request for a product the dealer's customers ask for (产品需求).
    public static let productDemand = TicketKind(rawValue: "product-demand")
    /// A package the dealer believes counterfeit (假货举报): its code, where and when it was bought.
    public static let counterfeitReport = TicketKind(rawValue: "counterfeit-report")
    public static let known: [TicketKind] = [.suggestion, .complaint, .productDemand, .counterfeitReport]
}

/// Where a ticket stands (R6): received → assigned → in progress → answered → closed; a closed
/// ticket may be reopened for a while (in progress again). The moves are `TicketLifecycle` in HubDomain.
public struct TicketStatus: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let received = TicketStatus(rawValue: "received")
    public static let assigned = TicketStatus(rawValue: "assigned")
    public static let inProgress = TicketStatus(rawValue: "in-progress")
    public static let answered = TicketStatus(rawValue: "answered")
    public static let closed = TicketStatus(rawValue: "closed")
    public static let known: [TicketStatus] = [.received, .assigned, .inProgress, .answered, .closed]
}

/// Who wrote in a ticket's thread or closed it.
public struct TicketParty: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let dealer = TicketParty(rawValue: "dealer")
    public static let staff = TicketParty(rawValue: "staff")
}

/// A counterfeit report's facts: the code on the package, where and when it was bought, and a
/// photo kept elsewhere (by reference: the hub stores no files).
public struct CounterfeitReport: Sendable, Hashable, Codable {
    public var code: String
    public var boughtAt: Region?
    public var boughtOn: CalendarDate?
    public var photoReference: String?

    public init(code: String, boughtAt: Region? = nil, boughtOn: CalendarDate? = nil, photoReference: String? = nil) {
        (self.code, self.boughtAt, self.boughtOn, self.photoReference) = (code, boughtAt, boughtOn, photoReference)
    }
}

/// `ticket.opened` on `hub.tickets`: a dealer's suggestion, complaint, product-demand request or
/// counterfeit report, received. The dealer's branch answers it; a product matter (a product line
/// or material named, or a product-demand request) goes to that line's managers too.
public struct TicketOpened: Sendable, Hashable, Codable {
    public var ticketId: String
    public var dealerId: String
    public var kind: TicketKind
    public var subject: String
    /// Plain text, shown as text.
    public var body: String
    public var productLine: ProductLine?
    public var materialId: String?
    /// An order the ticket is about.
    public var orderId: String?
    /// Counterfeit reports only.
    public var counterfeit: CounterfeitReport?
    /// The dealer's user, or the staff member who took it by phone.
    public var openedBy: String

    public init(ticketId: String, dealerId: String, kind: TicketKind, subject: String, body: String, productLine: ProductLine? = nil, materialId: String? = nil,
                orderId: String? = nil, counterfeit: CounterfeitReport? = nil, openedBy: String) {
        (self.ticketId, self.dealerId, self.kind, self.subject, self.body) = (ticketId, dealerId, kind, subject, body)
        (self.productLine, self.materialId, self.orderId, self.counterfeit, self.openedBy) = (productLine, materialId, orderId, counterfeit, openedBy)
    }
}

/// `ticket.assigned` on `hub.tickets`: a staff member takes the ticket (or is given it).
public struct TicketAssigned: Sendable, Hashable, Codable {
    public var ticketId: String
    public var assignee: String
    public var assignedBy: String

    public init(ticketId: String, assignee: String, assignedBy: String) {
        (self.ticketId, self.assignee, self.assignedBy) = (ticketId, assignee, assignedBy)
    }
}

/// `ticket.replied` on `hub.tickets`: a message in the ticket's thread. Staff's message with
/// `answers` is the answer (the ticket is answered); without it, work in progress. The dealer's
/// message on an answered ticket puts it back in progress.
public struct TicketReplied: Sendable, Hashable, Codable {
    public var ticketId: String
    public var messageId: String
    public var by: String
    public var party: TicketParty
    public var body: String
    public var answers: Bool

    public init(ticketId: String, messageId: String, by: String, party: TicketParty, body: String, answers: Bool = false) {
        (self.ticketId, self.messageId, self.by, self.party, self.body, self.answers) = (ticketId, messageId, by, party, body, answers)
    }
}

/// `ticket.closed` on `hub.tickets`: the dealer closes its ticket, rating the answer (1–5) when
/// there was one; staff close an answered ticket the dealer left open.
public struct TicketClosed: Sendable, Hashable, Codable {
    public var ticketId: String
    public var by: String
    public var party: TicketParty
    public var rating: Int?
    public var comment: String?

    public init(ticketId: String, by: String, party: TicketParty, rating: Int? = nil, comment: String? = nil) {
        (self.ticketId, self.by, self.party, self.rating, self.comment) = (ticketId, by, party, rating, comment)
    }
}

/// `ticket.reopened` on `hub.tickets`: the dealer reopens a closed ticket within the window
/// (`TicketLifecycle.reopenWindow`); it is in progress again and its rating no longer counts.
public struct TicketReopened: Sendable, Hashable, Codable {
    public var ticketId: String
    public var by: String
    public var reason: String

    public init(ticketId: String, by: String, reason: String) {
        (self.ticketId, self.by, self.reason) = (ticketId, by, reason)
    }
}
