import Foundation
import HubContracts
import HubDomain
import Testing

/// A dealer's price (R2, R5, R9): the list's, or a lower running promotion's that reaches it —
/// the one rule the catalogue and the order decision share.
@Suite("promotion pricing")
struct PromotionPricingTests {
    static let noon = Timestamp(parsing: "2026-12-10T12:00:00Z")!
    static func at(_ text: String) -> Timestamp { Timestamp(parsing: text)! }

    let east = Audience.Member(dealerId: "D1", branchId: "BR-EAST", province: "上海", tier: .tier1,
                               lines: [.init(productLine: .automotivePackaged, customerClass: "A")], permissionGroups: ["PG1"])
    let north = Audience.Member(dealerId: "D9", branchId: "BR-NORTH", province: "北京", tier: .tier1,
                                lines: [.init(productLine: .industrialPackaged, customerClass: "B")], permissionGroups: ["PG9"])

    func offer(_ id: String, _ price: String, audience: Audience = .everyone, currency: String = "CNY",
               from: String = "2026-12-01T00:00:00Z", to: String = "2026-12-31T16:00:00Z") -> PromotionPricing.Offer {
        PromotionPricing.Offer(announcementId: id, title: "促销 \(id)", unitPrice: Decimal(string: price)!, currency: currency,
                               publishAt: Self.at(from), expiresAt: Self.at(to), audience: audience)
    }

