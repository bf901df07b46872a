import Synchronization

/// Which JT/T 808 terminal is in which vehicle, from the carriers' registration events. Terminal
/// numbers are compared without leading zeros: a 2013 header carries 12 digits, a 2019 one 20.
public final class TerminalRegistry: Sendable {
    private let vehicles = Mutex<[String: String]>([:])

    public init(_ initial: [String: String] = [:]) {
        for (terminal, vehicle) in initial { register(terminal: terminal, vehicle: vehicle) }
    }

    public func register(terminal: String, vehicle: String) {
        vehicles.withLock { $0[Self.normalised(terminal)] = vehicle }
    }

    public func vehicle(forTerminal terminal: String) -> String? {
        vehicles.withLock { $0[Self.normalised(terminal)] }
    }

    public var count: Int { vehicles.withLock { $0.count } }

    static func normalised(_ terminal: String) -> String {
        let trimmed = terminal.drop { $0 == "0" }
        return trimmed.isEmpty ? "0" : String(trimmed)
    }
}
