public import HubContracts

/// Dealers' tickets (R6): each as it stands, and its thread. The ticket as opened is kept whole
/// (`document`); the columns beside it are what the queue, the counts and the lifecycle read.
public struct TicketTable {
    let db: any SQLDatabase

    /// What the lifecycle needs of a ticket: its kind, status, when it was closed and whether it
    /// was ever answered; nil when unknown.
    public func state(of ticketId: String) throws(StoreError) -> TicketRecordState? {
        try db.first("SELECT kind, status, closed_at, CASE WHEN first_answered_at IS NULL THEN 0 ELSE 1 END, dealer_id, assignee FROM tickets WHERE ticket_id = ?",
                     .text(ticketId)).map {
            TicketRecordState(kind: TicketKind(rawValue: $0.string(0) ?? ""), status: TicketStatus(rawValue: $0.string(1) ?? ""),
                              closedAt: $0.string(2).flatMap(Timestamp.init(parsing:)), everAnswered: $0.int(3) != 0,
                              dealerId: $0.string(4) ?? "", assignee: $0.string(5))
        }
    }

    /// Keeps a ticket opened at `at`: routed to the dealer's branch (as it is now), about the
    /// product line named or else that of the material named.
    public func open(_ ticket: TicketOpened, at: Timestamp) throws(StoreError) {
        try db.execute("""
            INSERT INTO tickets (ticket_id, dealer_id, branch_id, product_line, kind, status, subject, counterfeit_code, opened_at, opened_by,
                                 waiting_since, reopened, updated_at, document)
            VALUES (?1, ?2, (SELECT branch_id FROM dealers WHERE dealer_id = ?2),
                    COALESCE(?3, (SELECT product_line FROM materials WHERE material_id = ?4)), ?5, ?6, ?7, ?8, ?9, ?10, ?9, 0, ?9, ?11)
            """, .text(ticket.ticketId), .text(ticket.dealerId), SQLValue(ticket.productLine?.rawValue), SQLValue(ticket.materialId),
            .text(ticket.kind.rawValue), .text(TicketStatus.received.rawValue), .text(ticket.subject), SQLValue(ticket.counterfeit?.code),
            .text(at.text), .text(ticket.openedBy), .text(StoredJSON.encode(ticket)))
    }

    /// Moves a ticket to `status` at `at`; `waiting` starts (true) or ends (false) the dealer's wait
    /// for staff, nil leaves it.
    public func move(_ ticketId: String, to status: TicketStatus, waiting: Bool?, at: Timestamp) throws(StoreError) {
        var sql = "UPDATE tickets SET status = ?, updated_at = ?"
        var binds: [SQLValue] = [.text(status.rawValue), .text(at.text)]
        switch waiting {
        case true?: sql += ", waiting_since = ?"; binds.append(.text(at.text))
        case false?: sql += ", waiting_since = NULL"
        case nil: break
        }
        try db.execute(sql + " WHERE ticket_id = ?", binds + [.text(ticketId)])
    }

    public func assign(_ ticketId: String, to assignee: String) throws(StoreError) {
        try db.execute("UPDATE tickets SET assignee = ? WHERE ticket_id = ?", .text(assignee), .text(ticketId))
    }

    /// The first answer's time, unless it had one.
    public func noteAnswered(_ ticketId: String, at: Timestamp) throws(StoreError) {
        try db.execute("UPDATE tickets SET first_answered_at = ? WHERE ticket_id = ? AND first_answered_at IS NULL", .text(at.text), .text(ticketId))
    }

    public func close(_ ticketId: String, rating: Int?, comment: String?, at: Timestamp) throws(StoreError) {
        try db.execute("UPDATE tickets SET closed_at = ?, rating = ?, rating_comment = ? WHERE ticket_id = ?",
                       .text(at.text), SQLValue(rating.map { Int64($0) }), SQLValue(comment), .text(ticketId))
    }

    /// Reopened: its rating no longer counts (the dealer rates the answer again when it closes).
    public func reopen(_ ticketId: String) throws(StoreError) {
        try db.execute("UPDATE tickets SET closed_at = NULL, rating = NULL, rating_comment = NULL, reopened = reopened + 1 WHERE ticket_id = ?", .text(ticketId))
    }

    /// Adds a message to the ticket's thread.
    public func append(_ ticketId: String, messageId: String, author: String, party: TicketParty, body: String, answers: Bool, at: Timestamp) throws(StoreError) {
        try db.execute("""
            INSERT INTO ticket_messages (ticket_id, seq, message_id, at, author, party, body, answers)
            VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM ticket_messages WHERE ticket_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7)
            """, .text(ticketId), .text(messageId), .text(at.text), .text(author), .text(party.rawValue), .text(body), .integer(answers ? 1 : 0))
    }
}

/// What the lifecycle and the rules read of a stored ticket.
public struct TicketRecordState: Sendable, Equatable {
    public var kind: TicketKind
    public var status: TicketStatus
    public var closedAt: Timestamp?
    public var everAnswered: Bool
    public var dealerId: String
    public var assignee: String?
}

/// The anti-counterfeit system's scans and flags (`hub.authenticity`), kept by code so a
/// counterfeit report can be matched against them.
public struct AuthenticityTable {
    let db: any SQLDatabase

    public func keep(_ scan: AuthenticityScanned) throws(StoreError) {
        try db.execute("""
            INSERT INTO authenticity_scans (scan_id, code, result, scanned_at, document) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, .text(scan.scanId), .text(scan.code), .text(scan.result.rawValue), .text(scan.scannedAt.text), .text(StoredJSON.encode(scan)))
    }

    public func keep(_ flag: AuthenticityFlagged) throws(StoreError) {
        try db.execute("""
            INSERT INTO authenticity_flags (code, scan_id, reason, dealer_id, document) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, .text(flag.code), .text(flag.scanId), .text(flag.reason.rawValue), SQLValue(flag.dealerId), .text(StoredJSON.encode(flag)))
    }
}
