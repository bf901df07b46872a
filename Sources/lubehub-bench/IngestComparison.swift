import Foundation

/// The ingest with the figures kept against the ingest without, in rounds: each round one run of
/// each on fresh databases, the side that goes first alternating (off-on, on-off, …), so a round's
/// two runs share their moment of the machine. On this 2-core machine a run moves by ±10 % by
/// itself (one round's figures-on run took 2,174 events/s and the next 2,620); the better of two
/// runs of each side, read at once, said 0.905 in one run of the bench and 0.795 in the next. A
/// ratio per round and their median move less (0.801 and 0.763 in two runs of three rounds).
struct IngestComparison {
    /// One run of the slice: its events per second, and the CPU time this process spent on it per event.
    struct Run {
        var rate: Double
        var cpuMicrosecondsPerEvent: Double
    }

    private(set) var rounds: [(off: Run, on: Run)] = []

    /// Which side round `round` (from 0) runs first: the figures off in even rounds.
    private static func order(ofRound round: Int) -> [Bool] {
        round.isMultiple(of: 2) ? [false, true] : [true, false]
    }

    /// `rounds` rounds of `run` (given whether the figures are kept), each round's ratio reported to
    /// `progress` under `name`.
    static func measure(rounds: Int, _ name: String, progress: (String) -> Void,
                        run: (_ keepsFigures: Bool) async throws -> Run) async throws -> IngestComparison {
        var comparison = IngestComparison()
        for round in 0..<rounds {
            var pair: [Bool: Run] = [:]
            for keeps in order(ofRound: round) { pair[keeps] = try await run(keeps) }
            guard let off = pair[false], let on = pair[true] else { continue }
            comparison.rounds.append((off, on))
            let ratio = off.rate > 0 ? String(format: "%.3f", on.rate / off.rate) : "not timed (the slice came in one batch)"
            progress("\(name), round \(round + 1) of \(rounds): figures kept / not \(ratio)")
        }
        return comparison
    }

    /// Each round's figures-on rate over its figures-off rate (a round whose off side measured no
    /// rate, a slice too small to time, left out).
    var ratios: [Double] { rounds.compactMap { $0.off.rate > 0 ? $0.on.rate / $0.off.rate : nil } }

    var medianRatio: Double { Self.median(ratios) }
    var medianOffRate: Double { Self.median(rounds.map(\.off.rate)) }
    var medianOnRate: Double { Self.median(rounds.map(\.on.rate)) }
    /// CPU per event with the figures over without, per round, their median: what keeping them costs
    /// in work, apart from how the machine's other load moved the clock.
    var medianCPURatio: Double {
        Self.median(rounds.compactMap { $0.off.cpuMicrosecondsPerEvent > 0 ? $0.on.cpuMicrosecondsPerEvent / $0.off.cpuMicrosecondsPerEvent : nil })
    }

    /// The middle value (the mean of the two middle ones for an even count); 0 for none.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }

    /// The comparison's figures under `name` (`sqlite_ingest`, `sqlite_core_ingest`…) in `report`.
    func report(_ name: String, into report: inout BenchReport) {
        report.results += [("\(name)_figures_off", .init(value: medianOffRate, unit: "events/s")),
                           ("\(name)_figures_on", .init(value: medianOnRate, unit: "events/s")),
                           ("\(name)_ratio_median", .init(value: medianRatio, unit: "on/off, median of \(rounds.count) rounds")),
                           ("\(name)_ratio_lowest", .init(value: ratios.min() ?? 0, unit: "on/off")),
                           ("\(name)_ratio_highest", .init(value: ratios.max() ?? 0, unit: "on/off")),
                           ("\(name)_cpu_per_event_off", .init(value: Self.median(rounds.map(\.off.cpuMicrosecondsPerEvent)), unit: "µs")),
                           ("\(name)_cpu_per_event_on", .init(value: Self.median(rounds.map(\.on.cpuMicrosecondsPerEvent)), unit: "µs")),
                           ("\(name)_cpu_ratio_median", .init(value: medianCPURatio, unit: "on/off"))]
    }
}
