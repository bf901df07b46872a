internal import CLibPQ
import Foundation

/// One PostgreSQL connection through libpq (Debian's client library). Used serially by its owner.
/// Statements are prepared once per connection and reused; `?` placeholders become `$1, $2, ...`.
/// Transactions are SERIALIZABLE: a conflict with another writer (two cores reserving the same
/// stock) fails with a transient error and the caller retries, as with a busy SQLite database.
@_spi(SQL) public final class PostgresConnection: SQLDatabase {
    private var handle: OpaquePointer
    private let url: String
    private var prepared: [String: (name: String, parameters: Int)] = [:]
    private var inTransaction = false

    public var dialect: SQLDialect { .postgresql }
    public var location: String { Self.redacted(url) }

    /// Connects to `url` (`postgresql://user[:password]@host:port/database`, or libpq's `key=value` form).
    public init(url: String) throws(StoreError) {
        guard let handle = PQconnectdb(url) else { throw StoreError(.open, "libpq could not allocate a connection") }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(handle)
            throw StoreError(.open, "cannot connect to PostgreSQL at \(Self.redacted(url)): \(message). Is the server running (scripts/postgres start) and the URL right?")
        }
        self.handle = handle
        self.url = url
        try executeScript("SET client_min_messages = warning")
    }

    deinit { PQfinish(handle) }

    /// `url` with any password replaced by `***`.
    static func redacted(_ url: String) -> String {
        guard let at = url.firstIndex(of: "@"), let scheme = url.range(of: "://"), scheme.upperBound < at else { return url }
        let credentials = url[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }

    public func executeScript(_ sql: String) throws(StoreError) {
        try reconnectIfNeeded()
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, sql)
    }

    @discardableResult
    public func execute(_ sql: String, _ binds: [SQLValue]) throws(StoreError) -> Int {
        let result = try run(sql, binds)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    public func query(_ sql: String, _ binds: [SQLValue]) throws(StoreError) -> [SQLRow] {
        let result = try run(sql, binds)
        defer { PQclear(result) }
        let rows = PQntuples(result)
        let columns = PQnfields(result)
        let types = (0..<columns).map { PQftype(result, $0) }
        var output: [SQLRow] = []
        output.reserveCapacity(Int(rows))
        for row in 0..<rows {
            var values: [SQLValue] = []
            values.reserveCapacity(Int(columns))
            for column in 0..<columns {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(.null)
                    continue
                }
                let text = String(cString: PQgetvalue(result, row, column))
                values.append(Self.value(text, type: types[Int(column)]))
            }
            output.append(SQLRow(values))
        }
        return output
    }

    public func transaction<R>(_ body: () throws(StoreError) -> R) throws(StoreError) -> R {
        try executeScript("BEGIN ISOLATION LEVEL SERIALIZABLE")
        inTransaction = true
        defer { inTransaction = false }
        do {
            let result = try body()
            try executeScript("COMMIT")
            return result
        } catch {
            try? executeScript("ROLLBACK")
            throw error
        }
    }

    // MARK: - Statements

    private func run(_ sql: String, _ binds: [SQLValue]) throws(StoreError) -> OpaquePointer? {
        try reconnectIfNeeded()
        let statement = try preparedStatement(sql)
        guard statement.parameters == binds.count else {
            throw StoreError(.statement, "\(binds.count) values bound to \(statement.parameters) parameters in: \(sql.prefix(200))")
        }
        // Text format for every value but blobs (binary: no escaping); libpq copies them before returning.
        var storage: [[CChar]?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        for value in binds {
            switch value {
            case .null: storage.append(nil); lengths.append(0); formats.append(0)
            case .integer(let integer): storage.append(Array(String(integer).utf8CString)); lengths.append(0); formats.append(0)
            case .real(let real): storage.append(Array(Self.text(real).utf8CString)); lengths.append(0); formats.append(0)
            case .text(let text): storage.append(Array(text.utf8CString)); lengths.append(0); formats.append(0)
            case .blob(let bytes): storage.append(bytes.map { CChar(bitPattern: $0) }); lengths.append(Int32(bytes.count)); formats.append(1)
            }
        }
        let result: OpaquePointer? = Self.withPointers(storage) { pointers in
            PQexecPrepared(handle, statement.name, Int32(binds.count), pointers, lengths, formats, 0)
        }
        do {
            try check(result, sql)
        } catch {
            PQclear(result)
            throw error
        }
        return result
    }

    private func preparedStatement(_ sql: String) throws(StoreError) -> (name: String, parameters: Int) {
        if let statement = prepared[sql] { return statement }
        let (converted, parameters) = PostgresPlaceholders.convert(sql)
        let name = "lubehub_\(prepared.count)"
        let result = PQprepare(handle, name, converted, 0, nil)
        defer { PQclear(result) }
        try check(result, sql)
        prepared[sql] = (name, parameters)
        return (name, parameters)
    }

    private static func withPointers<R>(_ storage: [[CChar]?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafePointer<CChar>?] = []
        var buffers: [UnsafeMutableBufferPointer<CChar>] = []
        defer { buffers.forEach { $0.deallocate() } }
        for item in storage {
            guard let item else { pointers.append(nil); continue }
            let buffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: max(item.count, 1))
            _ = buffer.initialize(from: item)
            buffers.append(buffer)
            pointers.append(UnsafePointer(buffer.baseAddress))
        }
        return body(pointers)
    }

    private func check(_ result: OpaquePointer?, _ sql: String) throws(StoreError) {
        let status = PQresultStatus(result)
        if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY { return }
        let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
        var message = result.map { String(cString: PQresultErrorMessage($0)) } ?? String(cString: PQerrorMessage(handle))
        message = message.trimmingCharacters(in: .whitespacesAndNewlines)
        throw Self.error(state: state, connectionLost: PQstatus(handle) != CONNECTION_OK, "\(message) in: \(sql.prefix(200))")
    }

    static func error(state: String, connectionLost: Bool, _ message: String) -> StoreError {
        if connectionLost || state.hasPrefix("08") || state == "57P01" { return StoreError(.busy, "connection to PostgreSQL lost: \(message)") }
        switch state {
        // serialization_failure, deadlock_detected, lock_not_available: another writer won; retry.
        case "40001", "40P01", "55P03": return StoreError(.busy, message)
        case _ where state.hasPrefix("23"): return StoreError(.constraint, message)
        default: return StoreError(.statement, message)
        }
    }

    /// After a lost connection (server restarted), the next statement outside a transaction reconnects.
    private func reconnectIfNeeded() throws(StoreError) {
        guard PQstatus(handle) != CONNECTION_OK, !inTransaction else { return }
        PQreset(handle)
        prepared.removeAll()
        guard PQstatus(handle) == CONNECTION_OK else {
            throw StoreError(.busy, "PostgreSQL at \(location) is unreachable: \(String(cString: PQerrorMessage(handle)))")
        }
    }

    // MARK: - Values

    static func text(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return String(value)
    }

    private static let bool: Oid = 16, bytea: Oid = 17, int8: Oid = 20, int2: Oid = 21, int4: Oid = 23, oid: Oid = 26
    private static let float4: Oid = 700, float8: Oid = 701

    static func value(_ text: String, type: Oid) -> SQLValue {
        switch type {
        case int8, int2, int4, oid: Int64(text).map(SQLValue.integer) ?? .text(text)
        case float4, float8: Double(text).map(SQLValue.real) ?? .text(text)
        case bool: .integer(text == "t" ? 1 : 0)
        case bytea: .blob(hexBytes(text))
        default: .text(text)
        }
    }

    /// bytea in PostgreSQL's hex output format: `\x` then two hex digits a byte.
    static func hexBytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8.dropFirst(2))
        bytes.reserveCapacity(utf8.count / 2)
        func nibble(_ c: UInt8) -> UInt8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: 0
            }
        }
        var index = 0
        while index + 1 < utf8.count {
            bytes.append(nibble(utf8[index]) << 4 | nibble(utf8[index + 1]))
            index += 2
        }
        return bytes
    }
}

/// Rewrites SQLite-style placeholders for PostgreSQL: `?N` becomes `$N`, each bare `?` the next
/// `$n`; quoted text and identifiers are left alone.
enum PostgresPlaceholders {
    static func convert(_ sql: String) -> (sql: String, parameters: Int) {
        var output = ""
        output.reserveCapacity(sql.utf8.count + 16)
        var next = 0
        var highest = 0
        var quote: Character?
        var characters = Array(sql)[...]
        while let character = characters.popFirst() {
            if let open = quote {
                output.append(character)
                if character == open { quote = nil }
                continue
            }
            if character == "'" || character == "\"" {
                quote = character
                output.append(character)
                continue
            }
            guard character == "?" else {
                output.append(character)
                continue
            }
            var digits = ""
            while let digit = characters.first, digit.isASCII, digit.isNumber {
                digits.append(digit)
                characters.removeFirst()
            }
            let number: Int
            if let explicit = Int(digits) {
                number = explicit
            } else {
                next += 1
                number = next
            }
            highest = max(highest, number)
            output += "$\(number)"
        }
        return (output, highest)
    }
}
