import Adapters
import Foundation
import HubContracts
import Testing

@Suite("anti-counterfeit adapter")
struct AntiCounterfeitTests {
    static let catalogue = JT808Tests.catalogue
    let mapping = AntiCounterfeitMapping(catalogue: AntiCounterfeitTests.catalogue)

    func map(_ value: [UInt8]) -> MappingResult { mapping.map(RawRecord(topic: "anticounterfeit.in.scans", partition: 2, offset: 55, value: value)) }

    @Test("a genuine scan becomes authenticity.scanned; a fake one is also flagged counterfeit; both valid on hub.authenticity")
    func scans() throws {
        let examples = Self.catalogue["anticounterfeit.in.scans"]!.examples
        let genuine = map(examples[0].bytes)
        #expect(genuine.events.count == 1 && genuine.events[0].key == "8A3F00912C77B1D4" && genuine.events[0].id == "anticounterfeit.in.scans:2:55:0")
        let scan = try #require(try CanonicalEvent.decode(genuine.events[0].value).data as? AuthenticityScanned)
        #expect(scan.result == .genuine && scan.place.city == "上海" && scan.scannedAt.text == "2026-11-29T02:15:00Z" && scan.batch == "B20261101")
        let fake = map(examples[1].bytes)
        #expect(fake.events.map(\.id) == ["anticounterfeit.in.scans:2:55:0", "anticounterfeit.in.scans:2:55:1"])
        let flag = try #require(try CanonicalEvent.decode(fake.events[1].value).data as? AuthenticityFlagged)
        #expect(flag.reason == .counterfeit && flag.scanRegion.province == "广东")
        #expect((try CanonicalEvent.decode(fake.events[0].value).data as? AuthenticityScanned)?.position == GeoPosition(lat: 23.1291, lon: 113.2644))
        for event in genuine.events + fake.events {
            #expect(Self.catalogue.validate(topic: "hub.authenticity", value: event.value) == .valid, "\(String(decoding: event.value, as: UTF8.self))")
        }
    }

    @Test("a bad code or result is refused naming the field")
    func rejections() {
        let bad = map(Array(#"{"scanId":"S1","code":"lowercase!","result":"GENUINE","province":"上海","scanTime":"2026-11-29 10:15:00"}"#.utf8))
        #expect(bad.rejections.first?.reason.contains("code") == true)
        let unknown = map(Array(#"{"scanId":"S1","code":"ABCDEFGH12","result":"MAYBE","province":"上海","scanTime":"2026-11-29 10:15:00"}"#.utf8))
        #expect(unknown.rejections.first?.reason.contains("result") == true)
    }
}
