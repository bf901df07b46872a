public import HubContracts

/// Which trucks' terminals are online on the JT/T 808 gateway: each terminal's latest session.
/// Events from several gateway instances may arrive out of order, so a session is taken only when
/// it is not older than the one stored, and an end only ends the session it names.
public struct TerminalSessionTable {
    let db: any SQLDatabase

    /// A session began; ignored when a later one is stored already.
    public func connected(_ session: TerminalConnected, at: Timestamp) throws(StoreError) {
        try db.execute("""
            INSERT INTO terminal_sessions (terminal_id, vehicle_id, carrier_id, session_id, gateway, address, protocol, connected, since, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, NULL)
            ON CONFLICT (terminal_id) DO UPDATE SET vehicle_id = excluded.vehicle_id, carrier_id = excluded.carrier_id, session_id = excluded.session_id,
                gateway = excluded.gateway, address = excluded.address, protocol = excluded.protocol, connected = 1, since = excluded.since, reason = NULL
            WHERE terminal_sessions.since <= excluded.since
            """, .text(session.terminalId), .text(session.vehicleId), .text(session.carrierId), .text(session.sessionId), .text(session.gateway),
            .text(session.address), .text(session.protocolVersion), .text(at.text))
    }

    /// The session it names ended (a newer session of the terminal stays).
    public func disconnected(_ end: TerminalDisconnected, at: Timestamp) throws(StoreError) {
        try db.execute("UPDATE terminal_sessions SET connected = 0, since = ?, reason = ? WHERE terminal_id = ? AND session_id = ? AND connected = 1",
                       .text(at.text), .text(end.reason), .text(end.terminalId), .text(end.sessionId))
    }

    /// A gateway instance restarted: every session it held that began before has ended.
    public func gatewayStarted(_ gateway: String, at: Timestamp) throws(StoreError) {
        try db.execute("UPDATE terminal_sessions SET connected = 0, since = ?, reason = ? WHERE gateway = ? AND connected = 1 AND since <= ?",
                       .text(at.text), .text("the gateway restarted"), .text(gateway), .text(at.text))
    }
}
