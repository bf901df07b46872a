public import HubContracts
public import Foundation

/// What the figures need to know of a dealer's sell-through record (流向): whom it counts for, its
/// product line, the month it was sold in and how much, fixed when it was recorded.
public struct SellThroughFacts: Sendable, Equatable {
    public var dealerId: String
    public var recordId: String
    public var attribution: DealerAttribution
    public var productLine: String
    public var soldAt: Date
    public var millilitres: Int64
    public var grams: Int64

    public init(dealerId: String, recordId: String, attribution: DealerAttribution, productLine: String, soldAt: Date, millilitres: Int64, grams: Int64) {
        (self.dealerId, self.recordId, self.attribution, self.productLine) = (dealerId, recordId, attribution, productLine)
        (self.soldAt, self.millilitres, self.grams) = (soldAt, millilitres, grams)
    }

    /// What the core notes a record under: dealer and record id (a record id is the dealer's own).
    public struct Key: Sendable, Hashable {
        public var dealerId: String
        public var recordId: String

        public init(dealerId: String, recordId: String) {
            (self.dealerId, self.recordId) = (dealerId, recordId)
        }
    }

    public var key: Key { Key(dealerId: dealerId, recordId: recordId) }
}

/// A sell-through record counts its litres and kilograms in the month it was sold (China time), in
/// its product line and in all lines, for its dealer and the dealer's branch, sales rep, province
/// and the company. A correction (the record sent again) replaces what it counted.
public enum SellThroughFigures {
    public static func entries(of record: SellThroughFacts) -> FigureEntries {
        var figures = FigureEntries()
        var measures = AnalyticsMeasures()
        measures.soldMl = record.millilitres
        measures.soldG = record.grams
        figures.add(measures, scopes: record.attribution.scopes, lines: [record.productLine, FigureKey.allLines], month: FigureMonth(record.soldAt))
        return figures
    }
}
