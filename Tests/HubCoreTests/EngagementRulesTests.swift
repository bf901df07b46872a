import Foundation
import HubContracts
import HubCore
import HubDomain
import Logging
@_spi(SQL) import HubStore
import StoreTestSupport
import Testing

/// Announcements (R5) as the core keeps them: the latest version stands, a withdrawal stops it, and
/// a dealer's first read and acknowledgement count — only from a dealer the announcement reaches.
@Suite("engagement: announcements and their receipts in the store")
struct EngagementRulesTests {
    typealias F = CompanyFixture

    func company(_ kind: StoreKind) async throws -> RuleHarness {
        let harness = try RuleHarness(try TestDatabase(kind))
        for event in F.masterData { #expect(try await harness.apply(event, topic: "hub.master") == .applied) }
        return harness
    }

    func policy(version: Int, title: String = "返利政策", audience: Audience = Audience(tiers: [.tier1])) -> AnnouncementPublished {
        AnnouncementPublished(announcementId: "ANN1", version: version, kind: .policy, title: title, body: "请阅读并确认。", publishAt: F.at,
                              audience: audience, requiresAcknowledgement: true, publishedBy: "U-ADMIN")
    }

    func published(_ harness: RuleHarness, _ id: String) async throws -> StoredAnnouncement? {
        try await harness.store.transaction { tables throws(StoreError) in try tables.announcements.announcement(id) }
    }

    func receipt(_ harness: RuleHarness, _ id: String, _ dealerId: String) async throws -> DealerReceipt? {
        try await harness.store.transaction { tables throws(StoreError) in try tables.announcements.receipt(id, dealerId: dealerId) }
    }

    @Test("the latest version stands: a late older one is applied as nothing; a withdrawal of an older version leaves the newer", arguments: StoreKind.allCases)
    func versions(kind: StoreKind) async throws {
        let harness = try await company(kind)
        #expect(try await harness.apply(F.event("a1v2", "ANN1", .announcementPublished(policy(version: 2, title: "第二版"))), topic: "hub.announcements") == .applied)
        #expect(try await harness.apply(F.event("a1v1", "ANN1", .announcementPublished(policy(version: 1, title: "第一版"))), topic: "hub.announcements") == .applied)
        #expect(try await published(harness, "ANN1")?.published.title == "第二版")

        let stale = AnnouncementWithdrawn(announcementId: "ANN1", version: 1, withdrawnBy: "U-ADMIN", reason: "旧版")
        #expect(try await harness.apply(F.event("a1w1", "ANN1", .announcementWithdrawn(stale)), topic: "hub.announcements") == .applied)
        #expect(try await published(harness, "ANN1")?.withdrawnAt == nil, "version 2 was published after what was withdrawn")

        let current = AnnouncementWithdrawn(announcementId: "ANN1", version: 2, withdrawnBy: "U-ADMIN", reason: "政策调整")
        #expect(try await harness.apply(F.event("a1w2", "ANN1", .announcementWithdrawn(current)), topic: "hub.announcements") == .applied)
        let withdrawn = try await published(harness, "ANN1")
        #expect(withdrawn?.withdrawnAt != nil && withdrawn?.withdrawnReason == "政策调整")

        #expect(try await harness.apply(F.event("a1v3", "ANN1", .announcementPublished(policy(version: 3, title: "第三版"))), topic: "hub.announcements") == .applied)
        let republished = try await published(harness, "ANN1")
        #expect(republished?.published.version == 3 && republished?.withdrawnAt == nil, "a newer version published again lifts the withdrawal")
        let audited = try harness.rows("SELECT action, actor FROM audit_log WHERE subject_kind = 'announcement' ORDER BY seq").map { "\($0.string(0) ?? "") \($0.string(1) ?? "")" }
        #expect(audited == ["announcement.created U-ADMIN", "announcement.withdrawn U-ADMIN", "announcement.changed U-ADMIN"],
                "what changed the announcement is audited; what was applied as nothing is not")
    }

