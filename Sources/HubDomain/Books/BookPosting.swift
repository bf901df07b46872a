public import HubContracts
public import Foundation

/// One line as the books keep it: what moved, what it was worth, and the material's position after it.
public struct BookPostedLine: Sendable, Equatable {
    /// '' for a payment.
    public var materialId: String
    /// Signed: in positive, out negative (a count: the difference it made).
    public var quantityMilli: Int64
    /// Signed: a sale's price positive, a refund negative.
    public var revenueFen: Int64
    /// Signed change of the stock's value: the cost of what came in positive, of what left negative.
    public var costFen: Int64
    /// A payment's amount.
    public var paidFen: Int64
    /// The material's position after this line (a payment: unchanged, empty).
    public var after: BookPosition

    public init(materialId: String, quantityMilli: Int64, revenueFen: Int64, costFen: Int64, paidFen: Int64, after: BookPosition) {
        self.materialId = materialId
        self.quantityMilli = quantityMilli
        self.revenueFen = revenueFen
        self.costFen = costFen
        self.paidFen = paidFen
        self.after = after
    }
}

/// How one document of a dealer's books is booked, line by line, all or nothing (R1):
///
/// | kind | stock | value | revenue | owed by the customer |
/// |---|---|---|---|---|
/// | purchase | + quantity | + quantity × price | | |
/// | sale | − quantity (checked) | − moving-average cost | + quantity × price | + revenue |
/// | customer-return | + quantity | + average cost | − quantity × price refunded | − refund |
/// | return-to-company | − quantity (checked) | − average cost | | |
/// | stock-count | → counted | ± difference at the average (no average yet: the cost stated) | | |
/// | payment | | | | − amount |
///
/// Line amounts are quantity × unit price rounded to the fen, half away from zero. Lines of one
/// material follow each other within a document (the second sees the first's position).
public enum BookPosting {
    public struct Line: Sendable, Equatable {
        public var materialId: String
        public var quantityMilli: Int64
        /// Per whole unit, in fen (a price in yuan × 100); may have fractions of a fen.
        public var unitPriceFen: Decimal?
        /// A count's cost per unit for a surplus where the books hold no average yet, in fen.
        public var unitCostFen: Decimal?

        public init(materialId: String, quantityMilli: Int64, unitPriceFen: Decimal? = nil, unitCostFen: Decimal? = nil) {
            self.materialId = materialId
            self.quantityMilli = quantityMilli
            self.unitPriceFen = unitPriceFen
            self.unitCostFen = unitCostFen
        }
    }

    /// Why a document was not booked: the first line that could not be.
    public struct Refused: Error, Sendable, Equatable, CustomStringConvertible {
        /// 0-based.
        public var lineIndex: Int
        public var materialId: String
        public var refusal: BookPosition.Refusal

        public init(lineIndex: Int, materialId: String, refusal: BookPosition.Refusal) {
            (self.lineIndex, self.materialId, self.refusal) = (lineIndex, materialId, refusal)
        }

        public var description: String { "line \(lineIndex + 1) (\(materialId)): \(refusal)" }
    }

    /// The document's lines as booked, from `positions` (each material's before the document; a
    /// material not in it starts empty).
    public static func post(kind: BookEntryKind, lines: [Line], paymentFen: Int64 = 0, positions: [String: BookPosition],
                            allowingNegativeStock: Bool) -> Result<[BookPostedLine], Refused> {
        if kind == .payment { return .success([BookPostedLine(materialId: "", quantityMilli: 0, revenueFen: 0, costFen: 0, paidFen: paymentFen, after: BookPosition())]) }
        var positions = positions
        var posted: [BookPostedLine] = []
        for (index, line) in lines.enumerated() {
            let position = positions[line.materialId] ?? BookPosition()
            let price = line.unitPriceFen ?? 0
            let amount = BookPosition.fen(Decimal(line.quantityMilli) * price / 1_000)
            let movement: BookPosition.Movement
            var revenue: Int64 = 0
            switch kind {
            case .purchase: movement = .goodsIn(quantityMilli: line.quantityMilli, unitCostFen: price)
            case .sale: (movement, revenue) = (.goodsOut(quantityMilli: line.quantityMilli), amount)
            case .customerReturn: (movement, revenue) = (.customerReturn(quantityMilli: line.quantityMilli, fallbackUnitCostFen: price), -amount)
            case .returnToCompany: movement = .goodsOut(quantityMilli: line.quantityMilli)
            default: movement = .count(countedMilli: line.quantityMilli, openingUnitCostFen: line.unitCostFen ?? 0)  // .stockCount
            }
            switch position.post(movement, allowingNegativeStock: allowingNegativeStock) {
            case .failure(let refusal):
                return .failure(Refused(lineIndex: index, materialId: line.materialId, refusal: refusal))
            case .success(let effect):
                positions[line.materialId] = effect.after
                posted.append(BookPostedLine(materialId: line.materialId, quantityMilli: effect.quantityMilli, revenueFen: revenue, costFen: effect.valueFen,
                                             paidFen: 0, after: effect.after))
            }
        }
        return .success(posted)
    }
}
