import Foundation

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

    /// Deletes a SQLite database's file with its WAL and shared-memory files (nothing for
    /// PostgreSQL); every store on it must be gone first.
    public func removeFiles() {
        guard case .sqlite(let path) = self, path != ":memory:" else { return }
        SQLiteConnection.removeDatabase(at: path)
    }

    /// A new connection, with the schema migrated to the newest version this binary knows.
    @_spi(SQL) public func open() throws(StoreError) -> any SQLDatabase {
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
