public import HubContracts
public import Foundation

/// What the core knows when it decides a submitted order: the dealer, what its permission groups
/// grant, prices, its open order value, and the stock it may draw from. Plain values, read from the
/// store in the same transaction that records the decision.
public struct OrderDecisionContext: Sendable {
    public struct Dealer: Sendable {
        public var dealerId: String
        public var status: DealerStatus
        public var creditLimit: Money
        /// The value of its accepted orders not yet received, cancelled or invoiced.
        public var openOrderValue: Decimal
        /// What it owes on the ERP's invoices not yet cleared (less open credit memos).
        public var openInvoiceValue: Decimal
        /// Where a risk review left it (``CustomerRisk``): a credit hold or block refuses its orders with the reviewer's reason.
        public var standing: (outcome: RiskOutcome, reason: String)?

        public init(dealerId: String, status: DealerStatus, creditLimit: Money, openOrderValue: Decimal, openInvoiceValue: Decimal = 0,
                    standing: (outcome: RiskOutcome, reason: String)? = nil) {
            self.dealerId = dealerId
            self.status = status
            self.creditLimit = creditLimit
            self.openOrderValue = openOrderValue
            self.openInvoiceValue = openInvoiceValue
            self.standing = standing
        }
    }

    /// Stock the dealer may draw from at one place, in the order it should be drawn.
    public struct Availability: Sendable {
        public var warehouseId: String
        public var locationId: String?
        /// On hand minus reserved.
        public var available: Decimal

        public init(warehouseId: String, locationId: String? = nil, available: Decimal) {
            self.warehouseId = warehouseId
            self.locationId = locationId
            self.available = available
        }
    }

    /// `nil` when the dealer is unknown.
    public var dealer: Dealer?
    /// Materials the dealer's permission groups grant (R2).
    public var grantedMaterials: Set<String>
    /// Materials that exist at all (to tell "unknown" from "not granted").
    public var knownMaterials: Set<String>
    /// Unit prices from the dealer's price list, per material.
    public var prices: [String: Decimal]
    /// Per material, the stock the dealer may draw from, in drawing order.
    public var availability: [String: [Availability]]
    /// Promotions' prices that may apply, and the moment the order is priced at.
    public var promotions: Promotions

    /// Promotions' prices for the order's materials, weighed by `PromotionPricing` at `pricedAt`.
    public struct Promotions: Sendable {
        /// What a promotion's audience reads of the dealer; nil offers nothing.
        public var member: Audience.Member?
        public var offers: [String: [PromotionPricing.Offer]]
        public var pricedAt: Timestamp

        public init(member: Audience.Member?, offers: [String: [PromotionPricing.Offer]], pricedAt: Timestamp) {
            (self.member, self.offers, self.pricedAt) = (member, offers, pricedAt)
        }

        /// No promotion runs.
        public static let none = Promotions(member: nil, offers: [:], pricedAt: Timestamp(Date(timeIntervalSince1970: 0)))
    }

    public init(dealer: Dealer?, grantedMaterials: Set<String>, knownMaterials: Set<String>, prices: [String: Decimal], availability: [String: [Availability]],
                promotions: Promotions = .none) {
        self.dealer = dealer
        self.grantedMaterials = grantedMaterials
        self.knownMaterials = knownMaterials
        self.prices = prices
        self.availability = availability
        self.promotions = promotions
    }

    /// What the dealer pays per unit of `materialId` in `currency`: the price list's, or a lower
    /// promotion price that counts for it (`PromotionPricing`); nil when neither exists.
    public func price(of materialId: String, currency: String) -> PromotionPricing.Price? {
        guard let member = promotions.member else { return prices[materialId].map(PromotionPricing.Price.list) }
        return PromotionPricing.price(listPrice: prices[materialId], offers: promotions.offers[materialId] ?? [], for: member,
                                      currency: currency, at: promotions.pricedAt)
    }
}

/// The core's decision on a submitted order (R2, R5, R9): accept it — pricing every line (at a
/// running promotion's price when that is lower and reaches the dealer, naming the promotion), reserving
/// stock for spot lines, leaving made-to-order lines for production — or reject it with a reason
/// for the order and for each line that cannot be served. A pure function: same inputs, same answer.
public enum OrderDecision: Sendable, Equatable {
    case accepted(OrderAccepted)
    case rejected(OrderRejected)

