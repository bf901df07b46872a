/// The histograms of a Prometheus text exposition (the `_bucket` series: cumulative counts per
/// upper bound), read back so a client of `/metrics` can tell what happened between two reads of
/// it — the stages of an order's way through the hub during a benchmark — and estimate quantiles
/// from the buckets the way Prometheus' `histogram_quantile` does.
public struct HistogramSnapshot: Sendable, Equatable {
    /// One histogram: its metric name (without `_bucket`) and its labels but `le`.
    public struct Series: Hashable, Sendable {
        public var name: String
        public var labels: [String: String]

        public init(_ name: String, _ labels: [String: String] = [:]) {
            self.name = name
            self.labels = labels
        }
    }

    /// Observations at or below `upperBound` (cumulative); the last bound is +∞.
    public struct Bucket: Sendable, Equatable {
        public var upperBound: Double
        public var count: Double

        public init(upperBound: Double, count: Double) {
            self.upperBound = upperBound
            self.count = count
        }
    }

    public private(set) var histograms: [Series: [Bucket]] = [:]

    public init(histograms: [Series: [Bucket]] = [:]) {
        self.histograms = histograms
    }

    /// Reads every `_bucket` line of `text`; other lines, and lines that do not parse, are skipped.
    public init(prometheusText text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}"), open < close,
                  line[..<open].hasSuffix("_bucket"),
                  let count = Double(line[line.index(after: close)...].trimmingPrefix(" ").prefix { $0 != " " }) else { continue }
            var labels = Self.labels(line[line.index(after: open)..<close])
            guard let le = labels.removeValue(forKey: "le"), let bound = le == "+Inf" ? .infinity : Double(le) else { continue }
            histograms[Series(String(line[..<open].dropLast("_bucket".count)), labels), default: []].append(Bucket(upperBound: bound, count: count))
        }
        for (series, buckets) in histograms { histograms[series] = buckets.sorted { $0.upperBound < $1.upperBound } }
    }

    /// `k="v",k2="v2"` (values with `\"`, `\\` and `\n` escapes) as a dictionary.
    static func labels(_ text: Substring) -> [String: String] {
        var labels: [String: String] = [:]
        var rest = text[...]
        while let equals = rest.firstIndex(of: "=") {
            let name = rest[..<equals].trimmingPrefix(",").trimmingPrefix(" ")
            rest = rest[rest.index(after: equals)...]
            guard rest.first == "\"" else { break }
            rest = rest.dropFirst()
            var value = ""
            var escaped = false
            while let character = rest.first {
                rest = rest.dropFirst()
                if escaped {
                    value.append(character == "n" ? "\n" : character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    break
                } else {
                    value.append(character)
                }
            }
            labels[String(name)] = value
        }
        return labels
    }

    /// What was observed after `earlier` was read: each bucket's count less its count then (a
    /// histogram `earlier` lacks counts from zero).
    public func since(_ earlier: HistogramSnapshot) -> HistogramSnapshot {
        var result = HistogramSnapshot()
        for (series, buckets) in histograms {
            let before = earlier.histograms[series] ?? []
            result.histograms[series] = buckets.map { bucket in
                let then = before.first { $0.upperBound == bucket.upperBound }?.count ?? 0
                return Bucket(upperBound: bucket.upperBound, count: max(0, bucket.count - then))
            }
        }
        return result
    }

    /// How many observations `series` holds.
    public func count(_ series: Series) -> Double {
        histograms[series]?.last?.count ?? 0
    }

    /// The `q` quantile (0…1) of `series`, interpolated linearly inside the bucket it falls in (the
    /// first bucket's lower bound is 0); when it falls in the +∞ bucket, the highest finite bound.
    /// `nil` without observations.
    public func quantile(_ q: Double, of series: Series) -> Double? {
        guard let buckets = histograms[series], let total = buckets.last?.count, total > 0 else { return nil }
        let rank = q * total
        var lower = 0.0
        var below = 0.0
        for bucket in buckets {
            if bucket.count >= rank && bucket.count > below {
                guard bucket.upperBound.isFinite else { return lower }
                return lower + (bucket.upperBound - lower) * (rank - below) / (bucket.count - below)
            }
            lower = bucket.upperBound.isFinite ? bucket.upperBound : lower
            below = bucket.count
        }
        return lower
    }
}
