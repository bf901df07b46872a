public import CoreMetrics
public import HubStore
public import Logging
public import ServiceLifecycle
import Synchronization

/// Folds the figures' pending rows into `analytics_figures` (``AnalyticsTable/foldPending()``)
/// every `interval`, in a transaction of its own on the core's connection. On SQLite each of the
/// core's transactions appends what it changes of the figures as one value where it commits
/// (exactly once, with the event), and every read adds the rows not folded yet: the fold changes
/// no figure anyone reads, only where its measures are kept. Folding a few seconds' rows at once
/// writes each row of the figures once, where writing in place wrote it once per transaction
/// (README, issue 26). A failed fold is logged and the next one tries again; the pending rows wait
/// for it and are read meanwhile. PostgreSQL's writers add in place: the core runs no folder there.
///
/// Metrics: `lubehub_analytics_fold_seconds` (each fold, the wait for the connection included) and
/// `lubehub_analytics_folded_rows_total` (rows of the figures written).
public final class FigureFolder: Service, Sendable {
    /// How often the core folds: often enough that the pending rows stay few for reads to add, seldom
    /// enough that a row of the figures many transactions change (a branch's, the company's) is
    /// written once for many of them. Every 3 s rather than every second, the folds of the
    /// benchmark's ingest slice wrote 59,000-67,000 rows of the figures in 0.9-1.4 s a run instead of
    /// 94,000 in 2.6 s, and the reads while the core ingested kept within their targets (README, issue 26).
    public static let defaultInterval: Duration = .seconds(3)

    /// What the folds since this folder was made did in all.
    public struct Totals: Sendable {
        public var folds = 0
        /// Pending rows read, and rows of the figures written.
        public var pendingRows = 0
        public var figureRows = 0
        /// Time on the core's connection, the wait for it included.
        public var seconds = 0.0
    }

    private let store: CoreStore
    private let interval: Duration
    private let logger: Logger
    private let took: Timer
    private let written: Counter
    private let sums = Mutex(Totals())

    public init(store: CoreStore, interval: Duration = FigureFolder.defaultInterval, logger: Logger = Logger(label: "lubehub.core.figures"),
                factory: any MetricsFactory = MetricsSystem.factory) {
        self.store = store
        self.interval = interval
        self.logger = logger
        took = Timer(label: "lubehub_analytics_fold_seconds", factory: factory)
        written = Counter(label: "lubehub_analytics_folded_rows_total", factory: factory)
    }

    public var totals: Totals { sums.withLock { $0 } }

    /// Folds once: what it moved.
    @discardableResult
    public func fold() async throws(StoreError) -> AnalyticsTable.Fold {
        let (fold, duration) = try await store.timedTransaction { tables throws(StoreError) in try tables.analytics.foldPending() }
        let seconds = duration / .seconds(1)
        took.recordSeconds(seconds)
        if fold.figureRows > 0 { written.increment(by: fold.figureRows) }
        sums.withLock {
            $0.folds += 1
            $0.pendingRows += fold.pendingRows
            $0.figureRows += fold.figureRows
            $0.seconds += seconds
        }
        return fold
    }

    public func run() async throws {
        await everyRound(interval, logger: logger, failure: "the figures' pending rows not folded this round") {
            try await self.fold()
        }
    }
}