    @Test("a dealer's first read and first acknowledgement count; an acknowledgement reads it too; a repeat changes nothing", arguments: StoreKind.allCases)
    func receipts(kind: StoreKind) async throws {
        let harness = try await company(kind)
        try await harness.apply(F.event("a1v1", "ANN1", .announcementPublished(policy(version: 1))), topic: "hub.announcements")
        let first = CanonicalEvent(id: "r1", source: "lubehub-api", occurredAt: Timestamp(parsing: "2026-12-02T08:00:00Z")!, subject: "ANN1",
                                   data: .announcementAcknowledged(AnnouncementReceipt(announcementId: "ANN1", dealerId: "D1", userId: "U-D1-A")))
        #expect(try await harness.apply(first, topic: "hub.announcement-receipts") == .applied)
        let later = CanonicalEvent(id: "r2", source: "lubehub-api", occurredAt: Timestamp(parsing: "2026-12-03T08:00:00Z")!, subject: "ANN1",
                                   data: .announcementRead(AnnouncementReceipt(announcementId: "ANN1", dealerId: "D1", userId: "U-D1-B")))
        #expect(try await harness.apply(later, topic: "hub.announcement-receipts") == .applied)
        #expect(try await harness.apply(first, topic: "hub.announcement-receipts") == .duplicate)
        let held = try await receipt(harness, "ANN1", "D1")
        #expect(held?.readAt?.text == "2026-12-02T08:00:00Z" && held?.readBy == "U-D1-A", "the acknowledgement was the first read")
        #expect(held?.acknowledgedAt?.text == "2026-12-02T08:00:00Z" && held?.acknowledgedBy == "U-D1-A")
    }

    @Test("a receipt from a dealer the announcement does not reach is refused; acknowledging what asks for none too; unknown ones wait", arguments: StoreKind.allCases)
    func refusals(kind: StoreKind) async throws {
        let harness = try await company(kind)
        let early = F.event("r0", "ANN1", .announcementRead(AnnouncementReceipt(announcementId: "ANN1", dealerId: "D1", userId: "U-D1-A")))
        #expect(try await harness.apply(early, topic: "hub.announcement-receipts") == .unknownReference("announcement ANN1"))
        try await harness.apply(F.event("a1v1", "ANN1", .announcementPublished(policy(version: 1))), topic: "hub.announcements")

        let tier2 = F.event("r1", "ANN1", .announcementRead(AnnouncementReceipt(announcementId: "ANN1", dealerId: "D2", userId: "U-D2-A")))
        guard case .refused(let reason) = try await harness.apply(tier2, topic: "hub.announcement-receipts") else {
            Issue.record("a tier-2 dealer read a tier-1 policy")
            return
        }
        #expect(reason.contains("does not reach dealer D2"))
        #expect(try await receipt(harness, "ANN1", "D2") == nil)

        var brand = policy(version: 1, audience: .everyone)
        brand.announcementId = "ANN2"
        brand.kind = .brand
        brand.requiresAcknowledgement = false
        try await harness.apply(F.event("a2v1", "ANN2", .announcementPublished(brand)), topic: "hub.announcements")
        let acknowledging = F.event("r2", "ANN2", .announcementAcknowledged(AnnouncementReceipt(announcementId: "ANN2", dealerId: "D2", userId: "U-D2-A")))
        #expect(try await harness.apply(acknowledging, topic: "hub.announcement-receipts") == .refused("announcement ANN2 asks for no acknowledgement"))
        let reading = F.event("r3", "ANN2", .announcementRead(AnnouncementReceipt(announcementId: "ANN2", dealerId: "D2", userId: "U-D2-A")))
        #expect(try await harness.apply(reading, topic: "hub.announcement-receipts") == .applied, "everyone includes the tier-2 dealer")
        let unknownDealer = F.event("r4", "ANN2", .announcementRead(AnnouncementReceipt(announcementId: "ANN2", dealerId: "D9", userId: "U-D9-A")))
        #expect(try await harness.apply(unknownDealer, topic: "hub.announcement-receipts") == .unknownReference("dealer D9"))
    }

