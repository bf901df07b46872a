/// Which SQL the database speaks, where the two differ (schema definitions only: statements the
/// stores run are written once, in the SQL both accept).
@_spi(SQL) public enum SQLDialect: Sendable {
    case sqlite
    case postgresql
}

/// One connection to the core's database, SQLite or PostgreSQL. Used serially by its owner (a
/// store holds it behind a lock). Statements use `?` or `?N` placeholders on both databases.
@_spi(SQL) public protocol SQLDatabase: AnyObject {
    var dialect: SQLDialect { get }
    /// Where the database is, for messages (a path or a URL without its password).
    var location: String { get }

    /// Runs a statement that returns no rows; the number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ binds: [SQLValue]) throws(StoreError) -> Int

    /// Runs a statement and returns its rows.
    func query(_ sql: String, _ binds: [SQLValue]) throws(StoreError) -> [SQLRow]

    /// Runs several statements without parameters (schema migrations).
    func executeScript(_ sql: String) throws(StoreError)

    /// Runs `body` in one transaction, serialisable against every other writer; rolled back if it throws.
    func transaction<R>(_ body: () throws(StoreError) -> R) throws(StoreError) -> R
}

@_spi(SQL) extension SQLDatabase {
    @discardableResult
    public func execute(_ sql: String, _ binds: SQLValue...) throws(StoreError) -> Int { try execute(sql, binds) }

    public func query(_ sql: String, _ binds: SQLValue...) throws(StoreError) -> [SQLRow] { try query(sql, binds) }

    /// The first row, if any.
    public func first(_ sql: String, _ binds: SQLValue...) throws(StoreError) -> SQLRow? { try query(sql, binds).first }
}

/// Helpers for writing statements.
@_spi(SQL) public enum SQLText {
    /// `?, ?, ?` for `count` values (an `IN (...)` list or a row of values).
    public static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: max(count, 1)).joined(separator: ", ")
    }
}
