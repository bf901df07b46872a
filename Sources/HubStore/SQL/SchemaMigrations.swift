import Foundation

/// Versioned schema changes, applied in order at start, each in its own transaction. A database
/// whose version is newer than the newest migration this binary knows is refused.
///
/// A migration's SQL is written once for both databases; these words stand for what differs:
/// `{BLOB}` (BLOB / BYTEA), `{WITHOUT ROWID}` (SQLite's clustered tables; nothing on PostgreSQL),
/// `{SERIAL}` (an auto-incrementing 64-bit primary key), `{AT_MS}` (the milliseconds since 1970 of the
/// row's `at` column, an RFC 3339 UTC text).
@_spi(SQL) public struct SchemaMigrations: Sendable {
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

    /// `sql` in the dialect of the database it runs on.
    public static func render(_ sql: String, for dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite:
            sql.replacingOccurrences(of: "{BLOB}", with: "BLOB")
                .replacingOccurrences(of: "{WITHOUT ROWID}", with: "WITHOUT ROWID")
                .replacingOccurrences(of: "{SERIAL}", with: "INTEGER PRIMARY KEY AUTOINCREMENT")
                .replacingOccurrences(of: "{AT_MS}", with: "CAST(ROUND((julianday(at) - 2440587.5) * 86400000) AS BIGINT)")
        case .postgresql:
            sql.replacingOccurrences(of: "{BLOB}", with: "BYTEA")
                .replacingOccurrences(of: "{WITHOUT ROWID}", with: "")
                .replacingOccurrences(of: "{SERIAL}", with: "BIGSERIAL PRIMARY KEY")
                .replacingOccurrences(of: "{AT_MS}", with: "CAST(ROUND(EXTRACT(EPOCH FROM CAST(at AS TIMESTAMPTZ)) * 1000) AS BIGINT)")
        }
    }

    /// The database's current schema version (0 for a new database).
    public static func currentVersion(of database: any SQLDatabase) throws(StoreError) -> Int {
        var attempt = 0
        while true {
            do {
                try database.executeScript("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL, summary TEXT NOT NULL, applied_at TEXT NOT NULL)")
                return try database.first("SELECT COALESCE(MAX(version), 0) FROM schema_version")?.int(0) ?? 0
            } catch {
                // Two processes creating the table at once on PostgreSQL: one loses with a unique
                // violation in the catalogue; the table exists now, so look again.
                attempt += 1
                guard attempt < 3, error.code == .constraint || error.isTransient else { throw error }
            }
        }
    }

    /// Brings the database up to ``latestVersion``; returns the versions applied. Two processes
    /// starting at once are safe: each migration is one transaction that also records its version
    /// (a second writer of the same version fails on the primary key and rolls back, or, on
    /// SQLite, waits for the first and then finds nothing to do).
    @discardableResult
    public func apply(to database: any SQLDatabase) throws(StoreError) -> [Int] {
        let current = try Self.currentVersion(of: database)
        guard current <= latestVersion else {
            throw StoreError(.databaseNewer,
                "database \(database.location) is at schema version \(current), but this lubehub knows only up to \(latestVersion): "
                + "it was written by a newer LubeHub. Run that version (or newer) against it; do not downgrade.")
        }
        var applied: [Int] = []
        for migration in migrations where migration.version > current {
            do {
                let done = try database.transaction { () throws(StoreError) -> Bool in
                    if database.dialect == .postgresql {
                        // One migrator at a time across processes; the lock ends with the transaction.
                        try database.executeScript("LOCK TABLE schema_version IN EXCLUSIVE MODE")
                    }
                    let now = try database.first("SELECT COALESCE(MAX(version), 0) FROM schema_version")?.int(0) ?? 0
                    guard now < migration.version else { return false }
                    try database.executeScript(Self.render(migration.sql, for: database.dialect))
                    try database.execute("INSERT INTO schema_version (version, summary, applied_at) VALUES (?, ?, ?)",
                                         .integer(Int64(migration.version)), .text(migration.summary), .text(ISO8601DateFormatter().string(from: Date())))
                    return true
                }
                if done { applied.append(migration.version) }
            } catch {
                throw StoreError(.migration, "migration \(migration.version) (\(migration.summary)) failed on \(database.location): \(error.message)")
            }
        }
        return applied
    }
}
