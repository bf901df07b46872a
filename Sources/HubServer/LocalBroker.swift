public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The local broker of the embedded default, run with the repository's `scripts/broker`.
public struct LocalBroker: Sendable {
    public let script: URL
    public let port: String

    public init(bootstrap: [String]) throws(ConfigurationError) {
        guard bootstrap.count == 1, let address = bootstrap.first, let colon = address.lastIndex(of: ":"),
              ["127.0.0.1", "localhost"].contains(address[..<colon]) else {
            throw ConfigurationError("the local broker runs on 127.0.0.1 only; \(bootstrap.joined(separator: ",")) is not local: start that broker, or set kafka.bootstrap")
        }
        port = String(address[address.index(after: colon)...])
        guard let script = Self.findScript() else {
            throw ConfigurationError("scripts/broker was not found (run lubehub serve from the repository, where `make bootstrap` installed the broker)")
        }
        self.script = script
    }

    /// `scripts/broker` in the current directory or one above it, or beside the binary's checkout.
    static func findScript() -> URL? {
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent())
        for start in candidates {
            var directory = start
            for _ in 0..<5 {
                let script = directory.appendingPathComponent("scripts/broker")
                if FileManager.default.isExecutableFile(atPath: script.path) { return script }
                directory.deleteLastPathComponent()
            }
        }
        return nil
    }

    public func start() throws(ConfigurationError) {
        let status = run("start")
        guard status == 0 else { throw ConfigurationError("scripts/broker start failed (exit status \(status)); see its output above") }
    }

    public func stop() { _ = run("stop") }

    /// Runs the script and waits for it. posix_spawn and waitpid, not Foundation's Process: the
    /// script leaves the broker running in the background, and Process was seen never to reap it.
    private func run(_ verb: String) -> Int32 {
        var environment = ProcessInfo.processInfo.environment
        environment["LUBEHUB_BROKER_PORT"] = port
        let arguments = [script.path, verb]
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        guard posix_spawn(&pid, script.path, nil, nil, argv, envp) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return -1 }
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
    }
}
