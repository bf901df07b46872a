import ArgumentParser
import HubCommandLine

/// A process the benchmark watches, named on the command line as `NAME=PID` (`hub=4242`).
struct WatchedProcess: ExpressibleByArgument, Sendable {
    var name: String
    var pid: Int32

    init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, let pid = Int32(parts[1]), pid > 0,
              !parts[0].isEmpty, parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        name = String(parts[0])
        self.pid = pid
    }
}
