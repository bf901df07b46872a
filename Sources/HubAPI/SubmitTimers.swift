public import CoreMetrics

/// Where a submitted order's time goes in the API, through swift-metrics:
/// `lubehub_api_submit_seconds` with the stage as a dimension — `checks` (reading and checking the
/// request against the dealer and its catalogue), `publish` (the command to the broker until it
/// acknowledged it) and `decision` (from then until the core's decision was visible, or the wait
/// ran out and the answer was 202).
public struct SubmitTimers: Sendable {
    public enum Stage: String, Sendable, CaseIterable {
        case checks, publish, decision
    }

    private let timers: [Stage: Timer]

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        timers = Dictionary(uniqueKeysWithValues: Stage.allCases.map {
            ($0, Timer(label: "lubehub_api_submit_seconds", dimensions: [("stage", $0.rawValue)], factory: factory))
        })
    }

    /// Records the time since `start` against `stage` and returns now, where the next stage starts.
    @discardableResult
    func finished(_ stage: Stage, since start: ContinuousClock.Instant) -> ContinuousClock.Instant {
        let now = ContinuousClock.now
        timers[stage]?.recordSeconds((now - start) / .seconds(1))
        return now
    }
}