    @Test("whom an audience reaches, counted in SQL by branch, is what the rule says, dealer by dealer", arguments: StoreKind.allCases)
    func reachAgreesWithTheRule(kind: StoreKind) async throws {
        let harness = try RuleHarness(try TestDatabase(kind))
        typealias Line = DealerUpserted.ProductLineClass
        let dealers = [
            DealerUpserted(dealerId: "D1", name: "一", tier: .tier1, branchId: "BR-EAST", region: Region(province: "上海"),
                           productLines: [Line(productLine: .automotivePackaged, customerClass: "A"), Line(productLine: .bulk, customerClass: "C")],
                           permissionGroupIds: ["PG-AUTO"], status: .active),
            DealerUpserted(dealerId: "D2", name: "二", tier: .tier1, branchId: "BR-EAST", region: Region(province: "江苏"),
                           productLines: [Line(productLine: .bulk, customerClass: "A")], permissionGroupIds: [], status: .active),
            DealerUpserted(dealerId: "D3", name: "三", tier: .tier1, branchId: "BR-NORTH", region: Region(province: "北京"),
                           productLines: [Line(productLine: .automotivePackaged, customerClass: "B")], permissionGroupIds: [], status: .active),
            DealerUpserted(dealerId: "D4", name: "四", tier: .tier2, parentDealerId: "D1", branchId: "BR-EAST", region: Region(province: "上海"),
                           productLines: [Line(productLine: .automotivePackaged, customerClass: "A")], permissionGroupIds: [], status: .active),
            DealerUpserted(dealerId: "D5", name: "五", tier: .tier2, parentDealerId: "D3", branchId: "BR-SOUTH", region: Region(province: "广东"),
                           productLines: [], permissionGroupIds: [], status: .active),
        ]
        for dealer in dealers { #expect(try await harness.apply(F.event("md-\(dealer.dealerId)", dealer.dealerId, .dealerUpserted(dealer)), topic: "hub.dealers") == .applied) }
        // D3 is in PG-AUTO by the group's own list, not by its record: both sides count.
        let group = PermissionGroupUpserted(groupId: "PG-AUTO", name: "汽车油", dealerIds: ["D3"], catalogue: .init(productLines: [.automotivePackaged], materialIds: []),
                                            priceListId: "PL1", stockLocations: [])
        #expect(try await harness.apply(F.event("md-pg", "PG-AUTO", .permissionGroupUpserted(group)), topic: "hub.permission-groups") == .applied)
        let ids = dealers.map(\.dealerId)
        let members = try await harness.store.transaction { tables throws(StoreError) -> [Audience.Member] in
            var members: [Audience.Member] = []
            for id in ids { if let member = try tables.masterData.audienceMember(id) { members.append(member) } }
            return members
        }
        #expect(members.count == 5 && members.first { $0.dealerId == "D3" }?.permissionGroups == ["PG-AUTO"])

        let audiences = [
            Audience.everyone, Audience(branches: ["BR-EAST"]), Audience(branches: ["BR-EAST"], provinces: ["上海", "北京"]), Audience(tiers: [.tier2]),
            Audience(productLines: [.bulk]), Audience(customerClasses: ["A"]), Audience(productLines: [.bulk], customerClasses: ["A"]),
            Audience(permissionGroups: ["PG-AUTO"]), Audience(dealers: ["D3", "D5"]), Audience(branches: ["BR-NORTH"], dealers: ["D5"]),
            Audience(branches: ["BR-SOUTH"], tiers: [.tier1]), Audience(provinces: ["上海"], productLines: [.automotivePackaged], customerClasses: ["A"], permissionGroups: ["PG-AUTO"]),
        ]
        for audience in audiences {
            let counted = try await harness.store.read { reader throws(StoreError) in try reader.announcements.reach(audience, within: .everyone) }
            let ruled = Dictionary(grouping: members.filter { audience.reaches($0) }, by: \.branchId).mapValues(\.count)
            #expect(counted == ruled, "\(audience)")
        }
        let eastOnly = try await harness.store.read { reader throws(StoreError) in try reader.announcements.reach(.everyone, within: .branch("BR-EAST")) }
        #expect(eastOnly == ["BR-EAST": 3], "a branch manager's preview counts its branch's dealers only")
    }

    /// The harness's clock: 2026-11-29T00:00:00Z; orders submitted later than it are priced at it.
    static let now = Timestamp(Date(timeIntervalSince1970: 1_795_910_400))

    func promotion(_ id: String, price: String, audience: Audience, from: String = "2026-11-20T00:00:00Z", to: String = "2026-12-31T16:00:00Z",
                   version: Int = 1) -> CanonicalEvent {
        F.event("\(id)v\(version)", id, .announcementPublished(AnnouncementPublished(
            announcementId: id, version: version, kind: .promotion, title: "冬季促销 \(id)", body: "限时优惠", publishAt: Timestamp(parsing: from)!,
            expiresAt: Timestamp(parsing: to)!, audience: audience,
            promotionPrices: [.init(materialId: "M1", price: Money(amount: F.decimal(price)))], publishedBy: "U-ADMIN")))
    }

    func pricedLine(_ harness: RuleHarness, _ orderId: String) throws -> [String?] {
        try harness.rows("SELECT unit_price, promotion_id, list_unit_price FROM order_lines WHERE order_id = ? AND line_no = 1", .text(orderId))
            .first.map { [$0.string(0), $0.string(1), $0.string(2)] } ?? []
    }

    @Test("a running promotion prices the order line for its audience and is named on it; a withdrawn, ended or elsewhere-aimed one does not",
          arguments: StoreKind.allCases)
    func promotionPricesOrders(kind: StoreKind) async throws {
        let harness = try await company(kind)
        #expect(try await harness.apply(promotion("PROMO-N", price: "80.00", audience: Audience(branches: ["BR-NORTH"])), topic: "hub.announcements") == .applied)
        #expect(try await harness.apply(promotion("PROMO-OLD", price: "70.00", audience: .everyone, from: "2026-11-01T00:00:00Z", to: "2026-11-28T00:00:00Z"),
                                        topic: "hub.announcements") == .applied)
        #expect(try await harness.apply(F.submit("O-LIST", [("M1", "10", .spot)])) == .applied)
        #expect(try pricedLine(harness, "O-LIST") == ["100", nil, nil], "BR-NORTH's promotion does not reach D1; the other ended")

