import Foundation

/// Encodes an `Encodable` value straight to compact JSON bytes with sorted keys: exactly the bytes
/// of ``JSONValueEncoder``'s value written out (`JSONValue.description`), without building that
/// value first. Every canonical event the hub publishes is written this way (``CanonicalEvent/encoded()``):
/// the core writes them inside its transactions, so their cost is time the database is held.
///
/// Each value is written where it goes; an object's members are written one after the other as
/// its type encodes them and put in key order when the type is done. That needs every member
/// finished before the next begins, which holds for every type that encodes members through its
/// keyed container (the synthesized `Codable` and ours); a type that asks for a nested container
/// or a super-encoder is refused with ``Unsupported``, and the caller uses ``JSONValueEncoder``.
/// Errors (a non-finite number) carry no coding path here: callers that need it encode again with
/// ``JSONValueEncoder``, which says where.
public enum JSONBytesEncoder {
    /// The value's type needs what this encoder does not do (a nested container, a super-encoder).
    public struct Unsupported: Error, Sendable, CustomStringConvertible {
        public var description: String { "nested containers and super-encoders are written by JSONValueEncoder" }
    }

    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try append(value, to: &bytes)
        return bytes
    }

    /// Appends the value's JSON to `bytes` (left as it was when this throws).
    public static func append<T: Encodable>(_ value: T, to bytes: inout [UInt8]) throws {
        let output = ByteOutput(bytes)
        bytes = []
        defer { bytes = output.bytes }
        let start = output.bytes.count
        do {
            try output.write(value)
            // A nested container that was asked for but never written to must still not be left out.
            if output.refused { throw Unsupported() }
        } catch {
            output.bytes.removeSubrange(start...)
            throw error
        }
    }
}

/// The bytes being written, shared by every container of one encoding.
private final class ByteOutput {
    var bytes: [UInt8] = []
    /// A nested container or super-encoder was asked for: the bytes are not the value.
    var refused = false

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.bytes.reserveCapacity(bytes.count + 512)
    }

    /// Writes one value at the end: a scalar as it is, anything else through its `encode(to:)`,
    /// then closed (an object's members put in key order).
    func write<T: Encodable>(_ value: T) throws {
        if let scalar = try JSONValueEncoder.scalar(value) {
            scalar.write(to: &bytes)
            return
        }
        let frame = Frame(start: bytes.count)
        try value.encode(to: ByteWriter(output: self, frame: frame))
        close(frame)
    }

    /// Starts a member of `frame`'s object: `"key":`, its value follows.
    func beginMember(_ key: String, of frame: Frame) {
        frame.members.append(Frame.Member(key: key, start: bytes.count, end: bytes.count))
        JSONValue.writeString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    func endMember(of frame: Frame) {
        frame.members[frame.members.count - 1].end = bytes.count
    }

    /// Before an item of `frame`'s array: the comma after the one before.
    func beginItem(of frame: Frame) {
        if frame.items > 0 { bytes.append(UInt8(ascii: ",")) }
        frame.items += 1
    }

    private func close(_ frame: Frame) {
        switch frame.kind {
        case .none:
            // Nothing encoded: JSONValueEncoder's empty slot, an empty object.
            bytes.append(contentsOf: "{}".utf8)
        case .single:
            if bytes.count == frame.start { bytes.append(contentsOf: "{}".utf8) }
        case .array:
            bytes.append(UInt8(ascii: "]"))
        case .object:
            closeObject(frame)
        }
    }

    /// Puts the members written since `frame.start` in key order (the last of equal keys wins, as
    /// in a dictionary), with braces and commas.
    private func closeObject(_ frame: Frame) {
        var members = frame.members
        let inOrder = zip(members, members.dropFirst()).allSatisfy { $0.key < $1.key }
        if !inOrder {
            members = Array(members.enumerated().sorted { $0.element.key != $1.element.key ? $0.element.key < $1.element.key : $0.offset < $1.offset }.map(\.element))
            members = members.enumerated().filter { index, member in index + 1 == members.count || members[index + 1].key != member.key }.map(\.element)
        }
        var object: [UInt8] = []
        object.reserveCapacity(bytes.count - frame.start + members.count + 2)
        object.append(UInt8(ascii: "{"))
        for (index, member) in members.enumerated() {
            if index > 0 { object.append(UInt8(ascii: ",")) }
            object.append(contentsOf: bytes[member.start..<member.end])
        }
        object.append(UInt8(ascii: "}"))
        bytes.replaceSubrange(frame.start..., with: object)
    }
}

/// One value being written: what container its type asked for and, for an object, where each
/// member's `"key":value` lies.
private final class Frame {
    enum Kind { case none, single, array, object }

    struct Member {
        var key: String
        var start: Int
        var end: Int
    }

    let start: Int
    var kind = Kind.none
    var members: [Member] = []
    var items = 0

    init(start: Int) { self.start = start }
}

