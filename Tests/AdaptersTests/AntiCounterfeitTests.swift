import Adapters
import WireFormats
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
        let scan = try #require(try CanonicalEvent.decode(genuine.events[0].value).data.payload(as: AuthenticityScanned.self))
        #expect(scan.result == .genuine && scan.place.city == "上海" && scan.scannedAt.text == "2026-11-29T02:15:00Z" && scan.batch == "B20261101")
        let fake = map(examples[1].bytes)
        #expect(fake.events.map(\.id) == ["anticounterfeit.in.scans:2:55:0", "anticounterfeit.in.scans:2:55:1"])
        let flag = try #require(try CanonicalEvent.decode(fake.events[1].value).data.payload(as: AuthenticityFlagged.self))
        #expect(flag.reason == .counterfeit && flag.scanRegion.province == "广东")
        #expect((try CanonicalEvent.decode(fake.events[0].value).data.payload(as: AuthenticityScanned.self))?.position == GeoPosition(lat: 23.1291, lon: 113.2644))
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

    @Test("cross-region: a genuine code flagged outside its dealer's branch territory, not inside it, not for a dealer nobody knows")
    func crossRegion() throws {
        func dealer(_ id: String, _ province: String, branch: String) -> DealerUpserted {
            DealerUpserted(dealerId: id, name: id, tier: .tier1, branchId: branch, region: Region(province: province), productLines: [],
                           permissionGroupIds: [], status: .active)
        }
        let directory = DealerDirectory([dealer("D1", "上海", branch: "BR-EAST"), dealer("D2", "江苏", branch: "BR-EAST"), dealer("D3", "广东", branch: "BR-SOUTH")])
        let mapping = AntiCounterfeitMapping(catalogue: Self.catalogue, dealers: directory)
        func scan(_ province: String, dealer: String?, result: String = "GENUINE") -> [String] {
            let sold = dealer.map { #","dealerCode":"\#($0)""# } ?? ""
            let json = #"{"scanId":"S1","code":"8A3F00912C77B1E9","result":"\#(result)","province":"\#(province)","scanTime":"2026-11-29 10:20:00"\#(sold)}"#
            let result = mapping.map(RawRecord(topic: "anticounterfeit.in.scans", partition: 0, offset: 1, value: Array(json.utf8)))
            return result.events.compactMap { try? CanonicalEvent.decode($0.value) }.compactMap { ($0.data.payload(as: AuthenticityFlagged.self))?.reason.rawValue }
        }
        #expect(scan("广东", dealer: "D1") == ["cross-region"])
        #expect(scan("江苏", dealer: "D1").isEmpty, "江苏 is the east branch's too (D2 sells there)")
        #expect(scan("上海", dealer: "0000000001").isEmpty, "an SAP customer number names D1")
        #expect(scan("广东", dealer: "D404").isEmpty, "a dealer the directory does not know: nothing to judge by")
        #expect(scan("广东", dealer: nil).isEmpty)
        #expect(scan("广东", dealer: "D1", result: "REPEATED").isEmpty, "only genuine codes are judged for region")
        directory.record(dealer("D2", "浙江", branch: "BR-EAST"))
        #expect(scan("江苏", dealer: "D1") == ["cross-region"], "D2 moved: 江苏 left the east branch's territory")
        #expect(directory.territory(of: "D1")?.provinces == ["上海", "浙江"])
    }
}
