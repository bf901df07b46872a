import Dispatch
public import Foundation

/// What a child process printed, and how it ended.
public struct ChildProcessOutput: Sendable {
    public let status: Int32
    public let standardOutput: Data
    public let standardError: Data

    public var text: String { String(decoding: standardOutput, as: UTF8.self) }
    public var errors: String { String(decoding: standardError, as: UTF8.self) }
}

/// Runs child processes (the Python Kafka client, a core under test) without holding a thread of
/// Swift's cooperative pool while they run.
///
/// `waitUntilExit()` and `readDataToEndOfFile()` block their thread. On a 2-core CI machine the
/// pool has two threads; two tests blocked so for the seconds a Python client takes starve every
/// other test's tasks — a test that waited 10 s for its own task to start failed so (CI run of
/// ee9458c, IngestStepTests). The blocking here happens on a queue of its own.
public enum ChildProcess {
    /// Starts `executable` with `arguments`, writes `input` to its standard input, reads its
    /// output to the end and waits for it to exit.
    public static func run(_ executable: URL, _ arguments: [String], input: Data = Data()) async throws -> ChildProcessOutput {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        return await offPool {
            // Both pipes are drained at once: a child that fills one while this reads the other would wait for good.
            let errors = Drain(stderr.fileHandleForReading)
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
            let output = stdout.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return ChildProcessOutput(status: process.terminationStatus, standardOutput: output, standardError: errors.finish())
        }
    }

    /// Waits for `process` to exit (after a kill or a terminate).
    public static func exit(of process: Process) async {
        await offPool { process.waitUntilExit() }
    }

    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue(label: "lubehub.tests.child-process").async { continuation.resume(returning: work()) }
        }
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class Drain: @unchecked Sendable {
    // `@unchecked`: `data` is written once by the reading thread before `done` is signalled and
    // read only after waiting for it.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func finish() -> Data {
        done.wait()
        return data
    }
}

/// The reference Kafka client (confluent-kafka, librdkafka's Python binding) in `Tests/interop`,
/// which the interop tests read and write with to show the hub's bytes are Kafka's.
public enum ConfluentClient {
    /// Runs `confluent_client.py` with `arguments` against the test broker; fails the test when it
    /// is missing or exits with an error, and returns what it printed.
    public static func run(_ arguments: [String], input: Data = Data()) async throws -> String {
        let python = repositoryRoot.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else { throw ConfluentClientError.missing(python.path) }
        let script = repositoryRoot.appendingPathComponent("Tests/interop/confluent_client.py").path
        let result = try await ChildProcess.run(python, [script] + arguments + ["--bootstrap", TestBroker.bootstrap], input: input)
        guard result.status == 0 else { throw ConfluentClientError.failed(arguments: arguments, status: result.status, errors: result.errors) }
        return result.text
    }

    /// The bytes of a hex string the client printed (`null` → nil).
    public static func bytes(ofHex hex: String?) -> [UInt8]? {
        guard let hex else { return nil }
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        return result
    }
}

public enum ConfluentClientError: Error, CustomStringConvertible {
    case missing(String)
    case failed(arguments: [String], status: Int32, errors: String)

    public var description: String {
        switch self {
        case .missing(let path): "\(path) is missing: run scripts/bootstrap"
        case .failed(let arguments, let status, let errors): "confluent_client.py \(arguments.joined(separator: " ")) exited \(status): \(errors)"
        }
    }
}
