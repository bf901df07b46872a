import HubStore

/// The figures read while the core ingests at full speed: a reader on a connection of its own asks
/// for the branch scorecard, a dealer's page and the company dashboard in turn, pausing `pause`
/// after each round (a console's users, about ten rounds a second), until it is cancelled. On
/// SQLite each read first decodes the figures' changes appended since its connection's last read
/// (``PendingFigureRows``): this is what a heavy ingest costs a read, which the reads on a quiet
/// database do not show.
final class ReadsUnderIngest: Sendable {
    private let reads: FigureReads
    private let pause: Duration
    private let latencies: [String: LatencyRecorder]

    init(_ reads: FigureReads, pause: Duration = .milliseconds(100)) {
        self.reads = reads
        self.pause = pause
        latencies = Dictionary(uniqueKeysWithValues: reads.named.map { ($0.name, LatencyRecorder()) })
    }

    /// Reads until cancelled; a read that fails ends it with the failure.
    func run(on location: DatabaseLocation) async throws {
        let connection = try await ReadConnections.open(location, label: "bench.reads-under-ingest")
        while !Task.isCancelled {
            for (name, read) in reads.named {
                let started = ContinuousClock.now
                try await connection.read(read)
                latencies[name]?.record(ContinuousClock.now - started)
            }
            do { try await Task.sleep(for: pause) } catch { return }
        }
    }

    /// Each read's p99 and how many were timed, e.g. `sqlite_under_ingest_branch_scorecard_p99`.
    func report(_ prefix: String, into report: inout BenchReport) {
        for (name, _) in reads.named {
            guard let recorder = latencies[name] else { continue }
            report.results += [("\(prefix)_\(name)_p99", .init(value: recorder.milliseconds(atPercentile: 99), unit: "ms")),
                               ("\(prefix)_\(name)_reads", .init(value: Double(recorder.count), unit: "reads"))]
        }
    }

    /// One line for the progress log: each read's p99 and maximum.
    var summary: String {
        reads.named.compactMap { name, _ in
            latencies[name].map { "\(name) p99 \(String(format: "%.1f", $0.milliseconds(atPercentile: 99))) ms, max \(String(format: "%.1f", $0.maxMilliseconds)) ms (\($0.count) reads)" }
        }.joined(separator: "; ")
    }
}
