import Foundation
import Synchronization

/// Where the core's state lives: a SQLite file (the embedded default) or a PostgreSQL database.
public enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgresql(url: String)

    /// `postgres://…` or `postgresql://…` is PostgreSQL; anything else is a SQLite file path.
    public init(parsing text: String) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgresql(url: text)
        } else {
            self = .sqlite(path: text)
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgresql(let url): PostgresConnection.redacted(url)
        }
    }

    /// A new connection, with the schema migrated to the newest version this binary knows.
    public func open() throws(StoreError) -> any SQLDatabase {
        let database: any SQLDatabase
        switch self {
        case .sqlite(let path):
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty, path != ":memory:" {
                do {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                } catch {
                    throw StoreError(.open, "cannot create the directory \(directory) for \(path): \(error)")
                }
            }
            database = try SQLiteConnection(path: path)
        case .postgresql(let url):
            database = try PostgresConnection(url: url)
        }
        try CoreSchema.migrations.apply(to: database)
        return database
    }
}

/// One database connection shared by a store's callers, one at a time.
///
/// `@unchecked Sendable`: the connection is touched only inside ``with(_:)``, under the lock, and
/// never handed out beyond the call.
public final class SharedDatabase: @unchecked Sendable {
    private let lock = NSLock()
    private let database: any SQLDatabase
    public let location: DatabaseLocation
    /// Callers waiting for the connection now.
    private let waiting = Atomic<Int>(0)

    public init(_ location: DatabaseLocation) throws(StoreError) {
        self.location = location
        self.database = try location.open()
    }

    /// Runs `body` with the connection; nobody else uses it meanwhile.
    public func with<R>(_ body: (any SQLDatabase) throws(StoreError) -> R) throws(StoreError) -> R {
        waiting.add(1, ordering: .relaxed)
        lock.lock()
        waiting.subtract(1, ordering: .relaxed)
        defer { lock.unlock() }
        return try body(database)
    }

    /// Whether another caller is waiting for the connection: a long run of work holding it can
    /// end early and let it in.
    public var othersWaiting: Bool { waiting.load(ordering: .relaxed) > 0 }

    /// Runs `body` in one transaction.
    public func transaction<R>(_ body: (any SQLDatabase) throws(StoreError) -> R) throws(StoreError) -> R {
        try with { database throws(StoreError) -> R in
            try database.transaction { () throws(StoreError) -> R in try body(database) }
        }
    }
}
