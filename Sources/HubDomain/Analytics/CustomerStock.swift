public import Foundation

/// A dealer's own stock as its system last reported it (客户库存), against what it sold to its
/// customers (sell-through): days of cover = stock ÷ the mean daily sell-through of the last
/// ``windowDays`` days, in litres (kilograms for what has no volume). Nothing sold in the window:
/// no days of cover (the stock does not move), not infinity and not zero.
public struct CustomerStock: Sendable, Equatable {
    /// The window the daily sell-through is taken over.
    public static let windowDays = 90

    public struct Material: Sendable, Equatable {
        public var materialId: String
        public var name: String?
        public var onHand: Decimal
        /// When the dealer's system counted it (its snapshot's time, or the last goods in booked since).
        public var asOf: Date?
        public var millilitres: Int64
        public var grams: Int64
        public var soldMillilitres: Int64
        public var soldGrams: Int64

        public init(materialId: String, name: String?, onHand: Decimal, asOf: Date?, millilitres: Int64, grams: Int64, soldMillilitres: Int64, soldGrams: Int64) {
            (self.materialId, self.name, self.onHand, self.asOf) = (materialId, name, onHand, asOf)
            (self.millilitres, self.grams, self.soldMillilitres, self.soldGrams) = (millilitres, grams, soldMillilitres, soldGrams)
        }

        public var daysOfCover: Decimal? {
            millilitres > 0 || soldMillilitres > 0
                ? CustomerStock.daysOfCover(stock: millilitres, soldInWindow: soldMillilitres)
                : CustomerStock.daysOfCover(stock: grams, soldInWindow: soldGrams)
        }
    }

    /// Each material counted (empty for a roll-up of many dealers).
    public var materials: [Material]
    public var millilitres: Int64
    public var grams: Int64
    /// What was sold in the window, every material (those not in stock too).
    public var soldMillilitres: Int64
    public var soldGrams: Int64
    /// The latest count.
    public var asOf: Date?

    /// One dealer's stock, material by material.
    public init(materials: [Material], soldMillilitres: Int64, soldGrams: Int64) {
        (self.materials, self.soldMillilitres, self.soldGrams) = (materials, soldMillilitres, soldGrams)
        millilitres = materials.reduce(0) { $0 + $1.millilitres }
        grams = materials.reduce(0) { $0 + $1.grams }
        asOf = materials.compactMap(\.asOf).max()
    }

    /// Many dealers' stock added up (a branch's, a sales rep's, a province's, the company's).
    public init(millilitres: Int64, grams: Int64, soldMillilitres: Int64, soldGrams: Int64, asOf: Date?) {
        (materials, self.millilitres, self.grams, self.soldMillilitres, self.soldGrams, self.asOf) = ([], millilitres, grams, soldMillilitres, soldGrams, asOf)
    }
    /// In litres: what has a volume.
    public var daysOfCover: Decimal? { Self.daysOfCover(stock: millilitres, soldInWindow: soldMillilitres) }

    /// `stock` ÷ (`soldInWindow` ÷ ``windowDays``); nil when nothing was sold.
    public static func daysOfCover(stock: Int64, soldInWindow: Int64) -> Decimal? {
        soldInWindow <= 0 ? nil : Decimal(max(stock, 0)) * Decimal(windowDays) / Decimal(soldInWindow)
    }
}
