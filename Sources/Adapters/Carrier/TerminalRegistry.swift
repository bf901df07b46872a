import Synchronization

/// Which JT/T 808 terminal is in which vehicle, from the carriers' registration events. Terminal
/// numbers are compared without leading zeros: a 2013 header carries 12 digits, a 2019 one 20.
public final class TerminalRegistry: Sendable {
    private let vehicles = Mutex<[String: String]>([:])

    public init(_ initial: [String: String] = [:]) {
        for (terminal, vehicle) in initial { register(terminal: terminal, vehicle: vehicle) }
    }

    /// Kept under the number as written and as both headers carry it (12 and 20 digits), so a
    /// frame's terminal number is found without rewriting it.
    public func register(terminal: String, vehicle: String) {
        let digits = Self.normalised(terminal)
        vehicles.withLock { map in
            map[digits] = vehicle
            for width in [12, 20] where digits.count <= width {
                map[String(repeating: "0", count: width - digits.count) + digits] = vehicle
            }
        }
    }

    public func vehicle(forTerminal terminal: String) -> String? {
        vehicles.withLock { $0[terminal] } ?? vehicles.withLock { $0[Self.normalised(terminal)] }
    }

    public var count: Int { vehicles.withLock { $0.count } }

    static func normalised(_ terminal: String) -> String {
        let trimmed = terminal.drop { $0 == "0" }
        return trimmed.isEmpty ? "0" : String(trimmed)
    }
}
