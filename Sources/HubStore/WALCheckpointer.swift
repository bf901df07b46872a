public import Logging
public import ServiceLifecycle
import Synchronization

/// Checkpoints the core's SQLite write-ahead log from a connection of its own, so that the core's
/// writers do not. SQLite's automatic checkpoint runs in whichever writer commits past 1,000 WAL
/// pages, in that writer's turn: it copies the pages into the database file and waits for the disk
/// (fdatasync: 8 ms on average, 40 ms at worst at 200 orders/s here), and every event queued behind
/// the writer waits with it. This service runs a PASSIVE checkpoint — one that waits for no reader
/// and no writer — every `interval`, and raises the writers' own threshold to
/// ``writerThresholdPages``: they checkpoint only if this service fell that far behind (or stopped),
/// so the log never grows without bound. PostgreSQL has no such log to keep: there it does nothing.
public final class WALCheckpointer: Service, Sendable {
    /// What one checkpoint found and did, in WAL pages (frames).
    public struct Pass: Sendable, Equatable {
        /// Pages in the log.
        public var logPages: Int
        /// Of those, the pages now in the database file.
        public var checkpointedPages: Int
    }

    /// The writers' automatic checkpoint, as a safety net: 10,000 pages (~40 MiB of log).
    public static let writerThresholdPages = 10_000

    /// Its own connection to the file; `nil` on PostgreSQL.
    private let connection: StoreConnection?
    private let writers: [WALWriter]
    private let interval: Duration
    private let logger: Logger
    private let passes = Atomic<Int>(0)

    /// - Parameter writers: the stores that write the file (their automatic checkpoint is raised
    ///   to ``writerThresholdPages`` before the first pass).
    public init(location: DatabaseLocation, writers: [WALWriter], interval: Duration = .milliseconds(250),
                logger: Logger = Logger(label: "lubehub.core.checkpoint")) throws(StoreError) {
        self.interval = interval
        self.logger = logger
        self.writers = writers
        guard case .sqlite = location else {
            connection = nil
            return
        }
        connection = try StoreConnection(location, label: "wal-checkpoint")
    }

    /// How many checkpoints have run.
    public var completedPasses: Int { passes.load(ordering: .relaxed) }

    /// Leaves checkpointing to this service: raises the writers' automatic checkpoint to
    /// ``writerThresholdPages`` (``run()`` does this first).
    public func takeOverFromWriters() async throws(StoreError) {
        guard connection != nil else { return }
        for writer in writers { try await writer.connection.run { db throws(StoreError) in try db.executeScript("PRAGMA wal_autocheckpoint = \(Self.writerThresholdPages)") } }
    }

    /// Runs one PASSIVE checkpoint (`nil` on PostgreSQL).
    public func checkpoint() async throws(StoreError) -> Pass? {
        guard let connection else { return nil }
        let row = try await connection.run { db throws(StoreError) in try db.first("PRAGMA wal_checkpoint(PASSIVE)") }
        passes.add(1, ordering: .relaxed)
        return Pass(logPages: row?.int(1) ?? 0, checkpointedPages: row?.int(2) ?? 0)
    }

    /// Checkpoints every `interval` until graceful shutdown; a failed pass is logged and the next
    /// one tries again (meanwhile the writers' own threshold bounds the log). On PostgreSQL it only
    /// waits for the shutdown: a service that returned early would stop the group it runs in.
    public func run() async throws {
        guard connection != nil else {
            try await gracefulShutdown()
            return
        }
        do {
            try await takeOverFromWriters()
        } catch {
            logger.warning("could not raise the writers' own checkpoint threshold; they keep checkpointing at SQLite's default", metadata: ["error": "\(error)"])
        }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                _ = try await checkpoint()
            } catch {
                logger.warning("WAL checkpoint failed; trying again", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}

/// A store whose connection writes the SQLite file: its automatic checkpoint is what
/// ``WALCheckpointer`` raises.
public enum WALWriter: Sendable {
    case core(CoreStore)
    case positions(PositionStore)

    var connection: StoreConnection {
        switch self {
        case .core(let store): store.connection
        case .positions(let store): store.connection
        }
    }
}
