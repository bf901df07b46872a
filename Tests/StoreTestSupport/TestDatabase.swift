import Foundation
@_spi(SQL) public import HubStore

/// The two databases every store test runs on.
public enum StoreKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgresql
    public var description: String { rawValue }
}

/// A database of its own for one test, removed afterwards: a SQLite file in the temporary
/// directory, or a fresh database on the test PostgreSQL server (`$LUBEHUB_TEST_POSTGRES`, set
/// by `make test`, which starts the server with scripts/postgres).
public final class TestDatabase: Sendable {
    public let location: DatabaseLocation
    private let cleanup: @Sendable () -> Void

    public init(_ kind: StoreKind) throws {
        switch kind {
        case .sqlite:
            let path = NSTemporaryDirectory() + "lubehub-test-\(UUID().uuidString).sqlite"
            location = .sqlite(path: path)
            cleanup = { DatabaseLocation.sqlite(path: path).removeFiles() }
        case .postgresql:
            guard let server = ProcessInfo.processInfo.environment["LUBEHUB_TEST_POSTGRES"], !server.isEmpty else {
                throw StoreError(.open, "LUBEHUB_TEST_POSTGRES is not set: run the tests with `make test` (it starts PostgreSQL with scripts/postgres)")
            }
            let database = try ScratchPostgresDatabase(server: server, prefix: "lubehub_test")
            location = database.location
            cleanup = { database.drop() }
        }
    }

    deinit { cleanup() }

    /// The rows a query returns, on a connection of its own: what a test reads of the store's
    /// tables beside the store's own API.
    @_spi(SQL) public func rows(_ sql: String, _ binds: SQLValue...) throws(StoreError) -> [SQLRow] {
        try location.open().query(sql, binds)
    }
}

extension DatabaseLocation {
    /// Runs `body` with a connection of its own: a test's look at the tables beside the store's
    /// API (reading what another process wrote, or a whole table to compare).
    @_spi(SQL) public func read<R>(_ body: (any SQLDatabase) throws(StoreError) -> R) throws(StoreError) -> R {
        try body(open())
    }
}
