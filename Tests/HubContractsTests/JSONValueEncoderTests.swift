import Foundation
import HubContracts
import Testing

@Suite("JSON value encoder")
struct JSONValueEncoderTests {
    /// What the hub wrote before it had its own encoder: Foundation's JSONEncoder, parsed back.
    static func viaFoundation<T: Encodable>(_ value: T) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try JSONParser.parse(Array(try encoder.encode(value)))
    }

    @Test("every catalogue example's payload: the same value as JSONEncoder's output parsed back, so the same bytes")
    func catalogueExamples() throws {
        var checked = 0
        for topic in CatalogueFixture.catalogue.topics where topic.name.hasPrefix("hub.") && topic.isJSON {
            for example in topic.examples {
                let event = try CanonicalEvent.decode(example.bytes)
                let payload = try #require(event.data.payload)
                let direct = try JSONValueEncoder.encode(payload)
                let foundation = try Self.viaFoundation(payload)
                #expect(direct == foundation, "\(topic.name) / \(example.name)")
                #expect(direct.description == foundation.description)
                checked += 1
            }
        }
        #expect(checked >= 40)
    }

    struct Numbers: Encodable {
        var double: Double
        var optional: Double?
        var integer: Int
        var big: Int64
        var unsigned: UInt32?
        var decimal: Decimal
        var date: Date
        var data: Data
        var url: URL
        var nested: [[String: Double]]
        var flag: Bool
        var text: String
    }

    @Test("numbers and Foundation's own types are written as JSONEncoder writes them", arguments: [UInt64(1), 2, 3])
    func numbers(seed: UInt64) throws {
        var random = SplitMix(seed: seed)
        let fixed: [Double] = [0, -0.0, 1, 32, 1e-5, 1e-7, 1e16, 1e17, 1.5e300, 0.1, 118.79, 5e-324, .greatestFiniteMagnitude, 100, 1e15]
        for index in 0..<3_000 {
            let double = index < fixed.count ? fixed[index] : Double(bitPattern: random.next())
            guard double.isFinite else { continue }
            let lat = Double(Int64(bitPattern: random.next()) % 180_000_000) / 1e6
            let value = Numbers(double: double, optional: index.isMultiple(of: 2) ? nil : lat, integer: Int(truncatingIfNeeded: random.next()),
                                big: Int64(bitPattern: random.next()), unsigned: index.isMultiple(of: 3) ? UInt32(truncatingIfNeeded: random.next()) : nil,
                                decimal: Decimal(string: "\(Int(random.next() % 100_000)).\(random.next() % 100)") ?? 0,
                                date: Date(timeIntervalSinceReferenceDate: lat * 1e6), data: Data((0..<(index % 7)).map { UInt8($0 * 37 & 0xFF) }),
                                url: URL(string: "https://example.com/a/\(index)?q=1")!, nested: [["lat": lat, "lon": -lat], [:]],
                                flag: index.isMultiple(of: 5), text: "司机\(index)\t\"/\\")
            let direct = try JSONValueEncoder.encode(value)
            #expect(direct == (try Self.viaFoundation(value)), "\(double) \(lat)")
        }
    }

    @Test("a number JSON cannot hold is an error, as with JSONEncoder")
    func nonFinite() {
        #expect(throws: EncodingError.self) { try JSONValueEncoder.encode(Numbers(double: .nan, integer: 0, big: 0, decimal: 0, date: Date(), data: Data(),
                                                                                  url: URL(string: "https://example.com")!, nested: [], flag: true, text: "")) }
    }
}

/// A small seeded generator, so a failure can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
