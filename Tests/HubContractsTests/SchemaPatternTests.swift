import Foundation
@testable import HubContracts
import Testing

@Suite("schema patterns")
struct SchemaPatternTests {
    /// Every pattern the catalogue writes.
    static let cataloguePatterns: [String] = {
        var found = Set<String>()
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let members):
                if let pattern = members["pattern"]?.stringValue { found.insert(pattern) }
                members.values.forEach(walk)
            case .array(let items): items.forEach(walk)
            default: break
            }
        }
        for topic in CatalogueFixture.catalogue.topics { topic.schema.map(walk) }
        if let common = try? JSONParser.parse(Array((try? Data(contentsOf: CatalogueFixture.directory.appendingPathComponent("common.json"))) ?? Data())) { walk(common) }
        return found.sorted()
    }()

    @Test("the catalogue's patterns are all compiled here, and agree with NSRegularExpression on thousands of strings")
    func agreesWithFoundation() throws {
        #expect(Self.cataloguePatterns.count >= 10)
        var random = SplitMix(seed: 808)
        let alphabet = Array("0123456789AZaz-.:_+ TZ/~é车\n")
        for pattern in Self.cataloguePatterns {
            let own = try #require(SchemaPattern(pattern), "\(pattern) compiles")
            let foundation = try NSRegularExpression(pattern: pattern)
            var samples = ["", "0", "1.5", "-0.25", "2026-11-29", "2026-11-29T02:15:00Z", "2026-11-29T02:15:00.123Z", "CNY", "O-7Q3K9ZP2", "api:submit:O-1",
                           "LSVAU2180N2183294", "+86 139-1234-5678", "order.submit", "00.1", "0.0000001", "123456789012345", "1234567890123456"]
            for _ in 0..<3_000 {
                let length = Int(random.next() % 24)
                samples.append(String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }))
            }
            for sample in samples where !sample.hasSuffix("\n") {
                let expected = foundation.firstMatch(in: sample, range: NSRange(sample.startIndex..., in: sample)) != nil
                #expect(own.matches(sample) == expected, "\(pattern) on \(sample.debugDescription)")
            }
        }
    }

    @Test("$ is the end of the text, as in ECMA-262: a trailing line break does not match")
    func endIsEnd() throws {
        let id = try #require(SchemaPattern("^[A-Z]{3}$"))
        #expect(id.matches("CNY"))
        #expect(!id.matches("CNY\n"))
        #expect(!id.matches("CN"))
        #expect(!id.matches("CNYX"))
    }

    @Test("what it does not do is left to NSRegularExpression, and still checked", arguments: [#"^\w+$"#, "^[^a]$", "^a+?$", #"^(a)\1$"#])
    func fallsBack(pattern: String) {
        #expect(SchemaPattern(pattern) == nil)
    }

    @Test("unanchored patterns search the whole text; look-ahead and alternatives")
    func searchAndGroups() throws {
        let inside = try #require(SchemaPattern("[0-9]{3}"))
        #expect(inside.matches("ab123cd") && !inside.matches("ab12cd"))
        let positive = try #require(SchemaPattern(#"^(?=.*[1-9])(0|[1-9][0-9]{0,14})(\.[0-9]{1,6})?$"#))
        #expect(positive.matches("0.5") && positive.matches("12") && !positive.matches("0") && !positive.matches("0.000") && !positive.matches("01"))
        #expect(PatternCache.shared.matches("héllo", #"^\w+$"#) == true, "the fallback sees letters beyond ASCII")
    }
}