    public static func decide(_ order: OrderSubmission, context: OrderDecisionContext) -> OrderDecision {
        guard let dealer = context.dealer else {
            return .rejected(OrderRejected(orderId: order.orderId, dealerId: order.dealerId, reasons: [
                RejectionReason(lineNo: nil, code: .unknownDealer, message: "dealer \(order.dealerId) is not known to the hub"),
            ]))
        }
        var reasons: [RejectionReason] = []
        if dealer.status != .active {
            reasons.append(RejectionReason(lineNo: nil, code: .dealerInactive, message: "dealer \(dealer.dealerId) is \(dealer.status)"))
        }
        if let standing = dealer.standing, standing.outcome.refusesOrders {
            let held = standing.outcome == .creditHold
            reasons.append(RejectionReason(lineNo: nil, code: held ? .dealerHeld : .dealerBlocked,
                message: "\(held ? "your account is on credit hold" : "your account is blocked") after a risk review by your branch: \(standing.reason) — ask your branch to release it"))
        }
        var seenLines = Set<Int>()
        var lines: [OrderAccepted.Line] = []
        var total = Decimal(0)
        // Stock taken by earlier lines of this order is not available to later ones.
        var remaining = context.availability
        for line in order.lines {
            guard seenLines.insert(line.lineNo).inserted else {
                reasons.append(RejectionReason(lineNo: line.lineNo, code: .duplicateLine, message: "line \(line.lineNo) appears twice"))
                continue
            }
            guard line.quantity.value > 0 else {
                reasons.append(RejectionReason(lineNo: line.lineNo, code: .invalidQuantity, message: "quantity must be greater than 0, got \(line.quantity)"))
                continue
            }
            guard context.knownMaterials.contains(line.materialId) else {
                reasons.append(RejectionReason(lineNo: line.lineNo, code: .unknownMaterial, message: "material \(line.materialId) does not exist"))
                continue
            }
            guard context.grantedMaterials.contains(line.materialId) else {
                reasons.append(RejectionReason(lineNo: line.lineNo, code: .materialNotInCatalogue, message: "material \(line.materialId) is not in the catalogue your permission groups grant"))
                continue
            }
            guard let price = context.price(of: line.materialId, currency: dealer.creditLimit.currency) else {
                reasons.append(RejectionReason(lineNo: line.lineNo, code: .noPrice, message: "material \(line.materialId) has no price in your price list or a promotion for you"))
                continue
            }
            let unitPrice = price.unitPrice
            var reservations: [OrderAccepted.Reservation] = []
            if line.kind == .spot {
                var needed = line.quantity.value
                var places = remaining[line.materialId] ?? []
                for index in places.indices where needed > 0 && places[index].available > 0 {
                    let take = min(needed, places[index].available)
                    reservations.append(OrderAccepted.Reservation(warehouseId: places[index].warehouseId, locationId: places[index].locationId, quantity: DecimalNumber(take)))
                    places[index].available -= take
                    needed -= take
                }
                guard needed == 0 else {
                    let available = (remaining[line.materialId] ?? []).reduce(Decimal(0)) { $0 + $1.available }
                    reasons.append(RejectionReason(lineNo: line.lineNo, code: .insufficientStock,
                        message: "\(line.quantity) of \(line.materialId) requested, \(DecimalNumber(available)) available where you may draw from"))
                    continue
                }
                remaining[line.materialId] = places
            }
            let amount = unitPrice * line.quantity.value
            total += amount
            lines.append(OrderAccepted.Line(lineNo: line.lineNo, materialId: line.materialId, quantity: line.quantity, kind: line.kind,
                                            unitPrice: DecimalNumber(unitPrice), amount: DecimalNumber(amount), reservations: reservations,
                                            promotionId: price.offer?.announcementId, listUnitPrice: price.offer == nil ? nil : price.listPrice.map(DecimalNumber.init)))
        }
        if reasons.isEmpty, dealer.openOrderValue + dealer.openInvoiceValue + total > dealer.creditLimit.amount.value {
            let invoices = dealer.openInvoiceValue == 0 ? "" : " + open invoices \(DecimalNumber(dealer.openInvoiceValue))"
            reasons.append(RejectionReason(lineNo: nil, code: .creditLimitExceeded,
                message: "open orders \(DecimalNumber(dealer.openOrderValue))\(invoices) + this order \(DecimalNumber(total)) exceed the credit limit \(dealer.creditLimit.amount) \(dealer.creditLimit.currency)"))
        }
        guard reasons.isEmpty else {
            return .rejected(OrderRejected(orderId: order.orderId, dealerId: order.dealerId, reasons: reasons))
        }
        return .accepted(OrderAccepted(orderId: order.orderId, dealerId: order.dealerId, lines: lines,
                                       total: Money(amount: DecimalNumber(total), currency: dealer.creditLimit.currency),
                                       requestedDeliveryDate: order.requestedDeliveryDate))
    }
}
