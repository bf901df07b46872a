import Foundation
public import HubContracts
import HubDomain
import Hummingbird

/// A period of whole China days (UTC+8) named by `from` and `to` query dates (`yyyy-MM-dd`, both
/// included): what the ticket figures and the sales force's workload are asked for.
public struct DayPeriod: Sendable {
    /// Days since 1970-01-01 in China Standard Time.
    var from: Int
    var to: Int

    /// Today in China.
    static func today(_ now: Timestamp) -> Int { FigureMonth.localDay(now.date) }

    /// `from`/`to` from the query, else the defaults; each problem named in `issues`.
    static func parse(_ query: [String: String], defaultFrom: Int, defaultTo: Int, issues: inout [String]) -> DayPeriod {
        func day(_ name: String, _ fallback: Int) -> Int {
            guard let text = query[name] else { return fallback }
            let parts = text.split(separator: "-").compactMap { Int($0) }
            guard CalendarDate(text) != nil, parts.count == 3 else { issues.append("\(name): a date, yyyy-MM-dd"); return fallback }
            return CivilCalendar.days(year: parts[0], month: parts[1], day: parts[2])
        }
        let period = DayPeriod(from: day("from", defaultFrom), to: day("to", defaultTo))
        if period.to < period.from { issues.append("to: on or after from") }
        if period.to - period.from > 3_660 { issues.append("to: at most ten years after from") }
        return period
    }

    /// The instant a day begins (midnight in China).
    public static func midnight(_ day: Int) -> Timestamp {
        Timestamp(Date(timeIntervalSince1970: TimeInterval(BookDay.start(of: Int64(day))) / 1_000))
    }

    static func text(_ day: Int) -> String {
        let date = CivilCalendar.date(days: Int64(day))
        return String(format: "%04d-%02d-%02d", Int(date.year), Int(date.month), Int(date.day))
    }

    var start: Timestamp { Self.midnight(from) }
    var end: Timestamp { Self.midnight(to + 1) }
    var fromText: String { Self.text(from) }
    var toText: String { Self.text(to) }
}

/// A request's query as plain strings (the last of a name given twice).
func query(_ request: Request) -> [String: String] {
    var values: [String: String] = [:]
    for (name, value) in request.uri.queryParameters { values[String(name)] = String(value) }
    return values
}
