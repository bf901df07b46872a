import Synchronization

/// Which JT/T 808 terminal is in which vehicle, and whose vehicle it is, from the carriers'
/// registration events. Terminal numbers are compared without leading zeros: a 2013 header
/// carries 12 digits, a 2019 one 20. A terminal a carrier registered stays that carrier's: another
/// carrier's registration of it is ignored here (and refused by the core), so no carrier can
/// have another's truck report as its own.
public final class TerminalRegistry: Sendable {
    public struct Registration: Sendable, Equatable {
        public var vehicle: String
        public var carrier: String?
    }

    private let registrations = Mutex<[String: Registration]>([:])

    public init(_ initial: [String: String] = [:]) {
        for (terminal, vehicle) in initial { register(terminal: terminal, vehicle: vehicle) }
    }

    /// Kept under the number as written and as both headers carry it (12 and 20 digits), so a
    /// frame's terminal number is found without rewriting it. Returns whether it was taken.
    @discardableResult
    public func register(terminal: String, vehicle: String, carrier: String? = nil) -> Bool {
        let digits = Self.normalised(terminal)
        let registration = Registration(vehicle: vehicle, carrier: carrier)
        return registrations.withLock { map in
            if let known = map[digits]?.carrier, known != carrier { return false }
            map[digits] = registration
            for width in [12, 20] where digits.count <= width {
                map[String(repeating: "0", count: width - digits.count) + digits] = registration
            }
            return true
        }
    }

    public func registration(forTerminal terminal: String) -> Registration? {
        registrations.withLock { $0[terminal] } ?? registrations.withLock { $0[Self.normalised(terminal)] }
    }

    public func vehicle(forTerminal terminal: String) -> String? {
        registration(forTerminal: terminal)?.vehicle
    }

    public var count: Int { registrations.withLock { $0.count } }

    static func normalised(_ terminal: String) -> String {
        let trimmed = terminal.drop { $0 == "0" }
        return trimmed.isEmpty ? "0" : String(trimmed)
    }
}
