public import HubContracts

/// What the figures need to know of a fund entry.
public struct FundFacts: Sendable, Equatable {
    public var entryId: String
    public var attribution: DealerAttribution
    public var entry: FundPosted.Entry
    /// The product line it is for; nil for the dealer as a whole.
    public var productLine: String?
    public var periodFrom: CalendarDate
    public var periodTo: CalendarDate
    public var amountFen: Int64
    public var reversed: Bool

    public init(entryId: String, attribution: DealerAttribution, entry: FundPosted.Entry, productLine: String?, periodFrom: CalendarDate,
                periodTo: CalendarDate, amountFen: Int64, reversed: Bool) {
        (self.entryId, self.attribution, self.entry, self.productLine) = (entryId, attribution, entry, productLine)
        (self.periodFrom, self.periodTo, self.amountFen, self.reversed) = (periodFrom, periodTo, amountFen, reversed)
    }
}

/// A fund entry's share of the months: a budget spread over its period by days like a contract
/// (``DaySpread``: the months add up to the budget to the fen), a use in the month of its day. An entry
/// for a product line counts in that line and in all lines; one for the dealer as a whole only in
/// all lines (so the lines of a dealer's funds may add up to less than its total). A reversed entry
/// counts nothing.
public enum FundFigures {
    public static func entries(of fund: FundFacts) -> FigureEntries {
        var figures = FigureEntries()
        guard !fund.reversed else { return figures }
        let lines: Set<String> = fund.productLine.map { [$0, FigureKey.allLines] } ?? [FigureKey.allLines]
        for (month, shares) in DaySpread.byMonth([fund.amountFen], from: fund.periodFrom, to: fund.periodTo) {
            var measures = AnalyticsMeasures()
            switch fund.entry {
            case .budget: measures.fundBudgetFen = shares[0]
            case .use: measures.fundUsedFen = shares[0]
            }
            figures.add(measures, scopes: fund.attribution.scopes, lines: lines, month: month)
        }
        return figures
    }
}
