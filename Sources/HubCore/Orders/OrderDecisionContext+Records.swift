public import HubStore
public import HubContracts
public import HubDomain
public import Foundation

extension OrderDecisionContext {
    /// The decision's inputs from what the store holds. `openOrderValue` is the dealer's accepted order value not yet
    /// received, cancelled or invoiced, `openInvoiceValue` what it owes on invoices not cleared; the order is priced at
    /// `pricedAt` (see `PromotionPricing.pricingMoment`).
    public init(records: OrderContextRecords, openOrderValue: Decimal, openInvoiceValue: Decimal = 0, pricedAt: Timestamp) {
        func decimal(_ text: String) -> Decimal { DecimalNumber(text)?.value ?? 0 }
        self.init(
            dealer: records.dealer.map { dealer in
                Dealer(dealerId: dealer.dealerId, status: DealerStatus(rawValue: dealer.status),
                       creditLimit: Money(amount: DecimalNumber(decimal(dealer.creditLimit)), currency: dealer.currency),
                       openOrderValue: openOrderValue, openInvoiceValue: openInvoiceValue,
                       standing: dealer.standing.map { (RiskOutcome(rawValue: $0.outcome), $0.reason) })
            },
            grantedMaterials: records.grantedMaterials,
            knownMaterials: records.knownMaterials,
            prices: records.prices.mapValues { price in
                let per = decimal(price.per)
                return per > 0 ? decimal(price.unitPrice) / per : decimal(price.unitPrice)
            },
            availability: records.stock.mapValues { rows in
                rows.map { Availability(warehouseId: $0.warehouseId, locationId: $0.locationId.isEmpty ? nil : $0.locationId,
                                        available: max(0, decimal($0.onHand) - decimal($0.reserved))) }
            },
            promotions: Promotions(member: records.member, offers: records.offers, pricedAt: pricedAt)
        )
    }
}
