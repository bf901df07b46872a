public import WireFormats
import Foundation
public import HubContracts

/// Writes a `vehicle.position` envelope straight into bytes: on the carrier adapter's hot path a
/// general JSON encoder would cost more than decoding the frame. The output is the catalogue's
/// envelope exactly (`lubehub validate hub.vehicles.positions` accepts it; a test checks it against
/// the general decoder); `occurredAt` is the fix time, so the same input always gives the same bytes.
public struct PositionEventWriter: Sendable {
    public var source: String

    public init(source: String = EventProducer.carrierAdapter) {
        self.source = source
    }

    public func write(id: String, vehicleId: String, fix: JT808Location, positionSource: String = "jt808", carrierId: String? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(320)
        let seconds = Int64(fix.time.timeIntervalSince1970.rounded(.down))
        out += Self.idOpen
        JSONValue.writeString(id, to: &out)
        out += Self.typeAndSource
        JSONValue.writeString(source, to: &out)
        out += Self.occurredAt
        Self.appendTimestamp(seconds, to: &out)
        out += Self.subject
        JSONValue.writeString(vehicleId, to: &out)
        out += Self.dataVehicle
        JSONValue.writeString(vehicleId, to: &out)
        out += Self.fixAt
        Self.appendTimestamp(seconds, to: &out)
        out += Self.lat
        Self.appendDecimal(fix.latitudeMillionths, scale: 6, to: &out)
        out += Self.lon
        Self.appendDecimal(fix.longitudeMillionths, scale: 6, to: &out)
        out += Self.speed
        Self.appendDecimal(Int64(fix.speedTenths), scale: 1, to: &out)
        out += Self.heading
        Self.appendInteger(Int64(fix.direction), to: &out)
        out += Self.altitude
        Self.appendInteger(Int64(fix.altitudeMetres), to: &out)
        out += Self.alarm
        Self.appendInteger(Int64(fix.alarmFlags), to: &out)
        out += Self.status
        Self.appendInteger(Int64(fix.statusFlags), to: &out)
        out += Self.positionSource
        JSONValue.writeString(positionSource, to: &out)
        if let carrierId {
            out += Self.carrier
            JSONValue.writeString(carrierId, to: &out)
        }
        out += Self.close
        return out
    }

    private static let idOpen = Array(#"{"id":"#.utf8)
    private static let typeAndSource = Array(#","type":"\#(EventKind.vehiclePosition.type)","source":"#.utf8)
    private static let occurredAt = Array(#","occurredAt":""#.utf8)
    private static let subject = Array(#"","subject":"#.utf8)
    private static let dataVehicle = Array(#","schemaVersion":1,"data":{"vehicleId":"#.utf8)
    private static let fixAt = Array(#","fixAt":""#.utf8)
    private static let lat = Array(#"","lat":"#.utf8)
    private static let lon = Array(#","lon":"#.utf8)
    private static let speed = Array(#","speedKmh":"#.utf8)
    private static let heading = Array(#","heading":"#.utf8)
    private static let altitude = Array(#","altitudeM":"#.utf8)
    private static let alarm = Array(#","alarmFlags":"#.utf8)
    private static let status = Array(#","statusFlags":"#.utf8)
    private static let positionSource = Array(#","source":"#.utf8)
    private static let carrier = Array(#","carrierId":"#.utf8)
    private static let close = Array(#"}}"#.utf8)

    static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(48 + magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
        }
    }

    /// `value / 10^scale` in its shortest exact decimal form (`31.501215`, `82.5`, `0`).
    static func appendDecimal(_ value: Int64, scale: Int, to out: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 0..<scale { divisor *= 10 }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = Int64(value.magnitude)
        appendInteger(magnitude / divisor, to: &out)
        var fraction = magnitude % divisor
        guard fraction != 0 else { return }
        out.append(UInt8(ascii: "."))
        var width = scale
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        var digits = [UInt8](repeating: 48, count: width)
        var index = width - 1
        while fraction > 0 {
            digits[index] = UInt8(48 + fraction % 10)
            fraction /= 10
            index -= 1
        }
        out += digits
    }

    /// `YYYY-MM-DDThh:mm:ssZ` for seconds since 1970.
    static func appendTimestamp(_ seconds: Int64, to out: inout [UInt8]) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.date(days: days)
        func two(_ value: Int64) { out.append(UInt8(48 + value / 10)); out.append(UInt8(48 + value % 10)) }
        two(year / 100)
        two(year % 100)
        out.append(UInt8(ascii: "-"))
        two(month)
        out.append(UInt8(ascii: "-"))
        two(day)
        out.append(UInt8(ascii: "T"))
        two(secondOfDay / 3600)
        out.append(UInt8(ascii: ":"))
        two(secondOfDay % 3600 / 60)
        out.append(UInt8(ascii: ":"))
        two(secondOfDay % 60)
        out.append(UInt8(ascii: "Z"))
    }
}
