import Foundation

/// A PostgreSQL database of its own on a server, made for one test or benchmark run and dropped
/// after it: `CREATE DATABASE` under a fresh name, `DROP … WITH (FORCE)` when done.
@_spi(SQL) public struct ScratchPostgresDatabase: Sendable {
    public let location: DatabaseLocation
    private let server: String
    private let name: String

    /// Makes `<prefix>_<random>` on the server at `url` (`postgresql://user@host:port/db?params`).
    public init(server url: String, prefix: String) throws(StoreError) {
        name = "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
        server = url
        try PostgresConnection(url: url).executeScript("CREATE DATABASE \(name)")
        location = .postgresql(url: Self.url(url, database: name))
    }

    /// Drops the database, whoever is still connected to it.
    public func drop() {
        guard let admin = try? PostgresConnection(url: server) else { return }
        try? admin.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// The server URL naming another database on the same server.
    static func url(_ url: String, database name: String) -> String {
        guard let scheme = url.range(of: "://"), let slash = url[scheme.upperBound...].firstIndex(of: "/") else { return url + "/" + name }
        let rest = url[slash...].dropFirst()
        let query = rest.firstIndex(of: "?").map { String(rest[$0...]) } ?? ""
        return String(url[..<slash]) + "/" + name + query
    }
}

/// Copies tables row by row from a SQLite database into another of the same schema, 500 rows a
/// statement (the analytics benchmark's PostgreSQL gets its SQLite run's tables); the rows copied.
@_spi(SQL) public enum TableCopy {
    public static func copy(_ tables: [String], from source: DatabaseLocation, to target: DatabaseLocation,
                            progress: (String) -> Void) throws(StoreError) -> Int {
        let from = try source.open()
        let to = try target.open()
        var total = 0
        for table in tables {
            let columns = try from.query("SELECT name FROM pragma_table_info('\(table)')").compactMap { $0.string(0) }
            let rows = try from.query("SELECT \(columns.joined(separator: ", ")) FROM \(table)")
            let insert = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            for start in stride(from: 0, to: rows.count, by: 500) {
                let chunk = rows[start..<min(rows.count, start + 500)]
                let values = Array(repeating: "(\(SQLText.placeholders(columns.count)))", count: chunk.count).joined(separator: ", ")
                try to.transaction { () throws(StoreError) in
                    _ = try to.execute(insert + values + " ON CONFLICT DO NOTHING", chunk.flatMap { row in columns.indices.map { row[$0] } })
                }
            }
            total += rows.count
            progress("copied \(table): \(rows.count) rows")
        }
        return total
    }
}
