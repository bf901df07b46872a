import Adapters
import WireFormats
import Foundation
import HubContracts
import KafkaTestSupport
import Testing

@Suite("JT/T 808")
struct JT808Tests {
    static let catalogue = try! TopicCatalogue.load(directory: repositoryRoot.appendingPathComponent("topics"))

    static func example(_ index: Int) -> [UInt8] { catalogue["carrier.in.jt808"]!.examples[index].bytes }

    static func location(alarm: UInt32 = 0, status: UInt32, lat: UInt32, lon: UInt32, altitude: Int16 = 12, speed: UInt16, direction: UInt16, time: String) -> [UInt8] {
        func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
        let digits = time.compactMap(\.wholeNumberValue).map(UInt8.init)
        let bcd = stride(from: 0, to: 12, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
        return be32(alarm) + be32(status) + be32(lat) + be32(lon) + be16(UInt16(bitPattern: altitude)) + be16(speed) + be16(direction) + bcd
    }

    @Test("the catalogue's 2013 example: Wuxi at 82.5 km/h, time converted from UTC+8")
    func example2013() throws {
        let frame = try JT808Frame.decode(Self.example(0))
        #expect(frame.messageId == 0x0200 && frame.protocolVersion == nil && frame.terminal == "013912345678" && frame.serial == 1)
        let fix = try JT808Location.decode(frame.body)
        #expect(fix.latitude == 31.501215 && fix.longitude == 120.312144)
        #expect(fix.speedKmh == 82.5 && fix.direction == 135 && fix.altitudeMetres == 12 && fix.statusFlags == 3 && fix.alarmFlags == 0)
        #expect(fix.time == Timestamp(parsing: "2026-12-03T07:59:41Z")?.date, "15:59:41 in UTC+8")
    }

    @Test("the catalogue's 2019 example: escaped serial 0x7E7D, the longer terminal number, a south-west fix")
    func example2019() throws {
        let frame = try JT808Frame.decode(Self.example(1))
        #expect(frame.protocolVersion == 1 && frame.terminal == "00000000013912345678" && frame.serial == 0x7E7D)
        let fix = try JT808Location.decode(frame.body)
        #expect(fix.latitude < 0 && fix.longitude < 0, "status bits 2 and 3")
        #expect(frame.encoded() == Self.example(1), "re-encoding gives the same bytes, escapes and all")
    }

    @Test("the catalogue's batch upload: two fixes")
    func batch() throws {
        let frame = try JT808Frame.decode(Self.example(2))
        #expect(frame.messageId == 0x0704)
        let fixes = try JT808Location.decodeBatch(frame.body)
        #expect(fixes.count == 2)
        #expect(fixes[1].time.timeIntervalSince(fixes[0].time) == 30)
    }

    @Test("every field combination: both headers, escapes in the body, north-east and south-west, sub-package fields, a batch; each value checked",
          arguments: [false, true])
    func constructed(version2019: Bool) throws {
        for (status, latSign, lonSign) in [(UInt32(0x02), 1.0, 1.0), (0x06, -1.0, 1.0), (0x0A, 1.0, -1.0), (0x0E, -1.0, -1.0)] {
            // 0x7E and 0x7D bytes inside the body: latitude 0x017E7D7E millionths, alarm 0x7D7D7E7E.
            let body = Self.location(alarm: 0x7D7D_7E7E, status: status, lat: 0x017E_7D7E, lon: 121_473_701, altitude: -5, speed: 1234, direction: 359, time: "261231235959")
            let frame = JT808Frame(messageId: 0x0200, protocolVersion: version2019 ? 1 : nil, terminal: version2019 ? "00000000013800138000" : "013800138000",
                                   serial: 0x7D7E, encryption: 0, subPackage: nil, body: body)
            let bytes = frame.encoded()
            #expect(bytes.dropFirst().dropLast().allSatisfy { $0 != 0x7E }, "escaped")
            let decoded = try JT808Frame.decode(bytes)
            #expect(decoded == frame)
            let fix = try JT808Location.decode(decoded.body)
            #expect(fix.alarmFlags == 0x7D7D_7E7E && fix.statusFlags == status)
            #expect(fix.latitude == latSign * Double(0x017E_7D7E) / 1_000_000 && fix.longitude == lonSign * 121.473701)
            #expect(fix.altitudeMetres == -5 && fix.speedKmh == 123.4 && fix.direction == 359)
            #expect(fix.time == Timestamp(parsing: "2026-12-31T15:59:59Z")?.date)
        }
        let parts = JT808Frame(messageId: 0x0704, protocolVersion: version2019 ? 1 : nil, terminal: "13800138000", serial: 7, encryption: 0,
                               subPackage: .init(total: 1, index: 1), body: [0, 1, 0, 0, 28] + Self.location(status: 0, lat: 1, lon: 2, speed: 0, direction: 0, time: "260101000000"))
        let decoded = try JT808Frame.decode(parts.encoded())
        #expect(decoded.subPackage == .init(total: 1, index: 1))
        #expect(try JT808Location.decodeBatch(decoded.body).map(\.latitude) == [0.000001])
    }

    @Test("bad frames say what is wrong")
    func rejections() throws {
        var badCheck = Self.example(0)
        badCheck[badCheck.count - 2] ^= 0xFF
        let reasons: [([UInt8], String)] = [
            (badCheck, "check code"),
            (Array(Self.example(0).prefix(20)), "0x7E"),
            (Array(Self.example(0).prefix(20)) + [0x7E], "truncated"),
            ([0x7E, 0x7D, 0x05, 0x7E], "escape"),
            ([0x7E, 0x7E], "shorter than a header"),
        ]
        for (bytes, expected) in reasons {
            #expect {
                _ = try JT808Frame.decode(bytes)
            } throws: { error in
                (error as? JT808Error)?.description.contains(expected) == true
            }
        }
        let badTime = Self.location(status: 0, lat: 1, lon: 1, speed: 0, direction: 0, time: "261332000000")
        #expect(throws: JT808Error.self) { try JT808Location.decode(badTime) }
        #expect(throws: JT808Error.self) { try JT808Location.decode(badTime.prefix(20)) }
    }

