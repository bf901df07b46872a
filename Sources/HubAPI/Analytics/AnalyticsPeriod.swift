public import HubContracts
public import HubDomain
public import Foundation

/// The months a figure covers, from a request's `from` and `to` (YYYY-MM-DD). Figures are kept per
/// month (China Standard Time), so a period is widened to the whole months its dates fall in, and
/// the answer says which months those were. Default: this year to date.
public struct AnalyticsPeriod: Sendable, Equatable {
    public var months: ClosedRange<FigureMonth>

    public init(months: ClosedRange<FigureMonth>) {
        self.months = months
    }

    /// The longest period asked at once.
    public static let longestMonths = 120

    /// The period of `from` and `to`; the problems name the field.
    public static func parse(from: String?, to: String?, today: Date = Date()) -> Result<AnalyticsPeriod, APIProblem> {
        var issues: [String] = []
        func month(_ name: String, _ text: String?) -> FigureMonth? {
            guard let text else { return nil }
            guard let date = CalendarDate(text), let month = FigureMonth(date) else {
                issues.append("\(name): a date YYYY-MM-DD")
                return nil
            }
            return month
        }
        let now = FigureMonth(today)
        let first = month("from", from) ?? FigureMonth(year: now.year, month: 1) ?? now
        let last = month("to", to) ?? now
        if issues.isEmpty && last < first { issues.append("to: on or after from") }
        if issues.isEmpty && FigureMonth.range(first, last).count > longestMonths { issues.append("to: at most \(longestMonths) months after from") }
        guard issues.isEmpty else { return .failure(.unprocessable("the period is not valid", issues: issues)) }
        return .success(AnalyticsPeriod(months: first...last))
    }

    /// The same months a year before (for year-on-year).
    public var yearBefore: ClosedRange<FigureMonth> { months.lowerBound.adding(months: -12)...months.upperBound.adding(months: -12) }

    /// The dates the period covers, as the answer states them.
    public var stated: Stated {
        Stated(from: months.lowerBound.firstDate?.text ?? "", to: months.upperBound.lastDate?.text ?? "",
               months: FigureMonth.range(months.lowerBound, months.upperBound).map(\.text))
    }

    public struct Stated: Encodable, Sendable {
        public var from: String
        public var to: String
        public var months: [String]
    }
}
