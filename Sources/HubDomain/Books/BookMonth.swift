public import HubContracts
import Foundation

/// A calendar month of the books in China time (UTC+8): `2026-11` is from 2026-10-31T16:00:00Z to
/// 2026-11-30T16:00:00Z, the instants a dealer in China sees as the month's first and next month's first midnight.
public struct BookMonth: Sendable, Equatable {
    public let year: Int
    public let month: Int
    public let from: Timestamp
    public let to: Timestamp

    /// `nil` unless `text` is `YYYY-MM` with a month 01–12 and a year 2000–2999.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
              (2000...2999).contains(year), (1...12).contains(month) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt
        guard let start = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
              let end = calendar.date(byAdding: .month, value: 1, to: start) else { return nil }
        (self.year, self.month, self.from, self.to) = (year, month, Timestamp(start), Timestamp(end))
    }

    /// `2026-11`.
    public var text: String { String(format: "%04d-%02d", year, month) }
}
