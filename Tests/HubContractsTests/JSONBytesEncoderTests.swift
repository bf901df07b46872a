import Foundation
import HubContracts
import Testing

@Suite("JSON bytes encoder")
struct JSONBytesEncoderTests {
    /// What the hub published before it wrote bytes directly: the JSONValue encoder's value, written out.
    static func viaTree<T: Encodable>(_ value: T) throws -> [UInt8] {
        Array(try JSONValueEncoder.encode(value).description.utf8)
    }

    @Test("every catalogue example: the same bytes as its JSONValue written out, for the data and the whole event")
    func catalogueExamples() throws {
        var checked = 0
        for topic in CatalogueFixture.catalogue.topics where topic.name.hasPrefix("hub.") && topic.isJSON {
            for example in topic.examples {
                let event = try CanonicalEvent.decode(example.bytes)
                let payload = try #require(event.data.payload)
                #expect(try JSONBytesEncoder.encode(payload) == (try Self.viaTree(payload)), "\(topic.name) / \(example.name)")
                #expect(try event.encoded() == Array(try event.json().description.utf8), "\(topic.name) / \(example.name)")
                checked += 1
            }
        }
        #expect(checked >= 40)
    }

    @Test("numbers, Foundation's own types, nested dictionaries and arrays, escapes: the same bytes", arguments: [UInt64(4), 5, 6])
    func numbers(seed: UInt64) throws {
        var random = SplitMix(seed: seed)
        for index in 0..<2_000 {
            let double = Double(bitPattern: random.next())
            guard double.isFinite else { continue }
            let lat = Double(Int64(bitPattern: random.next()) % 180_000_000) / 1e6
            let control = String(UnicodeScalar(UInt8(random.next() % 0x20)))
            let value = JSONValueEncoderTests.Numbers(
                double: double, optional: index.isMultiple(of: 2) ? nil : lat, integer: Int(truncatingIfNeeded: random.next()),
                big: Int64(bitPattern: random.next()), unsigned: index.isMultiple(of: 3) ? UInt32(truncatingIfNeeded: random.next()) : nil,
                decimal: Decimal(string: "\(Int(random.next() % 100_000)).\(random.next() % 100)") ?? 0,
                date: Date(timeIntervalSinceReferenceDate: lat * 1e6), data: Data((0..<(index % 7)).map { UInt8($0 * 37 & 0xFF) }),
                url: URL(string: "https://example.com/a/\(index)?q=1")!,
                nested: [Dictionary(uniqueKeysWithValues: (0..<(index % 9)).map { ("k\(($0 * 7919 + index) % 97)", Double($0) * lat) }), [:]],
                flag: index.isMultiple(of: 5), text: "司机\(index)\t\"/\\\(control)🚚")
            #expect(try JSONBytesEncoder.encode(value) == (try Self.viaTree(value)), "\(double) \(lat)")
        }
    }

    /// Members written out of key order, one of them twice, an empty object and array, a null.
    struct Unordered: Encodable {
        enum Keys: String, CodingKey { case zeta, alpha, mid, empty, list, none }
        struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode("first", forKey: .zeta)
            try container.encode(1, forKey: .alpha)
            try container.encode(Nothing(), forKey: .empty)
            try container.encode([Int](), forKey: .list)
            try container.encodeNil(forKey: .none)
            try container.encode(["b": 2, "a": 1], forKey: .mid)
            try container.encode("second", forKey: .zeta)
        }
    }

    @Test("members are put in key order and the last of a repeated key wins, as in the JSONValue")
    func keyOrder() throws {
        let bytes = try JSONBytesEncoder.encode(Unordered())
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"alpha":1,"empty":{},"list":[],"mid":{"a":1,"b":2},"none":null,"zeta":"second"}"#)
        #expect(bytes == (try Self.viaTree(Unordered())))
    }

    @Test("strings are escaped as JSON requires, the rest of UTF-8 left as it is, and read back the same")
    func escapes() throws {
        let text = "q\"b\\n\nr\rt\tc\u{1}\u{1F}/司机🚚"
        let bytes = try JSONBytesEncoder.encode([text])
        #expect(String(decoding: bytes, as: UTF8.self) == #"["q\"b\\n\nr\rt\tc\u0001\u001f/司机🚚"]"#)
        #expect(try JSONParser.parse(bytes) == .array([.string(text)]))
    }

    /// A type that writes a member through a nested container.
    struct Nesting: Encodable {
        enum Keys: String, CodingKey { case outer, inner }
        let writes: Bool
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var nested = container.nestedContainer(keyedBy: Keys.self, forKey: .outer)
            if writes { try nested.encode(1, forKey: .inner) }
        }
    }

    @Test("a nested container is refused, written to or not, and the bytes appended to are left as they were")
    func nestedContainers() throws {
        for writes in [true, false] {
            var bytes = Array("prefix".utf8)
            #expect(throws: JSONBytesEncoder.Unsupported.self) { try JSONBytesEncoder.append([Nesting(writes: writes)], to: &bytes) }
            #expect(bytes == Array("prefix".utf8))
        }
        // The JSONValue encoder writes them.
        #expect(try JSONValueEncoder.encode(Nesting(writes: true)).description == #"{"outer":{"inner":1}}"#)
    }

    @Test("a number JSON cannot hold is an error")
    func nonFinite() {
        #expect(throws: EncodingError.self) { try JSONBytesEncoder.encode([1.0, .infinity]) }
    }
}
