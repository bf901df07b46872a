public import Foundation

/// What a dealer holds of one material in its books (R1): the quantity on hand, in thousandths of
/// the material's unit, and what it cost, in fen. Everything that moves goods goes through
/// ``BookPosition/post(_:allowingNegativeStock:)``, which answers what the movement is worth at
/// the moving-average cost, or why it is refused.
///
/// Moving average (移动加权平均):
/// - goods in at a purchase price add their value; the average is value ÷ on hand;
/// - goods out take the average: the whole value when the last unit leaves (so no fen is left over
///   from rounding), else value × quantity ÷ on hand, rounded half away from zero to the fen;
/// - a customer's return comes back at the average of the moment (the price refunded is revenue,
///   not cost); a stock count's surplus comes in at it (at the cost the count states when there is no
///   average yet: opening stock) and its shortage leaves like goods out.
/// - Only a dealer that allows negative stock can take out more than it holds: what it holds leaves
///   with its whole value, the rest at the last average, and the stock (and value) go negative until
///   goods come in. Without that permission the movement is refused and nothing changes.
public struct BookPosition: Sendable, Equatable {
    /// On hand in thousandths of a unit (1 can = 1,000).
    public var onHandMilli: Int64
    /// What the goods on hand cost, in fen.
    public var valueFen: Int64
    /// The last average cost per whole unit, in fen (kept when the stock runs out, for what leaves beyond it).
    public var averageCostFen: Decimal

    public init(onHandMilli: Int64 = 0, valueFen: Int64 = 0, averageCostFen: Decimal = 0) {
        self.onHandMilli = onHandMilli
        self.valueFen = valueFen
        self.averageCostFen = averageCostFen
    }

    /// A movement of one material in the books.
    public enum Movement: Sendable, Equatable {
        /// Goods in at a purchase cost per unit (fen; may have fractions of a fen).
        case goodsIn(quantityMilli: Int64, unitCostFen: Decimal)
        /// Goods back from a customer: in at the current average cost (`fallbackUnitCostFen` when the
        /// dealer never held any).
        case customerReturn(quantityMilli: Int64, fallbackUnitCostFen: Decimal)
        /// Goods out (a sale, a delivery note, a return to the company), at the average cost.
        case goodsOut(quantityMilli: Int64)
        /// A count: the quantity found replaces what the books held; the difference is valued at the average
        /// (a surplus with no average yet, at `openingUnitCostFen`: the opening stock of books just started).
        case count(countedMilli: Int64, openingUnitCostFen: Decimal = 0)
    }

    /// What a posted movement changed.
    public struct Effect: Sendable, Equatable {
        /// Signed: goods in positive, goods out negative.
        public var quantityMilli: Int64
        /// Signed change of the stock's value in fen: the cost of what came in, minus the cost of what left.
        public var valueFen: Int64
        /// The position after the movement.
        public var after: BookPosition
    }

    /// Why a movement was refused.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// More asked out than is on hand, and the dealer does not allow negative stock.
        case beyondStock(onHandMilli: Int64, askedMilli: Int64)
        /// A quantity that is zero or negative where one is needed.
        case quantityNotPositive(Int64)

        public var description: String {
            switch self {
            case .beyondStock(let onHand, let asked):
                "\(BookQuantity.text(asked)) asked out but \(BookQuantity.text(onHand)) on hand (this dealer does not allow negative stock)"
            case .quantityNotPositive(let quantity):
                "quantity \(BookQuantity.text(quantity)) must be more than 0"
            }
        }
    }

    /// The movement's effect at the moving-average cost; the position itself is not changed.
    public func post(_ movement: Movement, allowingNegativeStock: Bool) -> Result<Effect, Refusal> {
        switch movement {
        case .goodsIn(let quantity, let unitCost):
            guard quantity > 0 else { return .failure(.quantityNotPositive(quantity)) }
            return .success(adding(quantity, value: Self.fen(Decimal(quantity) * unitCost / 1_000)))
        case .customerReturn(let quantity, let fallback):
            guard quantity > 0 else { return .failure(.quantityNotPositive(quantity)) }
            let unitCost = averageCostFen > 0 ? averageCostFen : fallback
            return .success(adding(quantity, value: Self.fen(Decimal(quantity) * unitCost / 1_000)))
        case .goodsOut(let quantity):
            guard quantity > 0 else { return .failure(.quantityNotPositive(quantity)) }
            if quantity > onHandMilli && !allowingNegativeStock {
                return .failure(.beyondStock(onHandMilli: onHandMilli, askedMilli: quantity))
            }
            return .success(taking(quantity))
        case .count(let counted, let opening):
            guard counted >= 0 else { return .failure(.quantityNotPositive(counted)) }
            let difference = counted - onHandMilli
            let unitCost = averageCostFen > 0 ? averageCostFen : opening
            if difference > 0 { return .success(adding(difference, value: Self.fen(Decimal(difference) * unitCost / 1_000))) }
            if difference < 0 { return .success(taking(-difference)) }
            return .success(Effect(quantityMilli: 0, valueFen: 0, after: self))
        }
    }

    private func adding(_ quantity: Int64, value: Int64) -> Effect {
        var after = self
        after.onHandMilli += quantity
        after.valueFen += value
        if after.onHandMilli > 0 { after.averageCostFen = Decimal(after.valueFen) * 1_000 / Decimal(after.onHandMilli) }
        return Effect(quantityMilli: quantity, valueFen: value, after: after)
    }

    private func taking(_ quantity: Int64) -> Effect {
        let held = max(onHandMilli, 0)
        let cost: Int64
        if quantity == held {
            cost = valueFen
        } else if quantity < held {
            cost = Self.fen(Decimal(valueFen) * Decimal(quantity) / Decimal(held))
        } else {
            // Beyond what is held (a dealer allowing negative stock): what is held leaves whole, the rest at the last average.
            cost = (held > 0 ? valueFen : 0) + Self.fen(Decimal(quantity - held) * averageCostFen / 1_000)
        }
        var after = self
        after.onHandMilli -= quantity
        after.valueFen -= cost
        return Effect(quantityMilli: -quantity, valueFen: -cost, after: after)
    }

    /// `value` rounded to a whole fen, half away from zero.
    public static func fen(_ value: Decimal) -> Int64 {
        var value = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .plain)
        return NSDecimalNumber(decimal: rounded).int64Value
    }
}

/// Quantities in the books: thousandths of a unit, read from and written as plain decimals.
public enum BookQuantity {
    /// The most one line may move, and the highest unit price or cost (yuan) and payment (yuan) the books take: far
    /// beyond any lubricant dealer's document, and small enough that every amount stays exact in 64-bit fen.
    public static let maximumUnits: Decimal = 10_000_000
    public static let maximumUnitPrice: Decimal = 10_000_000
    public static let maximumPayment: Decimal = 10_000_000_000

    /// `value` in thousandths; `nil` when it has more than three decimals or does not fit.
    public static func milli(_ value: Decimal) -> Int64? {
        let scaled = value * 1_000
        var whole = Decimal()
        var copy = scaled
        NSDecimalRound(&whole, &copy, 0, .plain)
        guard whole == scaled, whole.magnitude < Decimal(Int64.max / 2) else { return nil }
        return NSDecimalNumber(decimal: whole).int64Value
    }

    /// `12500` → `12.5`; `-3000` → `-3`.
    public static func text(_ milli: Int64) -> String {
        var text = MinorUnits.text(milli, scale: 3)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
