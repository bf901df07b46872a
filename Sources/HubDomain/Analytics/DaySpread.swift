public import HubContracts

/// Amounts for a period spread over its months by days — a year's contract of 36,500 L counts
/// 3,100 L in January — each month's share rounded so the shares add up to the amount exactly (the
/// rounding of the running total, not of each month). Contracts and fund budgets are spread so.
public enum DaySpread {
    /// Each month of `from`…`to` with its share of each of `amounts`; empty when the period ends
    /// before it starts or a date is not a real day.
    public static func byMonth(_ amounts: [Int64], from: CalendarDate, to: CalendarDate) -> [(month: FigureMonth, shares: [Int64])] {
        guard let first = from.dayNumber, let last = to.dayNumber, last >= first,
              let firstMonth = FigureMonth(from), let lastMonth = FigureMonth(to) else { return [] }
        let totalDays = Int64(last - first + 1)
        var daysSoFar: Int64 = 0
        var spent = [Int64](repeating: 0, count: amounts.count)
        return FigureMonth.range(firstMonth, lastMonth).map { month in
            daysSoFar += Int64(min(last, month.firstDay + month.length - 1) - max(first, month.firstDay) + 1)
            let shares = amounts.indices.map { index in share(amounts[index], daysSoFar, totalDays) - spent[index] }
            for index in amounts.indices { spent[index] += shares[index] }
            return (month, shares)
        }
    }

    /// `total` × `part` / `whole`, rounded half up (no overflow: volumes are far below 2^63 / 10^5).
    public static func share(_ total: Int64, _ part: Int64, _ whole: Int64) -> Int64 {
        let (quotient, remainder) = (total * part).quotientAndRemainder(dividingBy: whole)
        return remainder * 2 >= whole ? quotient + 1 : quotient
    }
}
