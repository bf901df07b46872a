import Foundation
public import HubStore

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
            cleanup = { SQLiteConnection.removeDatabase(at: path) }
        case .postgresql:
            guard let server = ProcessInfo.processInfo.environment["LUBEHUB_TEST_POSTGRES"], !server.isEmpty else {
                throw StoreError(.open, "LUBEHUB_TEST_POSTGRES is not set: run the tests with `make test` (it starts PostgreSQL with scripts/postgres)")
            }
            let name = "lubehub_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
            let admin = try PostgresConnection(url: server)
            try admin.executeScript("CREATE DATABASE \(name)")
            let url = Self.replacingDatabase(in: server, with: name)
            location = .postgresql(url: url)
            cleanup = {
                guard let admin = try? PostgresConnection(url: server) else { return }
                try? admin.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            }
        }
    }

    deinit { cleanup() }

    /// `postgresql://user@host:port/db?params` with another database name.
    static func replacingDatabase(in url: String, with name: String) -> String {
        guard let scheme = url.range(of: "://"), let slash = url[scheme.upperBound...].firstIndex(of: "/") else { return url + "/" + name }
        let rest = url[slash...].dropFirst()
        let query = rest.firstIndex(of: "?").map { String(rest[$0...]) } ?? ""
        return String(url[..<slash]) + "/" + name + query
    }
}
