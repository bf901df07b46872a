import Foundation

/// Encodes an `Encodable` value straight into a ``JSONValue``: the value Foundation's
/// `JSONEncoder` would write and ``JSONParser`` read back, without the bytes in between (every
/// canonical event the hub publishes is built this way). Numbers are written as `JSONEncoder`
/// writes them: integers in full, floating point by its shortest round-trip text without a
/// trailing `.0`, `Decimal` by its description; `Data` as base64, `URL` by its absolute string,
/// `Date` as seconds since 2001 (JSONEncoder's default strategies). A non-finite number is an
/// error, as it is for `JSONEncoder`.
public enum JSONValueEncoder {
    public static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let root = Slot()
        try Writer(slot: root, codingPath: []).encodeValue(value)
        return root.resolved
    }

    /// The value as a scalar when it is one of the types JSON coders write themselves (``JSONBytesEncoder`` writes them alike).
    static func scalar<T: Encodable>(_ value: T) throws -> JSONValue? {
        try Writer.scalar(value, codingPath: [])
    }

    static func floating<F: BinaryFloatingPoint & CustomStringConvertible>(_ number: F) throws -> JSONValue {
        try Writer.floating(number, codingPath: [])
    }
}

/// Where one value goes while it is being written; containers share it by reference, as nested
/// containers outlive the calls that made them.
private final class Slot {
    enum Content {
        case empty
        case value(JSONValue)
        case object([String: Slot])
        case array([Slot])
    }

    var content: Content = .empty

    var resolved: JSONValue {
        switch content {
        case .empty: .object([:])
        case .value(let value): value
        case .object(let members): .object(members.mapValues(\.resolved))
        case .array(let items): .array(items.map(\.resolved))
        }
    }

    func member(_ key: String) -> Slot {
        if case .object(var members) = content {
            let slot = Slot()
            content = .empty  // members uniquely referenced while it changes
            members[key] = slot
            content = .object(members)
            return slot
        }
        let slot = Slot()
        content = .object([key: slot])
        return slot
    }

    func set(_ key: String, _ value: JSONValue) {
        member(key).content = .value(value)
    }

    func appended() -> Slot {
        let slot = Slot()
        if case .array(var items) = content {
            content = .empty
            items.append(slot)
            content = .array(items)
        } else {
            content = .array([slot])
        }
        return slot
    }

    func makeObject() {
        if case .object = content { return }
        content = .object([:])
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }
}

private struct Writer: Encoder {
    let slot: Slot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        slot.makeObject()
        return KeyedEncodingContainer(KeyedWriter<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        slot.makeArray()
        return UnkeyedWriter(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleWriter(slot: slot, codingPath: codingPath)
    }

    /// The types `JSONEncoder` writes its own way; everything else encodes itself.
    func encodeValue<T: Encodable>(_ value: T) throws {
        if let scalar = try Self.scalar(value, codingPath: codingPath) {
            slot.content = .value(scalar)
        } else {
            try value.encode(to: self)
        }
    }

    static func scalar<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws -> JSONValue? {
        guard JSONScalarTypes.contains(T.self) else { return nil }
        switch value {
        case let text as String: return .string(text)
        case let flag as Bool: return .bool(flag)
        case let number as any BinaryInteger: return integer(number)
        case let number as Double: return try floating(number, codingPath: codingPath)
        case let number as Float: return try floating(number, codingPath: codingPath)
        case let number as Decimal: return .number(number.description)
        case let data as Data: return .string(data.base64EncodedString())
        case let url as URL: return .string(url.absoluteString)
        case let date as Date: return try floating(date.timeIntervalSinceReferenceDate, codingPath: codingPath)
        default: return nil
        }
    }

    static func floating<F: BinaryFloatingPoint & CustomStringConvertible>(_ number: F, codingPath: [any CodingKey]) throws -> JSONValue {
        guard number.isFinite else {
            throw EncodingError.invalidValue(number, .init(codingPath: codingPath, debugDescription: "\(number) is not a JSON number"))
        }
        var text = number.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .number(text)
    }

    static func integer<I: BinaryInteger>(_ number: I) -> JSONValue { .number(String(number)) }
}

/// The types Foundation's JSON coders read and write themselves rather than through their own
/// `Codable` conformance: a lookup first, so a struct does not go through a dozen failed casts.
enum JSONScalarTypes {
    private static let identifiers: Set<ObjectIdentifier> = [
        ObjectIdentifier(String.self), ObjectIdentifier(Bool.self), ObjectIdentifier(Double.self), ObjectIdentifier(Float.self),
        ObjectIdentifier(Int.self), ObjectIdentifier(Int8.self), ObjectIdentifier(Int16.self), ObjectIdentifier(Int32.self), ObjectIdentifier(Int64.self),
        ObjectIdentifier(UInt.self), ObjectIdentifier(UInt8.self), ObjectIdentifier(UInt16.self), ObjectIdentifier(UInt32.self), ObjectIdentifier(UInt64.self),
        ObjectIdentifier(Decimal.self), ObjectIdentifier(Data.self), ObjectIdentifier(URL.self), ObjectIdentifier(Date.self),
    ]

