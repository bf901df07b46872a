import Crypto
import Foundation
public import HubContracts
import Synchronization

/// The gateway's view of terminals: which vehicle and carrier each is registered to (from
/// `hub.vehicles`) and the hash of the code each was issued (from `hub.terminal-credentials`),
/// both kept current by topic feeds. A terminal a carrier registered stays that carrier's: another
/// carrier's registration of the same number is ignored (the core refuses it too).
public final class TerminalDirectory: TerminalLookup, Sendable {
    private struct Entries {
        var terminals: [String: GatewayTerminal] = [:]
        var codes: [String: TerminalAuthorised] = [:]
    }

    private let entries = Mutex(Entries())

    public init() {}

    /// Applies an event of `hub.vehicles` or `hub.terminal-credentials`; others are ignored.
    public func apply(_ event: CanonicalEvent) {
        switch event.data {
        case .vehicleRegistered(let registration):
            register(terminal: registration.terminalId, vehicle: registration.vehicleId, carrier: registration.carrierId)
        case .terminalAuthorised(let credential):
            remember(credential)
        default:
            break
        }
    }

    @discardableResult
    public func register(terminal number: String, vehicle: String, carrier: String) -> Bool {
        let key = GatewayTerminal.key(number)
        return entries.withLock { entries in
            if let known = entries.terminals[key], known.carrier != carrier { return false }
            entries.terminals[key] = GatewayTerminal(key: key, vehicle: vehicle, carrier: carrier)
            return true
        }
    }

    public func remember(_ credential: TerminalAuthorised) {
        entries.withLock { $0.codes[GatewayTerminal.key(credential.terminalId)] = credential }
    }

    public func terminal(_ number: String) -> GatewayTerminal? {
        entries.withLock { $0.terminals[GatewayTerminal.key(number)] }
    }

    public func accepts(code: String, for terminal: GatewayTerminal) -> Bool {
        guard let credential = entries.withLock({ $0.codes[terminal.key] }),
              credential.vehicleId == terminal.vehicle, credential.carrierId == terminal.carrier else { return false }
        return Self.constantTimeEqual(Self.hash(code), credential.codeSha256)
    }

    public var counts: (terminals: Int, credentials: Int) {
        entries.withLock { ($0.terminals.count, $0.codes.count) }
    }

    /// A new authentication code: 128 random bits as 32 hex digits (ASCII, as the message's GBK allows).
    public static func newCode() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// SHA-256 of the code, lower-case hex: all that is ever stored of it.
    public static func hash(_ code: String) -> String {
        SHA256.hash(data: Array(code.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
