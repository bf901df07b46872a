import Foundation
import HubContracts

/// Times as carriers write them: RFC 3339 with an offset (`2026-12-03T16:10:00+08:00`, `…Z`), or
/// `yyyy-MM-dd HH:mm:ss` meaning China Standard Time (UTC+8). Always returned as a UTC instant.
enum CarrierTime {
    static func parse(_ text: String) -> Timestamp? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19) else { return nil }
        var offsetSeconds: Int
        var index = 19
        var fraction = 0.0
        if bytes[10] == UInt8(ascii: " ") {
            guard bytes.count == 19 else { return nil }
            offsetSeconds = CivilCalendar.chinaStandardTimeOffset
        } else {
            guard bytes[10] == UInt8(ascii: "T") else { return nil }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                var scale = 0.1
                index += 1
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    fraction += Double(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                }
            }
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                guard index + 1 == bytes.count else { return nil }
                offsetSeconds = 0
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                      let hours = number((index + 1)..<(index + 3)), let minutes = number((index + 4)..<(index + 6)) else { return nil }
                offsetSeconds = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            default:
                return nil
            }
        }
        guard let seconds = CivilCalendar.seconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                                                  offset: offsetSeconds, latestSecond: 60) else { return nil }
        return Timestamp(Date(timeIntervalSince1970: Double(seconds) + fraction))
    }
}
