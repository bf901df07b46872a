public import Foundation
public import HubContracts

/// The month a figure is counted in: a calendar month in China Standard Time (UTC+8), where the
/// company's months begin and end — an order dispatched at 20:00 UTC on 31 January counts in February.
public struct FigureMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    /// 1 to 12.
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...12).contains(month), (1...9999).contains(year) else { return nil }
        (self.year, self.month) = (year, month)
    }

    /// The month `date` falls in, in China Standard Time.
    public init(_ date: Date) {
        let civil = CivilCalendar.date(days: Int64(Self.localDay(date)))
        (year, month) = (Int(civil.year), Int(civil.month))
    }

    /// The day (since 1970-01-01) `date` falls on in China Standard Time.
    public static func localDay(_ date: Date) -> Int {
        let seconds = Int((date.timeIntervalSince1970).rounded(.down)) + CivilCalendar.chinaStandardTimeOffset
        return seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }

    /// The month of a calendar date (already a local date).
    public init?(_ date: CalendarDate) {
        let parts = date.text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        self.init(year: parts[0], month: parts[1])
    }

    /// `YYYY-MM`.
    public init?(text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]) else { return nil }
        self.init(year: year, month: month)
    }

    /// `YYYY-MM`: sorts as the months do, so the store compares months as text. Written digit by
    /// digit into a string short enough to need no allocation: every row the store writes or folds
    /// binds its month as text.
    public var text: String {
        guard (0...9999).contains(year) else {
            let y = String(year)
            return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + (month < 10 ? "0" : "") + String(month)
        }
        let (year, month) = (self.year, self.month)
        return String(unsafeUninitializedCapacity: 7) { buffer in
            let zero = UInt8(ascii: "0")
            buffer[0] = zero + UInt8(year / 1000)
            buffer[1] = zero + UInt8(year / 100 % 10)
            buffer[2] = zero + UInt8(year / 10 % 10)
            buffer[3] = zero + UInt8(year % 10)
            buffer[4] = UInt8(ascii: "-")
            buffer[5] = zero + UInt8(month / 10)
            buffer[6] = zero + UInt8(month % 10)
            return 7
        }
    }

    public var description: String { text }

    /// The month `count` months later (earlier when negative).
    public func adding(months count: Int) -> FigureMonth {
        let index = year * 12 + (month - 1) + count
        return FigureMonth(uncheckedYear: index / 12, month: index % 12 + 1)
    }

    private init(uncheckedYear year: Int, month: Int) {
        (self.year, self.month) = (year, month)
    }

    /// Days since 1970-01-01 of the month's first day.
    public var firstDay: Int { CivilCalendar.days(year: year, month: month, day: 1) }
    /// How many days the month has.
    public var length: Int { adding(months: 1).firstDay - firstDay }

    public var firstDate: CalendarDate? { CalendarDate(text + "-01") }
    public var lastDate: CalendarDate? { CalendarDate(text + "-" + String(length)) }

    /// The months from `first` to `last`, both included (empty when `last` is before `first`).
    public static func range(_ first: FigureMonth, _ last: FigureMonth) -> [FigureMonth] {
        guard first <= last else { return [] }
        var months: [FigureMonth] = []
        var month = first
        while month <= last {
            months.append(month)
            month = month.adding(months: 1)
        }
        return months
    }

    public static func < (lhs: FigureMonth, rhs: FigureMonth) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
}

extension CalendarDate {
    /// Days since 1970-01-01; `nil` for a date this calendar cannot read.
    public var dayNumber: Int? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return CivilCalendar.days(year: parts[0], month: parts[1], day: parts[2])
    }
}
