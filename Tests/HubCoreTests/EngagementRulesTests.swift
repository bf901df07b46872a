import Foundation
import HubContracts
import HubCore
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
}