    static func contains(_ type: Any.Type) -> Bool { identifiers.contains(ObjectIdentifier(type)) }
}

private struct KeyedWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { slot.set(key.stringValue, .null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { slot.set(key.stringValue, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { slot.set(key.stringValue, .string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { slot.set(key.stringValue, try Writer.floating(value, codingPath: codingPath + [key])) }
    mutating func encode(_ value: Float, forKey key: Key) throws { slot.set(key.stringValue, try Writer.floating(value, codingPath: codingPath + [key])) }
    mutating func encode(_ value: Int, forKey key: Key) throws { slot.set(key.stringValue, Writer.integer(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { slot.set(key.stringValue, Writer.integer(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { slot.set(key.stringValue, Writer.integer(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { slot.set(key.stringValue, Writer.integer(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { slot.set(key.stringValue, Writer.integer(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { slot.set(key.stringValue, Writer.integer(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { slot.set(key.stringValue, Writer.integer(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { slot.set(key.stringValue, Writer.integer(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { slot.set(key.stringValue, Writer.integer(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { slot.set(key.stringValue, Writer.integer(value)) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try Writer(slot: slot.member(key.stringValue), codingPath: codingPath + [key]).encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let member = slot.member(key.stringValue)
        member.makeObject()
        return KeyedEncodingContainer(KeyedWriter<NestedKey>(slot: member, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let member = slot.member(key.stringValue)
        member.makeArray()
        return UnkeyedWriter(slot: member, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { Writer(slot: slot.member("super"), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { Writer(slot: slot.member(key.stringValue), codingPath: codingPath + [key]) }
}

private struct IndexKey: CodingKey {
    var stringValue: String { "Index \(index)" }
    var intValue: Int? { index }
    let index: Int
    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { index = intValue }
}

private struct UnkeyedWriter: UnkeyedEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]
    var count: Int {
        if case .array(let items) = slot.content { return items.count }
        return 0
    }

    mutating func encodeNil() throws { slot.appended().content = .value(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let key = IndexKey(count)
        try Writer(slot: slot.appended(), codingPath: codingPath + [key]).encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let key = IndexKey(count)
        let item = slot.appended()
        item.makeObject()
        return KeyedEncodingContainer(KeyedWriter<NestedKey>(slot: item, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let key = IndexKey(count)
        let item = slot.appended()
        item.makeArray()
        return UnkeyedWriter(slot: item, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        let key = IndexKey(count)
        return Writer(slot: slot.appended(), codingPath: codingPath + [key])
    }
}

private struct SingleWriter: SingleValueEncodingContainer {
    let slot: Slot
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { slot.content = .value(.null) }
    mutating func encode(_ value: Bool) throws { slot.content = .value(.bool(value)) }
    mutating func encode(_ value: String) throws { slot.content = .value(.string(value)) }
    mutating func encode(_ value: Double) throws { slot.content = .value(try Writer.floating(value, codingPath: codingPath)) }
    mutating func encode(_ value: Float) throws { slot.content = .value(try Writer.floating(value, codingPath: codingPath)) }
    mutating func encode(_ value: Int) throws { slot.content = .value(Writer.integer(value)) }
    mutating func encode(_ value: Int8) throws { slot.content = .value(Writer.integer(value)) }
    mutating func encode(_ value: Int16) throws { slot.content = .value(Writer.integer(value)) }
    mutating func encode(_ value: Int32) throws { slot.content = .value(Writer.integer(value)) }
    mutating func encode(_ value: Int64) throws { slot.content = .value(Writer.integer(value)) }
    mutating func encode(_ value: UInt) throws { slot.content = .value(Writer.integer(value)) }
    mutating func encode(_ value: UInt8) throws { slot.content = .value(Writer.integer(value)) }
    mutating func encode(_ value: UInt16) throws { slot.content = .value(Writer.integer(value)) }
    mutating func encode(_ value: UInt32) throws { slot.content = .value(Writer.integer(value)) }
    mutating func encode(_ value: UInt64) throws { slot.content = .value(Writer.integer(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try Writer(slot: slot, codingPath: codingPath).encodeValue(value)
    }
}
