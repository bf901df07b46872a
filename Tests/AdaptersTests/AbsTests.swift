import Adapters
import WireFormats
import Foundation
import HubContracts
import KafkaTestSupport
import Testing

@Suite("quick-lube ABS adapter")
struct AbsTests {
    static let catalogue = JT808Tests.catalogue
    let mapping = AbsMapping()

    func example(_ topic: String, _ index: Int) -> [UInt8] { Self.catalogue[topic]!.examples[index].bytes }

    func record(_ data: MappedEvent) throws -> ServiceRecordCreated {
        #expect(Self.catalogue.validate(topic: "hub.service-records", value: data.value) == .valid, "\(String(decoding: data.value, as: UTF8.self))")
        return try #require(try CanonicalEvent.decode(data.value).data.payload(as: ServiceRecordCreated.self))
    }

    @Test("JSON records: the catalogue's two examples, local time and offset time")
    func json() throws {
        let first = mapping.map(RawRecord(topic: "abs.in.service-records", partition: 0, offset: 7, value: example("abs.in.service-records", 0)))
        let event = try #require(first.events.first)
        #expect(event.id == "abs.in.service-records:0:7:0" && event.key == "QL-SH-0031" && event.topic == "hub.service-records")
        let data = try record(event)
        #expect(data.recordId == "ABS-20261129-0007" && data.vehicle.plate == "沪B·77Q12" && data.vehicle.vin == "LSVAU2180N2183456")
        #expect(data.quantity == DecimalNumber("4.2") && data.servicedAt.text == "2026-11-29T02:15:00Z" && data.mileageKm == 48210)
        let second = try record(try #require(mapping.map(RawRecord(topic: "abs.in.service-records", partition: 0, offset: 8,
                                                                   value: example("abs.in.service-records", 1))).events.first))
        #expect(second.vehicle.plate == nil && second.mileageKm == nil && second.servicedAt.text == "2026-11-29T02:20:00Z")
    }

    @Test("CSV files: good rows pass; the bad row is dead-lettered alone with its row number and its own bytes; quoted commas survive")
    func csv() throws {
        let typical = mapping.map(RawRecord(topic: "abs.in.service-batches", partition: 1, offset: 3, value: example("abs.in.service-batches", 0)))
        #expect(typical.rejections.isEmpty && typical.events.count == 2)
        #expect(typical.events.map(\.id) == ["abs.in.service-batches:1:3:0", "abs.in.service-batches:1:3:1"])
        #expect(try record(typical.events[1]).vehicle.vin == nil)

        let mixed = mapping.map(RawRecord(topic: "abs.in.service-batches", partition: 1, offset: 4, value: example("abs.in.service-batches", 1)))
        #expect(mixed.events.count == 1)
        #expect(try record(mixed.events[0]).vehicle.plate == "沪B,77Q12", "a quoted comma")
        let bad = try #require(mixed.rejections.first)
        #expect(mixed.rejections.count == 1 && bad.reason.hasPrefix("row 3:") && bad.reason.contains("litres -4"))
        #expect(bad.payload.map { String(decoding: $0, as: UTF8.self) } == "ABS-20261129-0104,QL-SH-0031,,,M-SN5W30-4L,-4,2026-11-29 10:05:00,")
    }

    @Test("whole-file problems: wrong header, unclosed quote, not UTF-8, empty")
    func fileRejections() {
        func reason(_ text: [UInt8]) -> String? {
            mapping.map(RawRecord(topic: "abs.in.service-batches", partition: 0, offset: 0, value: text)).rejections.first?.reason
        }
        #expect(reason(Array("a,b,c\n1,2,3\n".utf8))?.contains("header") == true)
        #expect(reason(Array((AbsMapping.csvHeader.joined(separator: ",") + "\nX,\"open,,,,,,\n").utf8))?.contains("not closed") == true)
        #expect(reason([0xC4, 0xE3, 0x0A])?.contains("not UTF-8") == true)
        #expect(reason([])?.contains("empty") == true)
    }

    @Test("random CSV and JSON never crash the mapping (fixed seed)")
    func fuzz() {
        var random = FixedSeedRandom(seed: 4_242)
        let seeds = [example("abs.in.service-batches", 1), example("abs.in.service-records", 0)]
        for round in 0..<3000 {
            var bytes = seeds[round % 2]
            for _ in 0..<(1 + random.next(3)) {
                let index = random.next(bytes.count)
                switch random.next(3) {
                case 0: bytes[index] = [UInt8(ascii: "\""), UInt8(ascii: ","), 0x0A, 0x0D, UInt8(random.next(256))][random.next(5)]
                case 1: bytes.remove(at: index)
                default: bytes.insert(UInt8(ascii: "\""), at: index)
                }
            }
            _ = mapping.map(RawRecord(topic: round % 2 == 0 ? "abs.in.service-batches" : "abs.in.service-records", partition: 0, offset: 0, value: bytes))
        }
    }
}
