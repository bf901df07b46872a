/// Whom an announcement or a survey reaches (R5, R6): every dealer when nothing is chosen, else the
/// dealers that match every dimension chosen (any value within one) and, besides them, the dealers
/// named. Lines and classes are read together — a class per line, as the ERP keeps it. The rule is
/// `Audience.reaches(_:)` in HubDomain; this is its shape on the wire, each list sorted and
/// without repeats.
public struct Audience: Sendable, Hashable, Codable {
    public var branches: [String]
    public var provinces: [String]
    public var tiers: [DealerTier]
    public var productLines: [ProductLine]
    public var customerClasses: [String]
    public var permissionGroups: [String]
    public var dealers: [String]

    public init(branches: [String] = [], provinces: [String] = [], tiers: [DealerTier] = [], productLines: [ProductLine] = [],
                customerClasses: [String] = [], permissionGroups: [String] = [], dealers: [String] = []) {
        self.branches = Array(Set(branches)).sorted()
        self.provinces = Array(Set(provinces)).sorted()
        self.tiers = Array(Set(tiers)).sorted { $0.rawValue < $1.rawValue }
        self.productLines = Array(Set(productLines)).sorted { $0.rawValue < $1.rawValue }
        self.customerClasses = Array(Set(customerClasses)).sorted()
        self.permissionGroups = Array(Set(permissionGroups)).sorted()
        self.dealers = Array(Set(dealers)).sorted()
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func list<T: Decodable>(_ key: CodingKeys) throws -> [T] { try container.decodeIfPresent([T].self, forKey: key) ?? [] }
        self.init(branches: try list(.branches), provinces: try list(.provinces), tiers: try list(.tiers), productLines: try list(.productLines),
                  customerClasses: try list(.customerClasses), permissionGroups: try list(.permissionGroups), dealers: try list(.dealers))
    }

    /// Every dealer.
    public static let everyone = Audience()
}

/// What an announcement is about (R5).
public struct AnnouncementKind: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Company policy (政策): may require each dealer to acknowledge it.
    public static let policy = AnnouncementKind(rawValue: "policy")
    /// Brand news (品牌).
    public static let brand = AnnouncementKind(rawValue: "brand")
    /// A promotion (促销), optionally with promotional prices for materials while it runs.
    public static let promotion = AnnouncementKind(rawValue: "promotion")
    /// New products (新品), linking their materials.
    public static let newProduct = AnnouncementKind(rawValue: "new-product")
    public static let known: [AnnouncementKind] = [.policy, .brand, .promotion, .newProduct]
}

/// `announcement.published` on `hub.announcements`: an announcement as it now stands — first
/// published, or changed (a higher `version`). Dealers it reaches see it from `publishAt` until
/// `expiresAt`.
public struct AnnouncementPublished: Sendable, Hashable, Codable {
    public struct Link: Sendable, Hashable, Codable {
        public var title: String
        /// http(s) only.
        public var url: String
        public init(title: String, url: String) { (self.title, self.url) = (title, url) }
    }

    /// A file kept elsewhere (the company's document store), by reference: the hub stores no files.
    public struct Attachment: Sendable, Hashable, Codable {
        public var name: String
        public var reference: String
        public var mediaType: String?
        public init(name: String, reference: String, mediaType: String? = nil) { (self.name, self.reference, self.mediaType) = (name, reference, mediaType) }
    }

    /// A material's price for the promotion's audience while it runs.
    public struct PromotionPrice: Sendable, Hashable, Codable {
        public var materialId: String
        public var price: Money
        public init(materialId: String, price: Money) { (self.materialId, self.price) = (materialId, price) }
    }

    public var announcementId: String
    /// 1 when first published; each change publishes the whole announcement again, one higher.
    public var version: Int
    public var kind: AnnouncementKind
    public var title: String
    /// Plain text: paragraphs split by a blank line, lines starting `- ` a list, `**…**` bold.
    /// Never HTML: whatever it holds is shown as text.
    public var body: String
    public var links: [Link]
    public var attachments: [Attachment]
    public var publishAt: Timestamp
    public var expiresAt: Timestamp?
    public var audience: Audience
    /// Each dealer reached must acknowledge it (policies).
    public var requiresAcknowledgement: Bool
    /// Promotions only.
    public var promotionPrices: [PromotionPrice]
    /// New products only: the materials they are.
    public var materialIds: [String]
    /// The staff member who published it.
    public var publishedBy: String
    /// The branch whose staff published it; absent for the company's own.
    public var branchId: String?

    public init(announcementId: String, version: Int, kind: AnnouncementKind, title: String, body: String, links: [Link] = [], attachments: [Attachment] = [],
                publishAt: Timestamp, expiresAt: Timestamp? = nil, audience: Audience, requiresAcknowledgement: Bool = false,
                promotionPrices: [PromotionPrice] = [], materialIds: [String] = [], publishedBy: String, branchId: String? = nil) {
        (self.announcementId, self.version, self.kind, self.title, self.body) = (announcementId, version, kind, title, body)
        (self.links, self.attachments, self.publishAt, self.expiresAt, self.audience) = (links, attachments, publishAt, expiresAt, audience)
        (self.requiresAcknowledgement, self.promotionPrices, self.materialIds) = (requiresAcknowledgement, promotionPrices, materialIds)
        (self.publishedBy, self.branchId) = (publishedBy, branchId)
    }
}

/// `announcement.withdrawn` on `hub.announcements`: taken back before it expired; dealers no longer
/// see it, and a promotion's prices stop.
public struct AnnouncementWithdrawn: Sendable, Hashable, Codable {
    public var announcementId: String
    /// The version withdrawn (the latest published).
    public var version: Int
    public var withdrawnBy: String
    public var reason: String?

    public init(announcementId: String, version: Int, withdrawnBy: String, reason: String? = nil) {
        (self.announcementId, self.version, self.withdrawnBy, self.reason) = (announcementId, version, withdrawnBy, reason)
    }
}

/// `announcement.read` and `announcement.acknowledged` on `hub.announcement-receipts`: a dealer's
/// user opened an announcement, or acknowledged a policy (the envelope's `occurredAt` is when).
/// The first of each per dealer counts.
public struct AnnouncementReceipt: Sendable, Hashable, Codable {
    public var announcementId: String
    public var dealerId: String
    public var userId: String

    public init(announcementId: String, dealerId: String, userId: String) {
        (self.announcementId, self.dealerId, self.userId) = (announcementId, dealerId, userId)
    }
}
