import Foundation

/// Decodes a `Decodable` value straight from a ``JSONValue`` the hub has already parsed (a
/// canonical event's `data`), instead of writing it out again for `JSONDecoder`. It reads what
/// `JSONDecoder` reads with its default strategies: numbers into any numeric type they fit
/// exactly, `Decimal` from a number's text, `Data` from base64, `URL` from a string, `Date` as
/// seconds since 2001. Errors are `DecodingError`s with the coding path of the value at fault.
public enum JSONValueDecoder {
    public static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try Reader(value: value, codingPath: []).decodeValue(type)
    }
}

private struct Reader: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else { throw Self.mismatch([String: JSONValue].self, value, codingPath) }
        return KeyedDecodingContainer(KeyedReader<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = value else { throw Self.mismatch([JSONValue].self, value, codingPath) }
        return UnkeyedReader(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleReader(value: value, codingPath: codingPath)
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if let scalar = try scalar(type) { return scalar }
        return try T(from: self)
    }

    /// The types read here rather than by their own `init(from:)` (as `JSONDecoder` does).
    private func scalar<T: Decodable>(_ type: T.Type) throws -> T? {
        guard JSONScalarTypes.contains(type) else { return nil }
        let decoded: Any
        switch type {
        case is String.Type: decoded = try string()
        case is Bool.Type: decoded = try bool()
        case let integerType as any FixedWidthInteger.Type: decoded = try integer(integerType)
        case is Double.Type: decoded = try floating(Double.self)
        case is Float.Type: decoded = try floating(Float.self)
        case is Decimal.Type:
            guard case .number(let text) = value else { throw Self.mismatch(Decimal.self, value, codingPath) }
            guard let number = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "the number \(text) is not a decimal"))
            }
            decoded = number
        case is Data.Type:
            guard let data = Data(base64Encoded: try string()) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "not base64"))
            }
            decoded = data
        case is URL.Type:
            guard let url = URL(string: try string()) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "not a URL"))
            }
            decoded = url
        case is Date.Type: decoded = Date(timeIntervalSinceReferenceDate: try floating(Double.self))
        default: return nil
        }
        return decoded as? T
    }

    func string() throws -> String {
        guard case .string(let text) = value else { throw Self.mismatch(String.self, value, codingPath) }
        return text
    }

    func bool() throws -> Bool {
        guard case .bool(let flag) = value else { throw Self.mismatch(Bool.self, value, codingPath) }
        return flag
    }

    func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        guard case .number(let text) = value else { throw Self.mismatch(type, value, codingPath) }
        if let exact = I(text) { return exact }
        // 1e3 or 12.0: a whole number written otherwise, as JSONDecoder accepts it.
        if let number = Double(text), let whole = I(exactly: number) { return whole }
        throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "the number \(text) does not fit in \(type)"))
    }

    func floating<F: BinaryFloatingPoint & LosslessStringConvertible>(_ type: F.Type) throws -> F {
        guard case .number(let text) = value else { throw Self.mismatch(type, value, codingPath) }
        guard let number = F(text), number.isFinite else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "the number \(text) does not fit in \(type)"))
        }
        return number
    }

    static func mismatch(_ type: Any.Type, _ value: JSONValue, _ codingPath: [any CodingKey]) -> DecodingError {
        if case .null = value { return .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "null where a value is required")) }
        let expected = switch type {
        case is String.Type, is URL.Type, is Data.Type: "a string"
        case is Bool.Type: "true or false"
        case is [String: JSONValue].Type: "an object"
        case is [JSONValue].Type: "an array"
        default: "a number"
        }
        let found = switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
        return .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(expected), found \(found)"))
    }
}

private struct KeyedReader<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [String: JSONValue]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

    func member(_ key: Key) throws -> JSONValue {
        guard let value = members[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for \(key.stringValue)"))
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try member(key) { return true }
        return false
    }

    func reader(_ key: Key) throws -> Reader { Reader(value: try member(key), codingPath: codingPath + [key]) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let reader = try reader(key)
        if case .null = reader.value { throw Reader.mismatch(type, reader.value, reader.codingPath) }
        return try reader.decodeValue(type)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try reader(key).bool() }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try reader(key).string() }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try reader(key).floating(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try reader(key).floating(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try reader(key).integer(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try reader(key).integer(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try reader(key).integer(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try reader(key).integer(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try reader(key).integer(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try reader(key).integer(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try reader(key).integer(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try reader(key).integer(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try reader(key).integer(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try reader(key).integer(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try Reader(value: try member(key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try Reader(value: try member(key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { Reader(value: members["super"] ?? .null, codingPath: codingPath) }
    func superDecoder(forKey key: Key) throws -> any Decoder { Reader(value: members[key.stringValue] ?? .null, codingPath: codingPath + [key]) }
}

private struct ItemKey: CodingKey {
    let index: Int
    var stringValue: String { "Index \(index)" }
    var intValue: Int? { index }
    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { index = intValue }
}

private struct UnkeyedReader: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    init(items: [JSONValue], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    mutating func next(_ type: Any.Type) throws -> (JSONValue, [any CodingKey]) {
        let path = codingPath + [ItemKey(currentIndex)]
        guard !isAtEnd else { throw DecodingError.valueNotFound(type, .init(codingPath: path, debugDescription: "the array has no more items")) }
        defer { currentIndex += 1 }
        return (items[currentIndex], path)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .null = items[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func reader(_ type: Any.Type) throws -> Reader {
        let (value, path) = try next(type)
        return Reader(value: value, codingPath: path)
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let reader = try reader(type)
        if case .null = reader.value { throw Reader.mismatch(type, reader.value, reader.codingPath) }
        return try reader.decodeValue(type)
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try reader(type).bool() }
    mutating func decode(_ type: String.Type) throws -> String { try reader(type).string() }
    mutating func decode(_ type: Double.Type) throws -> Double { try reader(type).floating(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try reader(type).floating(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try reader(type).integer(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try reader(type).integer(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try reader(type).integer(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try reader(type).integer(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try reader(type).integer(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try reader(type).integer(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try reader(type).integer(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try reader(type).integer(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try reader(type).integer(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try reader(type).integer(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, path) = try next([String: JSONValue].self)
        return try Reader(value: value, codingPath: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (value, path) = try next([JSONValue].self)
        return try Reader(value: value, codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (value, path) = try next(Any.self)
        return Reader(value: value, codingPath: path)
    }
}

private struct SingleReader: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    var reader: Reader { Reader(value: value, codingPath: codingPath) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if case .null = value { throw Reader.mismatch(type, value, codingPath) }
        return try reader.decodeValue(type)
    }

    func decode(_ type: Bool.Type) throws -> Bool { try reader.bool() }
    func decode(_ type: String.Type) throws -> String { try reader.string() }
    func decode(_ type: Double.Type) throws -> Double { try reader.floating(type) }
    func decode(_ type: Float.Type) throws -> Float { try reader.floating(type) }
    func decode(_ type: Int.Type) throws -> Int { try reader.integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try reader.integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try reader.integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try reader.integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try reader.integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try reader.integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try reader.integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try reader.integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try reader.integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try reader.integer(type) }
}
