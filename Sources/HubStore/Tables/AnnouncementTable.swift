public import HubContracts

/// Announcements to dealers (R5) as last published, and each dealer's first read and first
/// acknowledgement of them. The whole announcement is kept as published (`document`); the columns
/// beside it are what lists and counts select on.
public struct AnnouncementTable {
    let db: any SQLDatabase

    /// The version the hub holds of an announcement, and whether it was withdrawn; nil when unknown.
    public func state(of announcementId: String) throws(StoreError) -> (version: Int, withdrawn: Bool)? {
        try db.first("SELECT version, withdrawn_at IS NOT NULL FROM announcements WHERE announcement_id = ?", .text(announcementId)).map {
            ($0.int(0), $0.int(1) != 0)
        }
    }

    /// Keeps `announcement` as published at `at` (a withdrawal before it is lifted: a newer version
    /// is published again).
    public func upsert(_ announcement: AnnouncementPublished, at: Timestamp) throws(StoreError) {
        try TableWrites.upsert("announcements", key: ["announcement_id"], columns: [
            "announcement_id": .text(announcement.announcementId), "version": .integer(Int64(announcement.version)),
            "kind": .text(announcement.kind.rawValue), "title": .text(announcement.title),
            "publish_at": .text(announcement.publishAt.text), "expires_at": SQLValue(announcement.expiresAt?.text),
            "requires_ack": .integer(announcement.requiresAcknowledgement ? 1 : 0), "published_by": .text(announcement.publishedBy),
            "branch_id": SQLValue(announcement.branchId), "document": .text(StoredJSON.encode(announcement)), "updated_at": .text(at.text),
            "withdrawn_at": .null, "withdrawn_by": .null, "withdrawn_reason": .null,
            "notice_due_ms": announcement.publishAt > at ? .integer(announcement.publishAt.milliseconds) : .null,
        ], in: db)
        try keepPromotionPrices(of: announcement)
        try keepNewProducts(of: announcement)
    }

    /// A new product's materials as published replace those it had.
    private func keepNewProducts(of announcement: AnnouncementPublished) throws(StoreError) {
        try db.execute("DELETE FROM new_product_materials WHERE announcement_id = ?", .text(announcement.announcementId))
        guard announcement.kind == .newProduct else { return }
        for material in Set(announcement.materialIds) {
            try db.execute("INSERT INTO new_product_materials (material_id, announcement_id, publish_at) VALUES (?, ?, ?)",
                           .text(material), .text(announcement.announcementId), .text(announcement.publishAt.text))
        }
    }

    /// A promotion's prices as published replace those it had; a promotion without an end offers none.
    private func keepPromotionPrices(of announcement: AnnouncementPublished) throws(StoreError) {
        try db.execute("DELETE FROM promotion_prices WHERE announcement_id = ?", .text(announcement.announcementId))
        guard announcement.kind == .promotion, let expiresAt = announcement.expiresAt else { return }
        for price in announcement.promotionPrices {
            try db.execute("""
                INSERT INTO promotion_prices (material_id, announcement_id, unit_price, currency, publish_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                """, .text(price.materialId), .text(announcement.announcementId), .text(price.price.amount.text), .text(price.price.currency),
                .text(announcement.publishAt.text), .text(expiresAt.text))
        }
    }

    /// Withdraws an announcement; a promotion's prices stop with it.
    public func withdraw(_ withdrawn: AnnouncementWithdrawn, at: Timestamp) throws(StoreError) {
        try db.execute("""
            UPDATE announcements SET withdrawn_at = ?, withdrawn_by = ?, withdrawn_reason = ?, updated_at = ?, notice_due_ms = NULL WHERE announcement_id = ?
            """,
                       .text(at.text), .text(withdrawn.withdrawnBy), SQLValue(withdrawn.reason), .text(at.text), .text(withdrawn.announcementId))
        try db.execute("DELETE FROM promotion_prices WHERE announcement_id = ?", .text(withdrawn.announcementId))
        try db.execute("DELETE FROM new_product_materials WHERE announcement_id = ?", .text(withdrawn.announcementId))
    }