    @Test("random and mutated frames never crash or hang the decoder (fixed seed)")
    func fuzz() {
        var state: UInt64 = 0x5EED_808
        func next() -> UInt64 {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return state
        }
        let seeds = (0..<3).map(Self.example)
        var decoded = 0
        for round in 0..<20_000 {
            var bytes = seeds[round % 3]
            switch next() % 4 {
            case 0: bytes[Int(next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: next())
            case 1: bytes.removeSubrange(Int(next() % UInt64(bytes.count))..<bytes.count)
            case 2: bytes.insert(UInt8(truncatingIfNeeded: next()), at: Int(next() % UInt64(bytes.count)))
            default: bytes = (0..<Int(next() % 64)).map { _ in UInt8(truncatingIfNeeded: next()) }
            }
            if let frame = try? JT808Frame.decode(bytes) {
                decoded += 1
                _ = try? JT808Location.decode(frame.body)
                _ = try? JT808Location.decodeBatch(frame.body)
            }
        }
        #expect(decoded < 20_000, "most mutations are caught by the check code")
    }
}

@Suite("carrier adapter: JT/T 808 mapping")
struct JT808MappingTests {
    @Test("a registered terminal's report becomes a canonical position the catalogue accepts; ids follow the input")
    func mapsToCanonical() throws {
        let registry = TerminalRegistry(["13912345678": "V-CAR07-0042"])
        let mapping = JT808Mapping(registry: registry)
        let record = RawRecord(topic: "carrier.in.jt808", partition: 5, offset: 90211, key: Array("013912345678".utf8), value: JT808Tests.example(0))
        let result = mapping.map(record)
        #expect(result.rejections.isEmpty && result.skipped == nil)
        let event = try #require(result.events.first)
        #expect(event.id == "carrier.in.jt808:5:90211:0" && event.key == "V-CAR07-0042" && event.topic == "hub.vehicles.positions")
        #expect(JT808Tests.catalogue.validate(topic: "hub.vehicles.positions", value: event.value) == .valid)
        let canonical = try CanonicalEvent.decode(event.value)
        let fix = try #require(canonical.data.payload(as: VehicleFix.self))
        #expect(fix.vehicleId == "V-CAR07-0042" && fix.fixAt.text == "2026-12-03T07:59:41Z" && fix.lat == 31.501215 && fix.speedKmh == 82.5)
        #expect(mapping.map(record) == result, "the same input, the same output, byte for byte")

        let batch = mapping.map(RawRecord(topic: "carrier.in.jt808", partition: 0, offset: 7, value: JT808Tests.example(2)))
        #expect(batch.events.map(\.id) == ["carrier.in.jt808:0:7:0", "carrier.in.jt808:0:7:1"])
        #expect(mapping.map(RawRecord(topic: "carrier.in.jt808", partition: 0, offset: 8, value: JT808Tests.example(1))).events.count == 1,
                "the 2019 terminal number (20 digits) finds the same registration")
    }

    @Test("other messages are skipped; unregistered terminals and broken frames are rejected with the reason")
    func skipsAndRejects() {
        let mapping = JT808Mapping(registry: TerminalRegistry())
        let heartbeat = JT808Frame(messageId: 0x0002, protocolVersion: nil, terminal: "013912345678", serial: 1, encryption: 0, subPackage: nil, body: []).encoded()
        #expect(mapping.map(RawRecord(topic: "t", partition: 0, offset: 0, value: heartbeat)).skipped?.contains("0x2") == true)
        #expect(mapping.map(RawRecord(topic: "t", partition: 0, offset: 1, value: JT808Tests.example(0))).rejections.first?.reason.contains("not registered") == true)
        #expect(mapping.map(RawRecord(topic: "t", partition: 0, offset: 2, value: [0x7E, 1, 2])).rejections.first?.reason.contains("JT/T 808 frame") == true)
        #expect(mapping.map(RawRecord(topic: "t", partition: 0, offset: 3, value: nil)).rejections.first?.reason.contains("empty") == true)
    }
}
