public import HubContracts
public import Foundation

/// A dealer's price for one material (R2, R5, R9): its price list's, or a running promotion's
/// when that is lower — the same answer for the catalogue the dealer reads and for the core's
/// decision on its order, so a dealer never pays a price it could not see.
///
/// A promotion's price counts for a dealer when, at the moment priced:
/// - the promotion is published (`publishAt` ≤ moment), not expired (moment < `expiresAt`, as an
///   announcement leaves the inbox) and not
///   withdrawn — a withdrawn promotion is never an offer at all;
/// - its audience reaches the dealer (`Audience.reaches`);
/// - it is in the dealer's currency (an offer in another currency is not compared, never converted).
///
/// Of the prices that count and the list price, the lowest wins; between equal promotion prices
/// the promotion published first (then the lower id) names the line, so the answer does not
/// depend on the order rows were read in. A promotion may price a material the dealer's price
/// list does not (a new product launched at its promotional price); it never makes a material
/// orderable that the dealer's groups do not grant — that check stands before pricing.
public enum PromotionPricing {
    /// One promotion's price for one material, as published.
    public struct Offer: Sendable, Hashable {
        public var announcementId: String
        public var title: String
        /// Per unit of measure.
        public var unitPrice: Decimal
        public var currency: String
        public var publishAt: Timestamp
        public var expiresAt: Timestamp
        public var audience: Audience

        public init(announcementId: String, title: String, unitPrice: Decimal, currency: String, publishAt: Timestamp, expiresAt: Timestamp, audience: Audience) {
            (self.announcementId, self.title, self.unitPrice, self.currency) = (announcementId, title, unitPrice, currency)
            (self.publishAt, self.expiresAt, self.audience) = (publishAt, expiresAt, audience)
        }

        /// Whether this offer counts for `member` paying in `currency` at `moment`.
        public func counts(for member: Audience.Member, currency: String, at moment: Timestamp) -> Bool {
            self.currency == currency && publishAt <= moment && moment < expiresAt && audience.reaches(member)
        }
    }

    /// What a dealer pays per unit, and why.
    public enum Price: Sendable, Hashable {
        /// The price list's price: no promotion that counts is lower.
        case list(Decimal)
        /// A promotion's price, lower than the list price (`listPrice`, nil when the list has none).
        case promotion(Decimal, offer: Offer, listPrice: Decimal?)

        public var unitPrice: Decimal {
            switch self {
            case .list(let price), .promotion(let price, _, _): price
            }
        }

        /// The price list's price, if the list has one.
        public var listPrice: Decimal? {
            switch self {
            case .list(let price): price
            case .promotion(_, _, let listPrice): listPrice
            }
        }

        /// The promotion that priced it, if one did.
        public var offer: Offer? {
            if case .promotion(_, let offer, _) = self { offer } else { nil }
        }
    }

    /// The dealer's price at `moment`: the lowest of `listPrice` and the offers that count; nil
    /// when there is neither (no price: the line cannot be ordered).
    public static func price(listPrice: Decimal?, offers: [Offer], for member: Audience.Member, currency: String, at moment: Timestamp) -> Price? {
        let best = offers.filter { $0.counts(for: member, currency: currency, at: moment) }.min { a, b in
            (a.unitPrice, a.publishAt, a.announcementId) < (b.unitPrice, b.publishAt, b.announcementId)
        }
        switch (listPrice, best) {
        case (nil, nil): return nil
        case (let list?, nil): return .list(list)
        case (let list?, let offer?) where list <= offer.unitPrice: return .list(list)
        case (_, let offer?): return .promotion(offer.unitPrice, offer: offer, listPrice: listPrice)
        }
    }

    /// How long after a dealer submitted an order the moment it submitted still prices it: an order
    /// sent in a promotion's last second is decided a moment later, at the promotion's price.
    public static let submissionGrace: TimeInterval = 15 * 60

    /// The moment an order is priced at: when it was submitted, unless that claims to be later than
    /// the decision (a clock ahead) or earlier than the grace allows (a held or replayed message),
    /// in which case the nearer bound.
    public static func pricingMoment(submittedAt: Timestamp, decidedAt: Timestamp) -> Timestamp {
        let earliest = Timestamp(decidedAt.date.addingTimeInterval(-submissionGrace))
        return min(max(submittedAt, earliest), decidedAt)
    }
}