    /// Marks the announcement's live notice given if it was due by `now` (published ahead of its
    /// `publishAt`, not given yet, not withdrawn): whether it was, so only one transaction gives it.
    public func claimNotice(_ announcementId: String, at now: Timestamp) throws(StoreError) -> Bool {
        try db.execute("UPDATE announcements SET notice_due_ms = NULL WHERE announcement_id = ? AND notice_due_ms IS NOT NULL AND notice_due_ms <= ?",
                       .text(announcementId), .integer(now.milliseconds)) > 0
    }

    /// Records that the dealer read the announcement at `at`, unless it had already; whether this was its first read.
    @discardableResult
    public func recordRead(_ receipt: AnnouncementReceipt, at: Timestamp) throws(StoreError) -> Bool {
        try ensureReceipt(receipt)
        return try db.execute("UPDATE announcement_receipts SET read_at = ?, read_by = ? WHERE announcement_id = ? AND dealer_id = ? AND read_at IS NULL",
                              .text(at.text), .text(receipt.userId), .text(receipt.announcementId), .text(receipt.dealerId)) > 0
    }

    /// Records that the dealer acknowledged the announcement at `at` (and so read it), unless it
    /// had already; whether this was its first acknowledgement.
    @discardableResult
    public func recordAcknowledgement(_ receipt: AnnouncementReceipt, at: Timestamp) throws(StoreError) -> Bool {
        try recordRead(receipt, at: at)
        return try db.execute("""
            UPDATE announcement_receipts SET acknowledged_at = ?, acknowledged_by = ? WHERE announcement_id = ? AND dealer_id = ? AND acknowledged_at IS NULL
            """, .text(at.text), .text(receipt.userId), .text(receipt.announcementId), .text(receipt.dealerId)) > 0
    }

    private func ensureReceipt(_ receipt: AnnouncementReceipt) throws(StoreError) {
        try db.execute("INSERT INTO announcement_receipts (announcement_id, dealer_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                       .text(receipt.announcementId), .text(receipt.dealerId))
    }

    /// An announcement as the hub holds it; nil when unknown.
    public func announcement(_ announcementId: String) throws(StoreError) -> StoredAnnouncement? {
        try db.first("SELECT document, withdrawn_at, withdrawn_by, withdrawn_reason FROM announcements WHERE announcement_id = ?", .text(announcementId)).flatMap { row in
            guard let published = StoredJSON.decode(AnnouncementPublished.self, row.string(0)) else { return nil }
            return StoredAnnouncement(published: published, withdrawnAt: row.string(1).flatMap(Timestamp.init(parsing:)),
                                      withdrawnBy: row.string(2), withdrawnReason: row.string(3))
        }
    }

    /// A dealer's first read and first acknowledgement of an announcement.
    public func receipt(_ announcementId: String, dealerId: String) throws(StoreError) -> DealerReceipt? {
        try db.first("""
            SELECT read_at, read_by, acknowledged_at, acknowledged_by FROM announcement_receipts WHERE announcement_id = ? AND dealer_id = ?
            """, .text(announcementId), .text(dealerId)).map {
            DealerReceipt(readAt: $0.string(0).flatMap(Timestamp.init(parsing:)), readBy: $0.string(1),
                          acknowledgedAt: $0.string(2).flatMap(Timestamp.init(parsing:)), acknowledgedBy: $0.string(3))
        }
    }
}

/// An announcement as last published, and its withdrawal if it was withdrawn.
public struct StoredAnnouncement: Sendable, Equatable {
    public var published: AnnouncementPublished
    public var withdrawnAt: Timestamp?
    public var withdrawnBy: String?
    public var withdrawnReason: String?
}

/// What the hub knows of a dealer's reading of an announcement: the first read and the first
/// acknowledgement, by whom.
public struct DealerReceipt: Sendable, Equatable {
    public var readAt: Timestamp?
    public var readBy: String?
    public var acknowledgedAt: Timestamp?
    public var acknowledgedBy: String?
}
