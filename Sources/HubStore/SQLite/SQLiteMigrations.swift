/// Versioned schema changes, applied in order at start, each in its own transaction. A database
/// whose version is newer than the newest migration this binary knows is refused.
public struct SQLiteMigrations: Sendable {
    public struct Migration: Sendable {
        public var version: Int
        public var summary: String
        public var sql: String
        public init(version: Int, summary: String, sql: String) {
            self.version = version
            self.summary = summary
            self.sql = sql
        }
    }

    public let migrations: [Migration]
    public var latestVersion: Int { migrations.map(\.version).max() ?? 0 }

    public init(_ migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// The database's current schema version (0 for a new database).
    public static func currentVersion(of connection: SQLiteConnection) throws(StoreError) -> Int {
        try connection.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, summary TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))")
        let statement = try connection.statement("SELECT COALESCE(MAX(version), 0) FROM schema_version")
        guard try statement.step() else { return 0 }
        let version = Int(statement.int64(0))
        _ = try statement.step()
        return version
    }

    /// Brings the database up to ``latestVersion``; returns the versions applied.
    @discardableResult
    public func apply(to connection: SQLiteConnection) throws(StoreError) -> [Int] {
        let current = try Self.currentVersion(of: connection)
        guard current <= latestVersion else {
            throw StoreError(.databaseNewer,
                "database \(connection.path) is at schema version \(current), but this lubehub knows only up to \(latestVersion): "
                + "it was written by a newer LubeHub. Run that version (or newer) against it; do not downgrade.")
        }
        var applied: [Int] = []
        for migration in migrations where migration.version > current {
            do {
                try connection.transaction { () throws(StoreError) in
                    try connection.execute(migration.sql)
                    let record = try connection.statement("INSERT INTO schema_version (version, summary) VALUES (?, ?)")
                    record.bind(1, Int64(migration.version))
                    record.bind(2, migration.summary)
                    try record.run()
                }
            } catch {
                throw StoreError(.migration, "migration \(migration.version) (\(migration.summary)) failed: \(error.message)")
            }
            applied.append(migration.version)
        }
        return applied
    }
}
