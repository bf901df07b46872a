public import HubContracts

/// What the figures need to know of a dealer's sign-ins on one day (China Standard Time): how many
/// sessions its people started, and whom the dealer belonged to at the first of them that day.
public struct SignInFacts: Sendable, Equatable {
    public var day: CalendarDate
    public var attribution: DealerAttribution
    public var signIns: Int64

    public init(day: CalendarDate, attribution: DealerAttribution, signIns: Int64) {
        (self.day, self.attribution, self.signIns) = (day, attribution, signIns)
    }
}

/// A day's sign-ins count in its month, in all product lines (a sign-in is not for a line), for the
/// dealer and its branch, sales rep, province and the company — customer activity rolled up like
/// every other figure.
public enum SignInFigures {
    public static func entries(of facts: SignInFacts) -> FigureEntries {
        var figures = FigureEntries()
        guard let month = FigureMonth(facts.day) else { return figures }
        var measures = AnalyticsMeasures()
        measures.signIns = facts.signIns
        figures.add(measures, scopes: facts.attribution.scopes, lines: [FigureKey.allLines], month: month)
        return figures
    }
}
