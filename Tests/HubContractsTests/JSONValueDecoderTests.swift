import Foundation
import HubContracts
import Testing

@Suite("JSON value decoder")
struct JSONValueDecoderTests {
    @Test("every catalogue example's payload reads as JSONDecoder reads it (compared by what it writes again)")
    func catalogueExamples() throws {
        var checked = 0
        for topic in CatalogueFixture.catalogue.topics where topic.name.hasPrefix("hub.") && topic.isJSON {
            for example in topic.examples {
                let json = try #require(example.value)
                let type = try #require(json["type"]?.stringValue)
                let data = try #require(json["data"])
                guard let kind = EventKind(rawValue: type) else { continue }
                let direct = try #require(try EventData.decode(type: type, from: data).payload)
                let foundation = try #require(try EventData.decode(kind, with: FoundationReader(bytes: Data(data.description.utf8))).payload)
                #expect(try JSONValueEncoder.encode(direct) == JSONValueEncoder.encode(foundation), "\(topic.name) / \(example.name)")
                checked += 1
            }
        }
        #expect(checked >= 40)
    }

    /// Reads a payload with Foundation's decoder.
    struct FoundationReader: PayloadReader {
        let bytes: Data
        func read<Payload: CanonicalPayload>(_ type: Payload.Type) throws -> Payload { try JSONDecoder().decode(type, from: bytes) }
    }

    struct Sample: Codable, Equatable {
        var text: String
        var flag: Bool
        var count: Int
        var small: UInt8
        var ratio: Double
        var maybe: Double?
        var missing: String?
        var decimal: Decimal
        var when: Date
        var bytes: Data
        var link: URL
        var nested: [[String: Int]]
    }

    @Test("numbers, optionals, Foundation's own types and nested containers read as JSONDecoder reads them", arguments: [UInt64(4), 5])
    func values(seed: UInt64) throws {
        var random = SplitMix(seed: seed)
        for index in 0..<500 {
            let sample = Sample(text: "司机\(index)\t\"", flag: index.isMultiple(of: 2), count: Int(truncatingIfNeeded: random.next()), small: UInt8(truncatingIfNeeded: random.next()),
                                ratio: Double(Int64(bitPattern: random.next()) % 1_000_000_000) / 1e4, maybe: index.isMultiple(of: 3) ? nil : 1.5,
                                decimal: Decimal(string: "\(random.next() % 100_000).\(random.next() % 100)") ?? 0,
                                when: Date(timeIntervalSinceReferenceDate: Double(random.next() % 1_000_000_000) / 8), bytes: Data((0..<(index % 9)).map { UInt8($0 * 31 & 0xFF) }),
                                link: URL(string: "https://example.com/\(index)")!, nested: [["a": index], [:]])
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let bytes = try encoder.encode(sample)
            let parsed = try JSONParser.parse(Array(bytes))
            #expect(try JSONValueDecoder.decode(Sample.self, from: parsed) == JSONDecoder().decode(Sample.self, from: bytes))
        }
    }

    @Test("a wrong value says where and what", arguments: [
        (#"{"text":5}"#, "text", "expected a string, found a number"),
        (#"{"text":"t","flag":true,"count":1.5}"#, "count", "does not fit in Int"),
        (#"{"text":"t","flag":true,"count":300,"small":300}"#, "small", "does not fit in UInt8"),
        (#"{"text":"t","flag":null}"#, "flag", "null where a value is required"),
    ])
    func errors(json: String, field: String, reason: String) throws {
        let value = try JSONParser.parse(Array(json.utf8))
        do {
            _ = try JSONValueDecoder.decode(Sample.self, from: value)
            Issue.record("\(json) decoded")
        } catch let error as DecodingError {
            let described = "\(error)"
            #expect(described.contains(reason), "\(described)")
            switch error {
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                #expect(context.codingPath.map(\.stringValue) == [field])
            case .keyNotFound(let key, _):
                Issue.record("key not found: \(key.stringValue)")
            @unknown default:
                Issue.record("\(error)")
            }
        }
    }

    @Test("a missing field is keyNotFound, naming it")
    func missing() throws {
        let value = try JSONParser.parse(Array(#"{"text":"t"}"#.utf8))
        #expect {
            _ = try JSONValueDecoder.decode(Sample.self, from: value)
        } throws: { error in
            guard case DecodingError.keyNotFound(let key, _) = error else { return false }
            return key.stringValue == "flag"
        }
    }
}
