/// Proleptic Gregorian calendar arithmetic without Foundation's Calendar (which costs microseconds
/// a call, too much where a timestamp is read or written per message): days since 1970-01-01 and
/// back (Howard Hinnant's algorithms).
public enum CivilCalendar {
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month) else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let length = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...length).contains(day)
    }

    /// China Standard Time (UTC+8): the company's ERP, carriers and terminals write local times in it.
    public static let chinaStandardTimeOffset = 8 * 3600

    /// Seconds from 1970-01-01T00:00:00Z to a local date and time `offset` seconds east of UTC;
    /// `nil` when the date does not exist or the time is out of range (`latestSecond` 60 admits a
    /// leap second).
    public static func seconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offset: Int,
                               latestSecond: Int = 59) -> Int? {
        guard isValid(year: year, month: month, day: day), (0..<24).contains(hour), (0..<60).contains(minute), (0...latestSecond).contains(second) else {
            return nil
        }
        return days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
    }

    /// Days from 1970-01-01 to the date.
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    public static func date(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
