/// `fund.posted` on `hub.funds` (R4): one entry of a dealer's market-development or promotion fund
/// (市场开发费 / 促销费) as the ERP posted it — a budget granted for a period, or money used on a
/// day. Budget, use and what remains are added up per dealer and period from these entries; the
/// use is the fund spend of the dealer's profitability (contribution = gross margin − fund use).
/// The ERP's document is the truth: an entry sent again replaces what was held, a reversal included.
public struct FundPosted: Sendable, Hashable, Codable {
    /// Which fund.
    public enum Fund: String, Sendable, Hashable, Codable, CaseIterable {
        /// 市场开发费: shop signs, training, trade shows — building the dealer's market.
        case marketDevelopment = "market-development"
        /// 促销费: discounts, gifts and campaigns that move goods now.
        case promotion
    }

    /// What the entry records.
    public enum Entry: String, Sendable, Hashable, Codable {
        /// A budget granted for `periodFrom`…`periodTo`, spread over it by days.
        case budget
        /// Money used on `periodFrom` (`periodTo` is the same day).
        case use
    }

    public enum Status: String, Sendable, Hashable, Codable {
        case posted
        /// Reversed in the ERP (storno): it counts for nothing.
        case reversed
    }

    public var entryId: String
    public var dealerId: String
    public var fund: Fund
    public var entry: Entry
    /// The product line it is for; absent for the dealer as a whole.
    public var productLine: ProductLine?
    public var periodFrom: CalendarDate
    /// The last day it covers (both days included).
    public var periodTo: CalendarDate
    /// In yuan (CNY), positive.
    public var amount: DecimalNumber
    /// The ERP's text for it (what the money is for).
    public var text: String?
    public var status: Status

    public init(entryId: String, dealerId: String, fund: Fund, entry: Entry, productLine: ProductLine?, periodFrom: CalendarDate, periodTo: CalendarDate,
                amount: DecimalNumber, text: String?, status: Status) {
        (self.entryId, self.dealerId, self.fund, self.entry, self.productLine) = (entryId, dealerId, fund, entry, productLine)
        (self.periodFrom, self.periodTo, self.amount, self.text, self.status) = (periodFrom, periodTo, amount, text, status)
    }
}
