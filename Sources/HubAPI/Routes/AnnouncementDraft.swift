import HubContracts
import HubDomain

/// An announcement as staff write it, read field by field from a request: every problem named
/// with its field (422), nothing half-read.
struct AnnouncementDraft {
    var kind: AnnouncementKind
    var title: String
    var body: String
    var links: [AnnouncementPublished.Link]
    var attachments: [AnnouncementPublished.Attachment]
    var publishAt: Timestamp
    var expiresAt: Timestamp?
    var audience: Audience
    var requiresAcknowledgement: Bool
    var promotionPrices: [AnnouncementPublished.PromotionPrice]
    var materialIds: [String]

    /// The draft in `fields`, or nil with the problems recorded there. `publishAt` defaults to `now`.
    static func read(_ fields: inout RequestFields, now: Timestamp) -> AnnouncementDraft? {
        let kindText = fields.string("kind", required: true, maxLength: 20)
        let kind = kindText.map(AnnouncementKind.init(rawValue:))
        if let kind, !AnnouncementKind.known.contains(kind) { fields.fail("kind", "policy, brand, promotion or new-product") }
        let title = fields.string("title", required: true, maxLength: 120)
        let body = fields.string("body", required: true, maxLength: 20_000)
        let links = fields.objects("links", count: 0...20).compactMap { item -> AnnouncementPublished.Link? in
            var item = item
            item.allowOnly(["title", "url"])
            let title = item.string("title", required: true, maxLength: 200)
            let url = item.string("url", required: true, maxLength: 2_000)
            if let url, !isWebAddress(url) { item.fail("url", "an http or https address of printable ASCII without spaces, quotes or angle brackets") }
            fields.absorb(item)
            guard let title, let url, isWebAddress(url) else { return nil }
            return .init(title: title, url: url)
        }
        let attachments = fields.objects("attachments", count: 0...20).compactMap { item -> AnnouncementPublished.Attachment? in
            var item = item
            item.allowOnly(["name", "reference", "mediaType"])
            let name = item.string("name", required: true, maxLength: 200)
            let reference = item.string("reference", required: true, maxLength: 500)
            let mediaType = item.string("mediaType", maxLength: 100)
            if let mediaType, !isMediaType(mediaType) { item.fail("mediaType", "a media type such as application/pdf") }
            fields.absorb(item)
            guard let name, let reference else { return nil }
            return .init(name: name, reference: reference, mediaType: mediaType)
        }
        let publishAt = fields.timestamp("publishAt") ?? now
        let expiresAt = fields.timestamp("expiresAt")
        if let expiresAt, expiresAt <= publishAt { fields.fail("expiresAt", "after publishAt (\(publishAt.text))") }
        if let expiresAt, expiresAt <= now { fields.fail("expiresAt", "in the future") }
        let audience = Self.audience(&fields)
        let requiresAcknowledgement = fields.boolean("requiresAcknowledgement") ?? false
        if requiresAcknowledgement, kind != .policy { fields.fail("requiresAcknowledgement", "only a policy asks for acknowledgement") }
        let prices = fields.objects("promotionPrices", count: 0...500).compactMap { item -> AnnouncementPublished.PromotionPrice? in
            var item = item
            item.allowOnly(["materialId", "price"])
            let materialId = item.identifier("materialId", required: true)
            let price = item.decimal("price", required: true, positive: true)
            fields.absorb(item)
            guard let materialId, let price else { return nil }
            return .init(materialId: materialId, price: Money(amount: price))
        }
        if !prices.isEmpty {
            if kind != .promotion { fields.fail("promotionPrices", "only a promotion has promotional prices") }
            if expiresAt == nil { fields.fail("expiresAt", "a promotion with prices ends: give its last moment") }
            if Set(prices.map(\.materialId)).count != prices.count { fields.fail("promotionPrices", "one price per material") }
        }
        let materialIds = fields.strings("materialIds", count: 0...200, maxLength: 64) ?? []
        if !materialIds.isEmpty, kind != .newProduct { fields.fail("materialIds", "only a new product names its materials") }
        if materialIds.contains(where: { !RequestFields.isIdentifier($0) }) { fields.fail("materialIds", "material ids: letters, digits, . _ : - (at most 64)") }
        guard let kind, AnnouncementKind.known.contains(kind), let title, let body else { return nil }
        return AnnouncementDraft(kind: kind, title: title, body: body, links: links, attachments: attachments, publishAt: publishAt, expiresAt: expiresAt,
                                 audience: audience, requiresAcknowledgement: requiresAcknowledgement, promotionPrices: prices, materialIds: materialIds)
    }

    /// The `audience` object (everyone when absent); its problems recorded under `audience.…`.
    static func audience(_ fields: inout RequestFields) -> Audience {
        guard var object = fields.object("audience") else { return .everyone }
        object.allowOnly(["branches", "provinces", "tiers", "productLines", "customerClasses", "permissionGroups", "dealers"])
        let branches = object.strings("branches", count: 0...200, maxLength: 64) ?? []
        let provinces = object.strings("provinces", count: 0...40, maxLength: 20) ?? []
        let tiers = object.strings("tiers", count: 0...2, maxLength: 10) ?? []
        if tiers.contains(where: { tier in !DealerTier.known.contains { $0.rawValue == tier } }) { object.fail("tiers", "tier1, tier2, key-account or quick-lube") }
        let lines = object.strings("productLines", count: 0...20, maxLength: 40) ?? []
        if lines.contains(where: { !ProductLine.known.map(\.rawValue).contains($0) }) { object.fail("productLines", "automotive-packaged, industrial-packaged or bulk") }
        let classes = object.strings("customerClasses", count: 0...20, maxLength: 8) ?? []
        let groups = object.strings("permissionGroups", count: 0...200, maxLength: 64) ?? []
        let dealers = object.strings("dealers", count: 0...5_000, maxLength: 64) ?? []
        for (name, ids) in [("branches", branches), ("permissionGroups", groups), ("dealers", dealers)] where ids.contains(where: { !RequestFields.isIdentifier($0) }) {
            object.fail(name, "ids: letters, digits, . _ : - (at most 64)")
        }
        fields.absorb(object)
        return Audience(branches: branches, provinces: provinces, tiers: tiers.map(DealerTier.init(rawValue:)), productLines: lines.map(ProductLine.init(rawValue:)),
                        customerClasses: classes, permissionGroups: groups, dealers: dealers)
    }

    /// http(s), then printable ASCII without spaces, quotes or angle brackets — what the catalogue's
    /// schema allows, so a link can never break out of an attribute it is written into.
    static func isWebAddress(_ text: String) -> Bool {
        guard text.hasPrefix("http://") || text.hasPrefix("https://"), text.utf8.count <= 2_010 else { return false }
        let rest = text.utf8.dropFirst(text.hasPrefix("https://") ? 8 : 7)
        return !rest.isEmpty && rest.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }
    }

    static func isMediaType(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        return parts[0].allSatisfy { $0.isASCII && $0.isLowercase } && parts[1].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".+-".contains($0)) }
    }
}