    @Test("inside its window and audience a lower promotion price wins and names the promotion; a higher one leaves the list price")
    func lowerWins() {
        let price = PromotionPricing.price(listPrice: 100, offers: [offer("P1", "90")], for: east, currency: "CNY", at: Self.noon)
        #expect(price == .promotion(90, offer: offer("P1", "90"), listPrice: 100))
        #expect(price?.offer?.announcementId == "P1" && price?.listPrice == 100)
        #expect(PromotionPricing.price(listPrice: 100, offers: [offer("P1", "120")], for: east, currency: "CNY", at: Self.noon) == .list(100))
        #expect(PromotionPricing.price(listPrice: 100, offers: [offer("P1", "100")], for: east, currency: "CNY", at: Self.noon) == .list(100),
                "an equal price is the list's: no promotion to name")
    }

    /// Each row: the offer's window or audience or currency, the moment, and whether it prices the line.
    @Test("outside its window, audience or currency an offer does not count", arguments: [
        ("2026-12-01T00:00:00Z", "2026-12-31T16:00:00Z", "2026-11-30T23:59:59Z", true, "CNY", false),  // before it is published
        ("2026-12-01T00:00:00Z", "2026-12-31T16:00:00Z", "2026-12-01T00:00:00Z", true, "CNY", true),   // from its first moment
        ("2026-12-01T00:00:00Z", "2026-12-31T16:00:00Z", "2026-12-31T15:59:59Z", true, "CNY", true),   // to just before it expires
        ("2026-12-01T00:00:00Z", "2026-12-31T16:00:00Z", "2026-12-31T16:00:00Z", true, "CNY", false),  // expired, as the inbox says
        ("2026-12-01T00:00:00Z", "2026-12-31T16:00:00Z", "2026-12-10T12:00:00Z", false, "CNY", false), // another branch's audience
        ("2026-12-01T00:00:00Z", "2026-12-31T16:00:00Z", "2026-12-10T12:00:00Z", true, "USD", false),  // another currency: never converted
    ])
    func window(from: String, to: String, moment: String, reaches: Bool, currency: String, counts: Bool) {
        let audience = reaches ? Audience(branches: ["BR-EAST"]) : Audience(branches: ["BR-NORTH"])
        let price = PromotionPricing.price(listPrice: 100, offers: [offer("P1", "90", audience: audience, currency: currency, from: from, to: to)],
                                           for: east, currency: "CNY", at: Self.at(moment))
        #expect((price?.offer != nil) == counts)
        #expect(price?.unitPrice == (counts ? 90 : 100))
    }

    @Test("an audience matrix: who a promotion for automotive class A in BR-EAST prices, and who pays the list price")
    func audienceMatrix() {
        let offers = [offer("P-EAST", "88", audience: Audience(branches: ["BR-EAST"], productLines: [.automotivePackaged], customerClasses: ["A"])),
                      offer("P-D9", "95", audience: Audience(dealers: ["D9"]))]
        #expect(PromotionPricing.price(listPrice: 100, offers: offers, for: east, currency: "CNY", at: Self.noon)?.offer?.announcementId == "P-EAST")
        #expect(PromotionPricing.price(listPrice: 100, offers: offers, for: north, currency: "CNY", at: Self.noon)?.offer?.announcementId == "P-D9",
                "named dealers are reached besides the criteria")
        var classB = east
        classB.lines = [.init(productLine: .automotivePackaged, customerClass: "B")]
        #expect(PromotionPricing.price(listPrice: 100, offers: offers, for: classB, currency: "CNY", at: Self.noon) == .list(100))
    }

    @Test("of several that count the lowest wins; equal prices go to the one published first, then the lower id — whatever order they were read in")
    func best() {
        let a = offer("P-B", "85", from: "2026-12-02T00:00:00Z"), b = offer("P-A", "85", from: "2026-12-02T00:00:00Z"), c = offer("P-C", "85")
        let cheaper = offer("P-Z", "80")
        #expect(PromotionPricing.price(listPrice: 100, offers: [a, b, c, cheaper], for: east, currency: "CNY", at: Self.noon)?.offer == cheaper)
        #expect(PromotionPricing.price(listPrice: 100, offers: [a, b, c], for: east, currency: "CNY", at: Self.noon)?.offer == c)
        #expect(PromotionPricing.price(listPrice: 100, offers: [a, b], for: east, currency: "CNY", at: Self.noon)?.offer == b)
        #expect(PromotionPricing.price(listPrice: 100, offers: [b, a], for: east, currency: "CNY", at: Self.noon)?.offer == b)
    }

    @Test("a promotion may price what the list does not; with neither there is no price")
    func withoutList() {
        #expect(PromotionPricing.price(listPrice: nil, offers: [offer("P1", "199")], for: east, currency: "CNY", at: Self.noon)
                == .promotion(199, offer: offer("P1", "199"), listPrice: nil))
        #expect(PromotionPricing.price(listPrice: nil, offers: [offer("P1", "199", audience: Audience(dealers: ["D9"]))], for: east,
                                       currency: "CNY", at: Self.noon) == nil)
    }

    @Test("an order is priced when it was submitted, within 15 minutes before the decision and never after it")
    func pricingMoment() {
        let decided = Self.at("2027-01-01T00:05:00Z")
        #expect(PromotionPricing.pricingMoment(submittedAt: Self.at("2026-12-31T23:59:59Z"), decidedAt: decided) == Self.at("2026-12-31T23:59:59Z"))
        #expect(PromotionPricing.pricingMoment(submittedAt: Self.at("2026-12-31T20:00:00Z"), decidedAt: decided) == Self.at("2026-12-31T23:50:00Z"),
                "a message held for hours does not reach back into an ended promotion")
        #expect(PromotionPricing.pricingMoment(submittedAt: Self.at("2027-02-01T00:00:00Z"), decidedAt: decided) == decided,
                "a clock ahead does not reach into a promotion not yet begun")
    }

    @Test("the order decision prices a line at the promotion's price and says which promotion; other lines stay at the list price")
    func decision() {
        let context = OrderDecisionContext(
            dealer: .init(dealerId: "D1", status: .active, creditLimit: Money(amount: DecimalNumber("100000")!), openOrderValue: 0),
            grantedMaterials: ["M1", "M2"], knownMaterials: ["M1", "M2"], prices: ["M1": 100, "M2": 50],
            availability: ["M1": [.init(warehouseId: "W1", available: 50)], "M2": [.init(warehouseId: "W1", available: 50)]],
            promotions: .init(member: east, offers: ["M1": [offer("P1", "90")]], pricedAt: Self.noon))
        let order = OrderSubmission(orderId: "O1", dealerId: "D1", lines: [OrderLine(lineNo: 1, materialId: "M1", quantity: DecimalNumber("10")!, kind: .spot),
                                                                           OrderLine(lineNo: 2, materialId: "M2", quantity: DecimalNumber("2")!, kind: .spot)],
                                    submittedBy: "U1", channel: .api)
        guard case .accepted(let accepted) = OrderDecision.decide(order, context: context) else { Issue.record("rejected"); return }
        #expect(accepted.lines.map(\.unitPrice.value) == [90, 50])
        #expect(accepted.lines.map(\.promotionId) == ["P1", nil])
        #expect(accepted.lines.map { $0.listUnitPrice?.value } == [100, nil])
        #expect(accepted.total.amount.value == 1000)
    }
}
