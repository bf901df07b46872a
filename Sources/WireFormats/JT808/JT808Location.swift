public import Foundation
import HubContracts

/// A location report body (0x0200), and the batch upload (0x0704) of several.
public struct JT808Location: Sendable, Equatable {
    public var alarmFlags: UInt32
    public var statusFlags: UInt32
    /// Degrees, negative in the south (status bit 2).
    public var latitude: Double
    /// Degrees, negative in the west (status bit 3).
    public var longitude: Double
    public var altitudeMetres: Int
    public var speedKmh: Double
    public var direction: Int
    /// The fix time, converted from the terminal's UTC+8 to an instant.
    public var time: Date
    /// As the terminal sent them: millionths of a degree (signed by the south/west bits) and 0.1 km/h.
    public var latitudeMillionths: Int64
    public var longitudeMillionths: Int64
    public var speedTenths: Int

    public static let locationReport: UInt16 = 0x0200
    public static let batchUpload: UInt16 = 0x0704

    public static func decode(_ body: [UInt8]) throws(JT808Error) -> JT808Location {
        var reader = ByteReader(body)
        return try decode(&reader)
    }

    public static func decode(_ body: ArraySlice<UInt8>) throws(JT808Error) -> JT808Location {
        var reader = ByteReader(Array(body))
        return try decode(&reader)
    }

    static func decode(_ reader: inout ByteReader) throws(JT808Error) -> JT808Location {
        let alarm = try reader.u32("alarm flags")
        let status = try reader.u32("status flags")
        let latitude = try reader.u32("latitude")
        let longitude = try reader.u32("longitude")
        let altitude = try reader.u16("altitude")
        let speed = try reader.u16("speed")
        let direction = try reader.u16("direction")
        let time = try reader.bcdDigits(6, "time")
        guard latitude <= 90_000_000 else { throw JT808Error("latitude \(latitude) millionths is beyond 90 degrees") }
        guard longitude <= 180_000_000 else { throw JT808Error("longitude \(longitude) millionths is beyond 180 degrees") }
        guard direction < 360 else { throw JT808Error("direction \(direction) is not 0-359") }
        guard let instant = Self.instant(digits: time) else { throw JT808Error("time \(time.map(String.init).joined()) is not a valid YYMMDDhhmmss") }
        // Additional items (id u8, length u8, value) may follow; none is needed for a position.
        let latitudeMillionths = Int64(latitude) * (status & 0x04 != 0 ? -1 : 1)
        let longitudeMillionths = Int64(longitude) * (status & 0x08 != 0 ? -1 : 1)
        return JT808Location(
            alarmFlags: alarm, statusFlags: status,
            latitude: Double(latitudeMillionths) / 1_000_000, longitude: Double(longitudeMillionths) / 1_000_000,
            altitudeMetres: Int(Int16(bitPattern: altitude)), speedKmh: Double(speed) / 10, direction: Int(direction), time: instant,
            latitudeMillionths: latitudeMillionths, longitudeMillionths: longitudeMillionths, speedTenths: Int(speed))
    }

    /// The fixes of a batch upload body: count (u16), type (u8), then length-prefixed location bodies.
    public static func decodeBatch(_ body: [UInt8]) throws(JT808Error) -> [JT808Location] {
        var reader = ByteReader(body)
        let count = try reader.u16("item count")
        _ = try reader.u8("upload type")
        var fixes: [JT808Location] = []
        for item in 0..<Int(count) {
            let length = try reader.u16("item \(item + 1) length")
            do {
                fixes.append(try decode(try reader.take(Int(length), "item \(item + 1)")))
            } catch {
                throw JT808Error("item \(item + 1) of \(count): \(error.description)")
            }
        }
        guard reader.remaining == 0 else { throw JT808Error("\(reader.remaining) bytes after the \(count) items") }
        return fixes
    }

    /// YYMMDDhhmmss in China Standard Time (UTC+8), years 2000-2099.
    static func instant(digits values: [Int]) -> Date? {
        guard values.count == 12 else { return nil }
        func pair(_ i: Int) -> Int { values[i] * 10 + values[i + 1] }
        guard let seconds = CivilCalendar.seconds(year: 2000 + pair(0), month: pair(2), day: pair(4), hour: pair(6), minute: pair(8), second: pair(10),
                                                  offset: CivilCalendar.chinaStandardTimeOffset) else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
