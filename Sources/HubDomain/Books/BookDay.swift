import Foundation
import HubContracts

/// Days of the books: China calendar days (UTC+8), numbered from 1970-01-01. The books' daily sums
/// are kept per day, and a receivable's age is counted in these days.
public enum BookDay {
    static let dayMilliseconds: Int64 = 86_400_000
    static let offsetMilliseconds: Int64 = 8 * 3_600_000

    /// The day an instant falls on.
    public static func index(ofMilliseconds milliseconds: Int64) -> Int64 {
        let shifted = milliseconds + offsetMilliseconds
        return shifted >= 0 ? shifted / dayMilliseconds : (shifted - dayMilliseconds + 1) / dayMilliseconds
    }

    /// The instant a day begins (midnight in China).
    public static func start(of day: Int64) -> Int64 { day * dayMilliseconds - offsetMilliseconds }

    /// [from, to) cut into the whole days it holds and the parts of a day before and after them:
    /// `days` is empty (lower == upper) when the period holds no whole day, and then `before` is all of it.
    public static func split(fromMilliseconds from: Int64, toMilliseconds to: Int64)
        -> (before: Range<Int64>, days: Range<Int64>, after: Range<Int64>) {
        let firstWhole = index(ofMilliseconds: from - 1) + 1      // the first day starting at or after `from`
        let endWhole = index(ofMilliseconds: to)                 // the day `to` falls in: whole days end at its start
        guard firstWhole < endWhole else { return (from..<max(from, to), firstWhole..<firstWhole, to..<to) }
        return (from..<start(of: firstWhole), firstWhole..<endWhole, start(of: endWhole)..<to)
    }

    /// The calendar date of a day, `YYYY-MM-DD`.
    public static func date(of day: Int64) -> String {
        let civil = CivilCalendar.date(days: day)
        return String(format: "%04d-%02d-%02d", Int(civil.year), Int(civil.month), Int(civil.day))
    }
}
