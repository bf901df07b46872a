public import HubContracts

/// What the figures need to know of a contract.
public struct ContractFacts: Sendable, Equatable {
    public var contractId: String
    public var attribution: DealerAttribution
    public var productLine: String
    public var validFrom: CalendarDate
    public var validTo: CalendarDate
    public var millilitres: Int64
    public var grams: Int64
    public var cancelled: Bool

    public init(contractId: String, attribution: DealerAttribution, productLine: String, validFrom: CalendarDate, validTo: CalendarDate,
                millilitres: Int64, grams: Int64, cancelled: Bool) {
        (self.contractId, self.attribution, self.productLine) = (contractId, attribution, productLine)
        (self.validFrom, self.validTo, self.millilitres, self.grams, self.cancelled) = (validFrom, validTo, millilitres, grams, cancelled)
    }
}

/// A contract's volume spread over the months it is valid in, by days: a year's contract of
/// 36,500 L counts 3,100 L in January. Each month's share is rounded so the shares add up to the
/// contract exactly (the rounding of the running total, not of each month). A cancelled contract
/// counts nothing; so does one whose end is before its start.
public enum ContractFigures {
    public static func contributions(of contract: ContractFacts) -> FigureContributions {
        var figures = FigureContributions()
        guard !contract.cancelled, let first = contract.validFrom.dayNumber, let last = contract.validTo.dayNumber, last >= first,
              let firstMonth = FigureMonth(contract.validFrom), let lastMonth = FigureMonth(contract.validTo) else { return figures }
        let totalDays = Int64(last - first + 1)
        var daysSoFar: Int64 = 0
        var spent = (ml: Int64(0), g: Int64(0))
        for month in FigureMonth.range(firstMonth, lastMonth) {
            let start = max(first, month.firstDay)
            let end = min(last, month.firstDay + month.length - 1)
            daysSoFar += Int64(end - start + 1)
            let ml = share(contract.millilitres, daysSoFar, totalDays) - spent.ml
            let g = share(contract.grams, daysSoFar, totalDays) - spent.g
            spent = (spent.ml + ml, spent.g + g)
            var measures = AnalyticsMeasures()
            measures.contractedMl = ml
            measures.contractedG = g
            figures.add(measures, scopes: contract.attribution.scopes, lines: [contract.productLine, FigureKey.allLines], month: month)
        }
        return figures
    }

    /// `total` × `part` / `whole`, rounded half up (no overflow: volumes are far below 2^63 / 10^5).
    public static func share(_ total: Int64, _ part: Int64, _ whole: Int64) -> Int64 {
        let (quotient, remainder) = (total * part).quotientAndRemainder(dividingBy: whole)
        return remainder * 2 >= whole ? quotient + 1 : quotient
    }
}
