import Foundation
import HubContracts
@testable import HubCore
import KafkaTestSupport
import Testing

@Suite("the hot-path position reader")
struct VehicleFixReaderTests {
    static let typical = """
    {"id":"carrier.in.jt808:5:90211:0","type":"vehicle.position","source":"adapter-carrier","occurredAt":"2026-11-29T02:15:00Z","subject":"V-CAR07-0042","schemaVersion":1,"data":{"vehicleId":"V-CAR07-0042","fixAt":"2026-12-03T07:59:41Z","lat":31.501215,"lon":120.312144,"speedKmh":82.5,"heading":135,"altitudeM":12,"alarmFlags":0,"statusFlags":3,"source":"jt808"}}
    """

    @Test("reads the same fix as the general decoder, for the catalogue's examples and layouts it did not see")
    func agreesWithGeneralDecoder() throws {
        let reordered = """
          { "data" : { "source":"api", "heading": 359, "speedKmh":0, "lon":-70.6693, "lat":-33.8688, "fixAt":"2026-12-03T00:00:00Z",
            "vehicleId":"V-\\u0054EST", "extra": [1, {"nested": [true, null, "x\\"y"]}], "altitudeM": -12 },
            "schemaVersion":1, "subject":"V-TEST", "occurredAt":"2026-11-29T02:15:00Z", "source":"api", "type":"vehicle.position", "id":"e-1" }
        """
        for text in [Self.typical, reordered] {
            let read = try VehicleFixReader.read(Array(text.utf8))
            let general = try CanonicalEvent.decode(Array(text.utf8))
            let fix = try #require(general.data.payload(as: VehicleFix.self))
            #expect(read.eventId == general.id)
            #expect(read.fix == fix)
        }
        #expect(try VehicleFixReader.read(Array(reordered.utf8)).fix.vehicleId == "V-TEST")
    }

    @Test("wrong position messages are rejected with the field and the reason", arguments: [
        ("\"type\":\"vehicle.position\"", "\"type\":\"order.view\"", "type", "expected vehicle.position"),
        ("\"lat\":31.501215", "\"lat\":91", "data.lat", "outside"),
        ("\"lat\":31.501215", "\"lat\":\"31.5\"", "", "a number is required"),
        ("\"heading\":135", "\"heading\":13.5", "data.heading", "an integer is required"),
        ("\"fixAt\":\"2026-12-03T07:59:41Z\"", "\"fixAt\":\"2026-12-03 15:59:41\"", "data.fixAt", "not an RFC 3339 UTC timestamp"),
        ("\"vehicleId\":\"V-CAR07-0042\",", "", "data.vehicleId", "non-empty string"),
        ("\"speedKmh\":82.5", "\"speedKmh\":-1", "data.speedKmh", "outside"),
        ("\"source\":\"jt808\"}", "\"source\":\"jt808\",\"lat\":1}", "", "duplicate member \"lat\""),
        ("}}", "}", "", "unexpected end of input"),
    ])
    func rejections(find: String, replace: String, field: String, reason: String) {
        let text = Self.typical.replacingOccurrences(of: find, with: replace)
        #expect(text != Self.typical)
        #expect {
            _ = try VehicleFixReader.read(Array(text.utf8))
        } throws: { error in
            guard let rejection = error as? VehicleFixReader.Rejection else { return false }
            return rejection.field == field && rejection.description.contains(reason)
        }
    }

    @Test("thousands of mutated messages never crash it, and it accepts only what is valid JSON")
    func mutationsAreSafe() {
        var random = FixedSeedRandom(seed: 808)
        let original = Array(Self.typical.utf8)
        var accepted = 0
        for _ in 0..<5000 {
            var bytes = original
            for _ in 0..<random.next(4) + 1 {
                switch random.next(4) {
                case 0 where !bytes.isEmpty: bytes[random.next(bytes.count)] = UInt8(truncatingIfNeeded: random.next(256))
                case 1 where !bytes.isEmpty: bytes.remove(at: random.next(bytes.count))
                case 2: bytes.insert(Array("{}[]\",:\\0-e.".utf8)[random.next(12)], at: random.next(bytes.count + 1))
                default: bytes = Array(bytes.prefix(random.next(bytes.count + 1)))
                }
            }
            let read = try? VehicleFixReader.read(bytes)
            let general = try? CanonicalEvent.decode(bytes)
            let generalFix = general?.type == "vehicle.position" ? general?.data.payload(as: VehicleFix.self) : nil
            if let read {
                accepted += 1
                // Whatever it accepts is valid JSON carrying the same fix.
                #expect(generalFix == read.fix, "accepted bytes the general decoder reads differently: \(String(decoding: bytes, as: UTF8.self))")
            } else if let fix = generalFix, (-90...90).contains(fix.lat), (-180...180).contains(fix.lon), (0...400).contains(fix.speedKmh),
                      (0...359).contains(fix.heading), !fix.vehicleId.isEmpty, !fix.source.rawValue.isEmpty, general?.id.isEmpty == false {
                Issue.record("rejected what the general decoder reads as a valid fix: \(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(accepted > 0, "some mutations (e.g. of digits) stay valid")
    }
}