        #expect(try await harness.apply(promotion("PROMO-E", price: "90.00", audience: Audience(branches: ["BR-EAST"], tiers: [.tier1])), topic: "hub.announcements") == .applied)
        #expect(try await harness.apply(F.submit("O-PROMO", [("M1", "10", .spot)])) == .applied)
        #expect(try pricedLine(harness, "O-PROMO") == ["90", "PROMO-E", "100"])
        #expect(try harness.rows("SELECT total FROM orders WHERE order_id = 'O-PROMO'").first?.string(0) == "900")
        let view = try await harness.store.read { reader throws(StoreError) in try reader.orderViews.view("O-PROMO", at: Self.now) }
        #expect(view?.lines.first?.promotionId == "PROMO-E", "the order's view says which promotion priced the line")

        // What the dealer's catalogue shows is what the order was priced at.
        let prices = try await harness.store.read { reader throws(StoreError) in try reader.catalogue.prices(dealerId: "D1", materialId: "M1", at: Self.now) }
        #expect(prices.map(\.unitPrice) == ["100.00"] && prices.first?.promotion?.unitPrice == "90" && prices.first?.promotion?.announcementId == "PROMO-E")

        // A changed promotion replaces its prices; a withdrawn one stops.
        #expect(try await harness.apply(promotion("PROMO-E", price: "95.00", audience: Audience(branches: ["BR-EAST"]), version: 2), topic: "hub.announcements") == .applied)
        #expect(try await harness.apply(F.submit("O-CHANGED", [("M1", "1", .spot)])) == .applied)
        #expect(try pricedLine(harness, "O-CHANGED") == ["95", "PROMO-E", "100"])
        let withdrawn = AnnouncementWithdrawn(announcementId: "PROMO-E", version: 2, withdrawnBy: "U-ADMIN", reason: "库存不足")
        #expect(try await harness.apply(F.event("pw", "PROMO-E", .announcementWithdrawn(withdrawn)), topic: "hub.announcements") == .applied)
        #expect(try await harness.apply(F.submit("O-AFTER", [("M1", "1", .spot)])) == .applied)
        #expect(try pricedLine(harness, "O-AFTER") == ["100", nil, nil])
        let after = try await harness.store.read { reader throws(StoreError) in try reader.catalogue.prices(dealerId: "D1", materialId: "M1", at: Self.now) }
        #expect(after.first?.promotion == nil)
    }

    @Test("a new product's materials are in no catalogue, and not orderable, until its announcement is published; then marked new; withdrawn, ordinary",
          arguments: StoreKind.allCases)
    func newProducts(kind: StoreKind) async throws {
        let harness = try await company(kind)
        func launch(_ version: Int, publishAt: String) -> CanonicalEvent {
            F.event("np\(version)", "NEW1", .announcementPublished(AnnouncementPublished(
                announcementId: "NEW1", version: version, kind: .newProduct, title: "新品上市", body: "M2 上市", publishAt: Timestamp(parsing: publishAt)!,
                audience: .everyone, materialIds: ["M2"], publishedBy: "U-ADMIN")))
        }
        func catalogue() async throws -> [String: CatalogueReadModel.NewProduct?] {
            let materials = try await harness.store.read { reader throws(StoreError) in
                try reader.catalogue.materials(dealerId: "D1", productLine: nil, after: nil, limit: 10, at: Self.now)
            }
            return Dictionary(uniqueKeysWithValues: materials.map { ($0.materialId, $0.newProduct) })
        }
        #expect(try await harness.apply(launch(1, publishAt: "2026-12-10T00:00:00Z"), topic: "hub.announcements") == .applied)
        #expect(try await catalogue().keys.sorted() == ["M1"], "M2 waits for its launch")
        #expect(try await harness.apply(F.submit("O-EARLY", [("M2", "1", .madeToOrder)])) == .applied)
        #expect(try harness.rows("SELECT status FROM orders WHERE order_id = 'O-EARLY'").first?.string(0) == "rejected", "not orderable before its launch")

        #expect(try await harness.apply(launch(2, publishAt: "2026-11-28T00:00:00Z"), topic: "hub.announcements") == .applied)
        let launched = try await catalogue()
        #expect(launched.keys.sorted() == ["M1", "M2"] && launched["M2"]??.announcementId == "NEW1" && launched["M1"]! == nil)
        #expect(try await harness.apply(F.submit("O-LAUNCHED", [("M2", "1", .madeToOrder)])) == .applied)
        #expect(try harness.rows("SELECT status FROM orders WHERE order_id = 'O-LAUNCHED'").first?.string(0) == "accepted")

        let withdrawn = AnnouncementWithdrawn(announcementId: "NEW1", version: 2, withdrawnBy: "U-ADMIN")
        #expect(try await harness.apply(F.event("npw", "NEW1", .announcementWithdrawn(withdrawn)), topic: "hub.announcements") == .applied)
        let after = try await catalogue()
        #expect(after.keys.sorted() == ["M1", "M2"] && after["M2"]! == nil, "withdrawn: an ordinary material again")
    }

    @Test("a scheduled announcement is put in force once when its publishAt comes, audited by the hub; withdrawn or already in force, never", arguments: StoreKind.allCases)
    func scheduledNotice(kind: StoreKind) async throws {
        let harness = try await company(kind)
        // The harness's clock is 2026-11-28: F.at (2026-12-01) is ahead of it.
        try await harness.apply(F.event("a1v1", "ANN1", .announcementPublished(policy(version: 1))), topic: "hub.announcements")
        var withdrawnOne = policy(version: 1)
        withdrawnOne.announcementId = "ANN2"
        try await harness.apply(F.event("a2v1", "ANN2", .announcementPublished(withdrawnOne)), topic: "hub.announcements")
        let withdrawal = AnnouncementWithdrawn(announcementId: "ANN2", version: 1, withdrawnBy: "U-ADMIN", reason: "取消")
        #expect(try await harness.apply(F.event("a2w1", "ANN2", .announcementWithdrawn(withdrawal)), topic: "hub.announcements") == .applied)
        var atOnce = policy(version: 1)
        atOnce.announcementId = "ANN3"
        atOnce.publishAt = Timestamp(parsing: "2026-11-27T00:00:00Z")!
        try await harness.apply(F.event("a3v1", "ANN3", .announcementPublished(atOnce)), topic: "hub.announcements")

        let notices = ScheduledNotices(store: harness.store, interval: .seconds(1), logger: Logger(label: "test"))
        #expect(try await notices.noticeOnce(now: F.at.date.addingTimeInterval(-1)).isEmpty, "a second early: nothing is in force yet")
        #expect(try await notices.noticeOnce(now: F.at.date) == ["ANN1"], "at publishAt: the scheduled one, not the withdrawn or the one in force when published")
        #expect(try await notices.noticeOnce(now: F.at.date.addingTimeInterval(60)).isEmpty, "given once")
        let audited = try harness.rows("""
            SELECT subject_id, action, actor FROM audit_log WHERE action = 'announcement.in-force' ORDER BY seq
            """).map { "\($0.string(0) ?? "") \($0.string(1) ?? "") \($0.string(2) ?? "")" }
        #expect(audited == ["ANN1 announcement.in-force hub"])
        let keyed = try harness.rows("SELECT COUNT(*) FROM outbox WHERE message_key = 'announcement:ANN1'").first?.int64(0)
        #expect(keyed == 2, "its creation and its coming in force: the entries a dealer's stream places notices by")

        // A newer version moved to later is due again at its own moment.
        var moved = policy(version: 2, title: "改期")
        moved.publishAt = Timestamp(parsing: "2026-12-02T00:00:00Z")!
        try await harness.apply(F.event("a1v2", "ANN1", .announcementPublished(moved)), topic: "hub.announcements")
        #expect(try await notices.noticeOnce(now: F.at.date.addingTimeInterval(3_600)).isEmpty)
        #expect(try await notices.noticeOnce(now: moved.publishAt.date) == ["ANN1"])
    }
}
