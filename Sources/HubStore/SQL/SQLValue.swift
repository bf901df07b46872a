/// One value bound to, or read from, an SQL statement, the same on SQLite and PostgreSQL.
@_spi(SQL) public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
    public init(_ value: Int64?) { self = value.map(SQLValue.integer) ?? .null }
    public init(_ value: Int) { self = .integer(Int64(value)) }
    public init(_ value: Int32) { self = .integer(Int64(value)) }
    public init(_ value: Double) { self = .real(value) }
    public init(_ value: [UInt8]?) { self = value.map(SQLValue.blob) ?? .null }
}

/// One result row. Accessors read a column by position and convert what the database returned.
@_spi(SQL) public struct SQLRow: Sendable, Hashable {
    public var values: [SQLValue]

    public init(_ values: [SQLValue]) { self.values = values }

    public subscript(column: Int) -> SQLValue { column < values.count ? values[column] : .null }

    public func isNull(_ column: Int) -> Bool { self[column] == .null }

    public func string(_ column: Int) -> String? {
        switch self[column] {
        case .text(let text): text
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .blob(let bytes): String(decoding: bytes, as: UTF8.self)
        case .null: nil
        }
    }

    public func int64(_ column: Int) -> Int64 {
        switch self[column] {
        case .integer(let value): value
        case .real(let value): Int64(value)
        case .text(let text): Int64(text) ?? 0
        default: 0
        }
    }

    public func int(_ column: Int) -> Int { Int(int64(column)) }

    public func double(_ column: Int) -> Double {
        switch self[column] {
        case .real(let value): value
        case .integer(let value): Double(value)
        case .text(let text): Double(text) ?? 0
        default: 0
        }
    }

    public func blob(_ column: Int) -> [UInt8]? {
        switch self[column] {
        case .blob(let bytes): bytes
        case .text(let text): Array(text.utf8)
        default: nil
        }
    }
}
