import Dispatch
import Synchronization

/// One connection to the hub's database and the serial queue all work on it runs on
/// (``StoreExecutor``).
///
/// A database call may wait on the disk, on the network or on another writer's lock (SQLite's
/// busy handler sleeps in 1 ms steps for up to 5 s). Run on Swift's cooperative pool, such a wait
/// parks one of its threads — on 2 cores, half of them — and every task behind it waits too. So
/// callers `await`, and their work runs here, one job at a time in the order it was asked for; no
/// caller ever holds a pool thread while the database is busy.
///
/// `@unchecked Sendable`: the connection is touched only by jobs on `executor`, one at a time, and
/// never handed out beyond the job.
final class StoreConnection: @unchecked Sendable {
    let location: DatabaseLocation
    private let database: any SQLDatabase
    let executor: StoreExecutor
    /// Store calls asked for and not started yet.
    private let asked = Atomic<Int>(0)

    /// Opens (and migrates) the database; `label` names the queue in diagnostics. Opening waits
    /// for the disk or the server: at start-up that is what should happen; anywhere else, use
    /// ``open(_:label:)``.
    init(_ location: DatabaseLocation, label: String) throws(StoreError) {
        self.location = location
        database = try location.open()
        executor = StoreExecutor(label: "lubehub.store.\(label)")
    }

    /// Opens (and migrates) the database on a queue of its own, not on the caller's thread.
    static func open(_ location: DatabaseLocation, label: String) async throws(StoreError) -> StoreConnection {
        let opened: Result<StoreConnection, StoreError> = await withCheckedContinuation { continuation in
            DispatchQueue(label: "lubehub.store.open").async {
                do throws(StoreError) {
                    continuation.resume(returning: .success(try StoreConnection(location, label: label)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try opened.get()
    }

    /// Whether another store call waits for the connection while the current job holds it: a long
    /// run of work can end early and let it in. Only calls count, not every job on the queue: a
    /// task that prefers the queue (the interactive ingest, the relay) has a job there at every
    /// step it takes, and counting those had the bulk ingest end nearly every transaction after
    /// one event — bench-ab, 8 rounds against 5f056e8: the bulk's transactions p50 +22 %,
    /// confirmation → update p99 +17 %, where counting calls only gave −35 % and −31 % over 4
    /// (geometric means of the rounds' ratios). So the interactive ingest's next step waits for a
    /// bulk transaction to end (its budget is 20 ms) rather than making it end early.
    var othersWaiting: Bool { asked.load(ordering: .relaxed) > 0 }

    /// Runs `work` with the connection on the store's queue, after the work asked for before it.
    /// From a task that prefers ``executor`` it starts without crossing threads.
    func run<R: Sendable>(_ work: @escaping @Sendable (any SQLDatabase) throws(StoreError) -> R) async throws(StoreError) -> R {
        asked.add(1, ordering: .relaxed)
        return try await withTaskExecutorPreference(executor) { [self] () async throws(StoreError) -> R in
            asked.subtract(1, ordering: .relaxed)
            // A nonisolated closure runs on the preferred executor; were it ever not to (an actor's
            // isolation inherited), two jobs could use the connection at once.
            precondition(executor.isCurrent, "store work ran off its connection's queue")
            return try work(database)
        }
    }

    /// Runs `work` in one transaction: it commits when `work` returns, and rolls back when it throws.
    func transaction<R: Sendable>(_ work: @escaping @Sendable (any SQLDatabase) throws(StoreError) -> R) async throws(StoreError) -> R {
        try await timedTransaction(work).result
    }

    /// ``transaction(_:)``, and how long it took from asking for the connection to the commit:
    /// the wait for its turn included, the caller's resumption after it not.
    func timedTransaction<R: Sendable>(_ work: @escaping @Sendable (any SQLDatabase) throws(StoreError) -> R) async throws(StoreError) -> (result: R, took: Duration) {
        let asked = ContinuousClock.now
        return try await run { database throws(StoreError) -> (result: R, took: Duration) in
            let result = try database.transaction { () throws(StoreError) -> R in try work(database) }
            return (result, .now - asked)
        }
    }
}
