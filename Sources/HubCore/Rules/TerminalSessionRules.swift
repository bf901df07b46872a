import HubContracts
import HubStore

/// Trucks' terminals coming online and leaving on the JT/T 808 gateway (`hub.terminal-sessions`):
/// kept per terminal for the carriers' vehicle lists and the staff's connection counts. The
/// gateway only lets a terminal a carrier registered authenticate, so its events are taken as
/// they come; their order across gateway instances is settled by time and session id.
enum TerminalSessionRules {
    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let sessions = context.tables.terminalSessions
        let at = context.event.occurredAt
        switch context.event.data {
        case .terminalConnected(let session): try sessions.connected(session, at: at)
        case .terminalDisconnected(let end): try sessions.disconnected(end, at: at)
        case .gatewayStarted(let started): try sessions.gatewayStarted(started.gateway, at: at)
        default: return .notHandled
        }
        return .applied
    }
}
