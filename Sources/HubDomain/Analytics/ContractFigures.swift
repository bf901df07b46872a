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

/// A contract's volume spread over the months it is valid in, by days (``DaySpread``): a year's
/// contract of 36,500 L counts 3,100 L in January. A cancelled contract counts nothing; so does one
/// whose end is before its start.
public enum ContractFigures {
    public static func entries(of contract: ContractFacts) -> FigureEntries {
        var figures = FigureEntries()
        guard !contract.cancelled else { return figures }
        for (month, shares) in DaySpread.byMonth([contract.millilitres, contract.grams], from: contract.validFrom, to: contract.validTo) {
            var measures = AnalyticsMeasures()
            measures.contractedMl = shares[0]
            measures.contractedG = shares[1]
            figures.add(measures, scopes: contract.attribution.scopes, lines: [contract.productLine, FigureKey.allLines], month: month)
        }
        return figures
    }
}
