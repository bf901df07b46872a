import Histogram
import Synchronization

/// Latencies recorded from many tasks into one HDR histogram (microseconds, 3 significant digits,
/// up to an hour), read as milliseconds.
final class LatencyRecorder: Sendable {
    private let histogram = Mutex(Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three))

    func record(_ latency: Duration) {
        let micros = UInt64(min(max(0, (latency / .microseconds(1)).rounded()), 3_600_000_000))
        histogram.withLock { _ = $0.record(micros) }
    }

    var count: Int { histogram.withLock { Int($0.totalCount) } }

    /// The value at a percentile (0–100), in milliseconds.
    func milliseconds(atPercentile percentile: Double) -> Double {
        histogram.withLock { Double($0.valueAtPercentile(percentile)) / 1000 }
    }

    var maxMilliseconds: Double { histogram.withLock { Double($0.max) / 1000 } }
}
