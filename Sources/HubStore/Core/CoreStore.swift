import HubContracts

/// The core's state store for every event but vehicle positions: each event is applied by a
/// caller-supplied rule inside one transaction that also records the event id (a repeat changes
/// nothing) and the consumed offset, and that holds the outbox rows the rule wrote. Every entry
/// point is `async`: the work runs on the store's own connection queue (``StoreConnection``).
public final class CoreStore: Sendable {
    let connection: StoreConnection
    /// Told after every transaction that committed, for the API's outbox watch in this process.
    public let commits: CommitSignal?

    public init(_ location: DatabaseLocation, commits: CommitSignal? = nil) throws(StoreError) {
        connection = try StoreConnection(location, label: "core")
        self.commits = commits
    }

    public var location: DatabaseLocation { connection.location }

    /// The store connection's queue as a task executor (``StoreExecutor``), for a task that does
    /// little but store work and waits (the interactive ingest): preferring it, its store calls
    /// start without crossing threads. Its code between calls holds the queue, so nothing
    /// CPU-heavy belongs in it.
    public var connectionExecutor: any TaskExecutor { connection.executor }

    /// Runs `body` with the store's tables in one transaction: everything it applied, held,
    /// released and skipped commits together, or nothing does.
    public func transaction<R: Sendable>(_ body: @escaping @Sendable (CoreTransaction) throws(StoreError) -> R) async throws(StoreError) -> R {
        try await timedTransaction(body).result
    }

    /// ``transaction(_:)``, and how long it took from asking for the store's connection to the
    /// commit (what the core's transaction timer records).
    public func timedTransaction<R: Sendable>(_ body: @escaping @Sendable (CoreTransaction) throws(StoreError) -> R) async throws(StoreError) -> (result: R, took: Duration) {
        let connection = connection
        let done = try await connection.timedTransaction { db throws(StoreError) -> R in
            let transaction = CoreTransaction(db, connection: connection)
            let result = try body(transaction)
            try transaction.flushFigures()
            return result
        }
        commits?.notify()
        return done
    }

    /// Applies the event `eventId` read at `source` in a transaction of its own (see
    /// ``CoreTransaction/apply(eventId:source:releasing:rule:)``).
    public func apply(eventId: String, source: EventSource, releasing heldId: String? = nil,
                      rule: @escaping @Sendable (CoreTransaction) throws(StoreError) -> ApplyOutcome) async throws(StoreError) -> ApplyOutcome {
        try await transaction { transaction throws(StoreError) in try transaction.apply(eventId: eventId, source: source, releasing: heldId, rule: rule) }
    }

    /// Records a consumed offset without applying anything (after the event was dead-lettered).
    public func skip(_ source: EventSource) async throws(StoreError) {
        try await transaction { transaction throws(StoreError) in try transaction.skip(source) }
    }

    /// Keeps an event whose reference is unknown, and records its offset as consumed, in one
    /// transaction: the consumer moves on and the event is not lost.
    public func hold(_ held: HeldEvent, group: String) async throws(StoreError) {
        try await transaction { transaction throws(StoreError) in try transaction.hold(held, group: group) }
    }

    /// Drops a held event (after it was dead-lettered).
    public func release(_ eventId: String) async throws(StoreError) {
        try await transaction { transaction throws(StoreError) in try transaction.heldEvents.release(eventId) }
    }

    /// Drops gaps of `group` (read again, or given up), in one transaction.
    public func dropGaps(_ gaps: [OffsetGap], group: String) async throws(StoreError) {
        guard !gaps.isEmpty else { return }
        try await transaction { transaction throws(StoreError) in try transaction.offsetGaps.drop(gaps, group: group) }
    }

    /// Reads what the store holds (nothing is written).
    public func read<R: Sendable>(_ body: @escaping @Sendable (StoreReader) throws(StoreError) -> R) async throws(StoreError) -> R {
        try await connection.run { db throws(StoreError) -> R in try body(StoreReader(db)) }
    }
}