private struct ByteWriter: Encoder {
    let output: ByteOutput
    let frame: Frame
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        frame.kind = .object
        return KeyedEncodingContainer(ByteKeyedWriter<Key>(output: output, frame: frame))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if frame.kind != .array {
            frame.kind = .array
            output.bytes.append(UInt8(ascii: "["))
        }
        return ByteUnkeyedWriter(output: output, frame: frame)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        frame.kind = .single
        return ByteSingleWriter(output: output)
    }
}

private struct ByteKeyedWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let output: ByteOutput
    let frame: Frame
    var codingPath: [any CodingKey] { [] }

    private func member(_ key: Key, _ write: () throws -> Void) rethrows {
        output.beginMember(key.stringValue, of: frame)
        try write()
        output.endMember(of: frame)
    }

    private func scalar(_ key: Key, _ value: JSONValue) {
        member(key) { value.write(to: &output.bytes) }
    }

    mutating func encodeNil(forKey key: Key) throws { member(key) { JSONValue.null.write(to: &output.bytes) } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { scalar(key, .bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { member(key) { JSONValue.writeString(value, to: &output.bytes) } }
    mutating func encode(_ value: Double, forKey key: Key) throws { scalar(key, try JSONValueEncoder.floating(value)) }
    mutating func encode(_ value: Float, forKey key: Key) throws { scalar(key, try JSONValueEncoder.floating(value)) }
    mutating func encode(_ value: Int, forKey key: Key) throws { scalar(key, .number(String(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { scalar(key, .number(String(value))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { scalar(key, .number(String(value))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { scalar(key, .number(String(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { scalar(key, .number(String(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { scalar(key, .number(String(value))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { scalar(key, .number(String(value))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { scalar(key, .number(String(value))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { scalar(key, .number(String(value))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { scalar(key, .number(String(value))) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try member(key) { try output.write(value) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        output.refused = true
        return KeyedEncodingContainer(RefusingKeyedWriter<NestedKey>())
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { output.refused = true; return RefusingUnkeyedWriter() }
    mutating func superEncoder() -> any Encoder { output.refused = true; return RefusingWriter() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { output.refused = true; return RefusingWriter() }
}

private struct ByteUnkeyedWriter: UnkeyedEncodingContainer {
    let output: ByteOutput
    let frame: Frame
    var codingPath: [any CodingKey] { [] }
    var count: Int { frame.items }

    private func item(_ write: () throws -> Void) rethrows {
        output.beginItem(of: frame)
        try write()
    }

    mutating func encodeNil() throws { item { JSONValue.null.write(to: &output.bytes) } }
    mutating func encode(_ value: String) throws { item { JSONValue.writeString(value, to: &output.bytes) } }
    mutating func encode<T: Encodable>(_ value: T) throws { try item { try output.write(value) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        output.refused = true
        return KeyedEncodingContainer(RefusingKeyedWriter<NestedKey>())
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { output.refused = true; return RefusingUnkeyedWriter() }
    mutating func superEncoder() -> any Encoder { output.refused = true; return RefusingWriter() }
}

private struct ByteSingleWriter: SingleValueEncodingContainer {
    let output: ByteOutput
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { JSONValue.null.write(to: &output.bytes) }
    mutating func encode(_ value: String) throws { JSONValue.writeString(value, to: &output.bytes) }
    mutating func encode<T: Encodable>(_ value: T) throws { try output.write(value) }
}

/// What a nested container or super-encoder gets: every write fails with ``JSONBytesEncoder/Unsupported``.
private struct RefusingWriter: Encoder {
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> { KeyedEncodingContainer(RefusingKeyedWriter<Key>()) }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { RefusingUnkeyedWriter() }
    func singleValueContainer() -> any SingleValueEncodingContainer { RefusingSingleWriter() }
}

private struct RefusingKeyedWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
    var codingPath: [any CodingKey] { [] }
    mutating func encodeNil(forKey key: Key) throws { throw JSONBytesEncoder.Unsupported() }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { throw JSONBytesEncoder.Unsupported() }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(RefusingKeyedWriter<NestedKey>())
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { RefusingUnkeyedWriter() }
    mutating func superEncoder() -> any Encoder { RefusingWriter() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { RefusingWriter() }
}

private struct RefusingUnkeyedWriter: UnkeyedEncodingContainer {
    var codingPath: [any CodingKey] { [] }
    var count: Int { 0 }
    mutating func encodeNil() throws { throw JSONBytesEncoder.Unsupported() }
    mutating func encode<T: Encodable>(_ value: T) throws { throw JSONBytesEncoder.Unsupported() }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(RefusingKeyedWriter<NestedKey>())
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { RefusingUnkeyedWriter() }
    mutating func superEncoder() -> any Encoder { RefusingWriter() }
}

private struct RefusingSingleWriter: SingleValueEncodingContainer {
    var codingPath: [any CodingKey] { [] }
    mutating func encodeNil() throws { throw JSONBytesEncoder.Unsupported() }
    mutating func encode<T: Encodable>(_ value: T) throws { throw JSONBytesEncoder.Unsupported() }
}
