public import HubDomain
public import HubStore
public import Logging

/// `lubehub analytics rebuild`: adds up every figure from the stored facts (orders, shipments,
/// contracts) and compares it with what the core kept event by event. The two must be identical;
/// a difference is reported, row by row, and the rebuilt figures replace the kept ones.
public enum AnalyticsRebuild {
    /// One row the kept figures and the rebuilt ones disagree on.
    public struct Difference: Sendable, CustomStringConvertible {
        public var key: FigureKey
        public var kept: AnalyticsMeasures
        public var rebuilt: AnalyticsMeasures

        public var description: String {
            let fields = AnalyticsMeasures.columns.indices.filter { kept[$0] != rebuilt[$0] }
                .map { "\(AnalyticsMeasures.columns[$0]) kept \(kept[$0]), rebuilt \(rebuilt[$0])" }
            return "\(key.scope.rawValue) \(key.scopeId) \(key.productLine) \(key.month): \(fields.joined(separator: "; "))"
        }
    }

    public struct Report: Sendable {
        /// Orders read.
        public var orders: Int
        /// Rows of figures rebuilt.
        public var rows: Int
        public var differences: [Difference]
        /// Whether the rebuilt figures were written.
        public var written: Bool
    }

    /// Rebuilds the figures in one transaction; writes them unless `checkOnly`. `progress` is told
    /// the number of orders read so far.
    public static func run(_ store: CoreStore, checkOnly: Bool, progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws(StoreError) -> Report {
        try await store.transaction { tables throws(StoreError) in
            var read = 0
            let rebuilt = try AnalyticsRules.rebuilt(tables.analytics) { count in
                read += count
                progress(read)
            }
            let differences = differences(kept: try tables.analytics.all(), rebuilt: rebuilt)
            if !checkOnly { try tables.analytics.replaceAll(with: rebuilt) }
            return Report(orders: read, rows: rebuilt.measures.count, differences: differences, written: !checkOnly)
        }
    }

    /// Builds the figures once when the store has never had them (a store older than the figures):
    /// from then on the core keeps them. Safe to call from several ingests at once: the check and
    /// the build are one transaction.
    public static func ensureBuilt(_ store: CoreStore, logger: Logger) async throws(StoreError) {
        let built = try await store.transaction { tables throws(StoreError) -> Int? in
            guard try !tables.analytics.isBuilt() else { return nil }
            let figures = try AnalyticsRules.rebuilt(tables.analytics)
            try tables.analytics.replaceAll(with: figures)
            return figures.measures.count
        }
        if let built { logger.info("analytics figures built from the stored facts", metadata: ["rows": "\(built)"]) }
    }

    /// Rows where `kept` and `rebuilt` differ as they are read (all lines' figures as totals), in key order.
    public static func differences(kept stored: FigureContributions, rebuilt storedRebuilt: FigureContributions) -> [Difference] {
        let (kept, rebuilt) = (stored.asRead, storedRebuilt.asRead)
        let keys = Set(kept.measures.keys).union(rebuilt.measures.keys).sorted()
        return keys.compactMap { key in
            let (a, b) = (kept.measures[key] ?? AnalyticsMeasures(), rebuilt.measures[key] ?? AnalyticsMeasures())
            return a == b ? nil : Difference(key: key, kept: a, rebuilt: b)
        }
    }
}
