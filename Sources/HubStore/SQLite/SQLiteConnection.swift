internal import CSQLite
import Foundation

/// One SQLite connection. Not shared between tasks: its owner (an actor or a single task) uses it
/// serially. Opened in WAL mode so readers never block the writer.
@_spi(SQL) public final class SQLiteConnection: SQLDatabase {
    let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]
    public let path: String

    /// Opens (creating if needed) the database at `path`; `:memory:` for a private in-memory one.
    public init(path: String, busyTimeoutMilliseconds: Int32 = 5000) throws(StoreError) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let result = sqlite3_open_v2(path, &handle, flags, nil)
        guard result == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let handle { sqlite3_close_v2(handle) }
            throw StoreError(.open, "cannot open SQLite database \(path): \(message)")
        }
        self.handle = handle
        self.path = path
        // Waits for another writer in 1 ms steps: the core's, the positions' and the API's connections share one file.
        lubehub_sqlite_set_busy_wait(handle, busyTimeoutMilliseconds)
        try executeScript("PRAGMA journal_mode = WAL")
        try executeScript("PRAGMA synchronous = NORMAL")
        try executeScript("PRAGMA foreign_keys = ON")
        // 64 MiB of page cache (the default is 2 MiB): the position history's index outgrows the
        // default at a few hundred thousand fixes, and every insert then reads pages from disk.
        try executeScript("PRAGMA cache_size = -65536")
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Deletes the database file at `path` with its WAL and shared-memory files (close it first).
    public static func removeDatabase(at path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    public var dialect: SQLDialect { .sqlite }
    public var location: String { path }

    /// Runs one or more statements that return no rows.
    public func executeScript(_ sql: String) throws(StoreError) {
        var error: UnsafeMutablePointer<CChar>?
        let result = sqlite3_exec(handle, sql, nil, nil, &error)
        if result != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(result))
            sqlite3_free(error)
            throw Self.error(result, "\(message) in: \(sql.prefix(200))")
        }
    }

    /// A prepared statement for `sql`, compiled once per connection and reused.
    public func statement(_ sql: String) throws(StoreError) -> SQLiteStatement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var prepared: OpaquePointer?
        let result = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard result == SQLITE_OK, let prepared else {
            throw Self.error(result, "\(String(cString: sqlite3_errmsg(handle))) in: \(sql.prefix(200))")
        }
        let statement = SQLiteStatement(prepared, connection: self)
        statements[sql] = statement
        return statement
    }

    /// Runs `body` in one transaction (`BEGIN IMMEDIATE`: the write lock is taken up front, so a
    /// busy database fails fast at the start, not halfway). Rolls back if `body` throws.
    public func transaction<R>(_ body: () throws(StoreError) -> R) throws(StoreError) -> R {
        try executeScript("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try executeScript("COMMIT")
            return result
        } catch {
            try? executeScript("ROLLBACK")
            throw error
        }
    }

    @discardableResult
    public func execute(_ sql: String, _ binds: [SQLValue]) throws(StoreError) -> Int {
        let prepared = try statement(sql)
        prepared.bind(binds)
        try prepared.run()
        return Int(sqlite3_changes(handle))
    }

    public func query(_ sql: String, _ binds: [SQLValue]) throws(StoreError) -> [SQLRow] {
        let prepared = try statement(sql)
        prepared.bind(binds)
        var rows: [SQLRow] = []
        while try prepared.step() { rows.append(prepared.row()) }
        return rows
    }

    static func error(_ code: Int32, _ message: String) -> StoreError {
        switch code & 0xff {
        case SQLITE_BUSY, SQLITE_LOCKED: StoreError(.busy, message)
        case SQLITE_CONSTRAINT: StoreError(.constraint, message)
        case SQLITE_CORRUPT, SQLITE_NOTADB: StoreError(.corrupt, message)
        default: StoreError(.statement, message)
        }
    }
}

/// A prepared statement of a ``SQLiteConnection``: bind parameters (1-based), step, read columns.
@_spi(SQL) public final class SQLiteStatement {
    let handle: OpaquePointer
    private unowned let connection: SQLiteConnection

    init(_ handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    public func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }
    public func bind(_ index: Int32, _ value: Double) { sqlite3_bind_double(handle, index, value) }
    public func bind(_ index: Int32, _ value: String) { sqlite3_bind_text(handle, index, value, -1, lubehub_sqlite_transient()) }
    public func bindNull(_ index: Int32) { sqlite3_bind_null(handle, index) }
    public func bind(_ index: Int32, _ value: [UInt8]) {
        value.withUnsafeBytes { bytes in
            // A zero-length blob, not NULL, for an empty value.
            _ = sqlite3_bind_blob(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), lubehub_sqlite_transient())
        }
    }
    public func bind(_ index: Int32, _ value: String?) {
        if let value { bind(index, value) } else { bindNull(index) }
    }
    public func bind(_ index: Int32, _ value: Int64?) {
        if let value { bind(index, value) } else { bindNull(index) }
    }

    /// Binds `values` to parameters 1, 2, ...
    public func bind(_ values: [SQLValue]) {
        for (index, value) in values.enumerated() {
            let parameter = Int32(index + 1)
            switch value {
            case .null: bindNull(parameter)
            case .integer(let integer): bind(parameter, integer)
            case .real(let real): bind(parameter, real)
            case .text(let text): bind(parameter, text)
            case .blob(let bytes): bind(parameter, bytes)
            }
        }
    }

    /// The current row's columns as values.
    public func row() -> SQLRow {
        let count = sqlite3_column_count(handle)
        var values: [SQLValue] = []
        values.reserveCapacity(Int(count))
        for column in 0..<count {
            switch sqlite3_column_type(handle, column) {
            case SQLITE_INTEGER: values.append(.integer(int64(column)))
            case SQLITE_FLOAT: values.append(.real(double(column)))
            case SQLITE_BLOB: values.append(.blob(blob(column)))
            case SQLITE_NULL: values.append(.null)
            default: values.append(string(column).map(SQLValue.text) ?? .null)
            }
        }
        return SQLRow(values)
    }

    /// Steps once: `true` when a row is available, `false` when done.
    @discardableResult
    public func step() throws(StoreError) -> Bool {
        let result = sqlite3_step(handle)
        switch result {
        case SQLITE_ROW: return true
        case SQLITE_DONE:
            sqlite3_reset(handle)
            return false
        default:
            let message = String(cString: sqlite3_errmsg(connection.handle))
            sqlite3_reset(handle)
            throw SQLiteConnection.error(result, message)
        }
    }

    /// Runs a statement that returns no rows, then makes it ready to bind again.
    public func run() throws(StoreError) {
        _ = try step()
        reset()
    }

    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    public func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    public func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }
    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    public func string(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        return String(cString: text)
    }
    /// Rows changed by the last run.
    public var changes: Int { Int(sqlite3_changes(connection.handle)) }
}
