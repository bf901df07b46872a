import Foundation
import HubContracts
import HubCore
@_spi(SQL) import HubStore
import StoreTestSupport
import Testing

/// Trucks' terminals online on the JT/T 808 gateway, as the core keeps them from
/// `hub.terminal-sessions`: events of several gateway instances arrive in any order, and only the
/// latest session of a terminal counts.
@Suite("terminal sessions: who is online on the gateway")
struct TerminalSessionRulesTests {
    static let start = Date(timeIntervalSince1970: 1_795_910_400)

    func event(_ id: String, _ data: EventData, at seconds: Int) -> CanonicalEvent {
        CanonicalEvent(id: id, source: "gateway-jt808", occurredAt: Timestamp(Self.start.addingTimeInterval(TimeInterval(seconds))), subject: "13800000001", data: data)
    }

    func connected(_ session: String, gateway: String = "gw-a:6808", terminal: String = "13800000001", vehicle: String = "V-1") -> EventData {
        .terminalConnected(TerminalConnected(terminalId: terminal, vehicleId: vehicle, carrierId: "CAR-1", sessionId: session, gateway: gateway,
                                             address: "10.0.0.7", protocolVersion: "2013"))
    }

    func disconnected(_ session: String, gateway: String = "gw-a:6808", terminal: String = "13800000001", vehicle: String = "V-1") -> EventData {
        .terminalDisconnected(TerminalDisconnected(terminalId: terminal, vehicleId: vehicle, carrierId: "CAR-1", sessionId: session, gateway: gateway, reason: "idle"))
    }

    func state(_ harness: RuleHarness, _ terminal: String = "13800000001") throws -> (online: Bool, session: String)? {
        try harness.rows("SELECT connected, session_id FROM terminal_sessions WHERE terminal_id = ?", .text(terminal)).first.map { ($0.int(0) != 0, $0.string(1) ?? "") }
    }

    @Test("a session online, replaced on another instance; the old one's late end and late start change nothing; its own end does", arguments: StoreKind.allCases)
    func ordering(kind: StoreKind) async throws {
        let harness = try RuleHarness(try TestDatabase(kind))
        #expect(try await harness.apply(event("c1", connected("gw-a/1"), at: 0), topic: "hub.terminal-sessions") == .applied)
        #expect(try state(harness)! == (true, "gw-a/1"))
        try await harness.apply(event("c2", connected("gw-b/9", gateway: "gw-b:6808"), at: 60), topic: "hub.terminal-sessions")
        try await harness.apply(event("d1", disconnected("gw-a/1"), at: 61), topic: "hub.terminal-sessions")
        #expect(try state(harness)! == (true, "gw-b/9"), "the replaced session's end does not end the new one")
        try await harness.apply(event("c0", connected("gw-a/0"), at: 30), topic: "hub.terminal-sessions")
        #expect(try state(harness)! == (true, "gw-b/9"), "an older session's start, read late, does not take over")
        try await harness.apply(event("d2", disconnected("gw-b/9", gateway: "gw-b:6808"), at: 120), topic: "hub.terminal-sessions")
        #expect(try state(harness)! == (false, "gw-b/9"))
    }

    @Test("a gateway instance restarting ends the sessions it held before, not those of others or newer ones", arguments: StoreKind.allCases)
    func restart(kind: StoreKind) async throws {
        let harness = try RuleHarness(try TestDatabase(kind))
        try await harness.apply(event("c1", connected("gw-a/1"), at: 0), topic: "hub.terminal-sessions")
        try await harness.apply(event("c2", connected("gw-b/1", gateway: "gw-b:6808", terminal: "13800000002", vehicle: "V-2"), at: 0), topic: "hub.terminal-sessions")
        try await harness.apply(event("s", .gatewayStarted(GatewayStarted(gateway: "gw-a:6808")), at: 100), topic: "hub.terminal-sessions")
        #expect(try state(harness)?.online == false, "gw-a's session before its restart has ended")
        #expect(try state(harness, "13800000002")?.online == true, "gw-b's is untouched")
        try await harness.apply(event("c3", connected("gw-a/2"), at: 101), topic: "hub.terminal-sessions")
        #expect(try state(harness)! == (true, "gw-a/2"))
        let counts = try await harness.store.read { reader throws(StoreError) in
            (try reader.shipmentBoard.terminalCounts(), try reader.shipmentBoard.terminalCounts(carrierId: "CAR-1"), try reader.shipmentBoard.terminalCounts(carrierId: "CAR-9"))
        }
        #expect(counts.0 == (2, 2) && counts.1 == (2, 2) && counts.2 == (0, 0))
    }
}
