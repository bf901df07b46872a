import Foundation
public import HubContracts
public import HubDomain

/// Running and coming promotions' prices (R5) for some materials, with the audience and window of
/// each: what `PromotionPricing` weighs against a dealer's price list. Withdrawn promotions have no
/// rows; an offer whose announcement cannot be read is left out (never priced on a guess).
public struct PromotionOfferReader {
    let db: any SQLDatabase

    /// The offers on each of `materialIds` not ended before `notEndedBefore`, by material.
    public func offers(materialIds: Set<String>, notEndedBefore: Timestamp) throws(StoreError) -> [String: [PromotionPricing.Offer]] {
        guard !materialIds.isEmpty else { return [:] }
        let ids = materialIds.sorted()
        let rows = try db.query("""
            SELECT p.material_id, p.announcement_id, p.unit_price, p.currency, p.publish_at, p.expires_at, a.document
            FROM promotion_prices p JOIN announcements a ON a.announcement_id = p.announcement_id
            WHERE p.material_id IN (\(SQLText.placeholders(ids.count))) AND a.withdrawn_at IS NULL
            ORDER BY p.material_id, p.announcement_id
            """, ids.map(SQLValue.text))
        var announcements: [String: AnnouncementPublished] = [:]
        var offers: [String: [PromotionPricing.Offer]] = [:]
        for row in rows {
            guard let material = row.string(0), let id = row.string(1), let price = row.string(2).flatMap(DecimalNumber.init),
                  let publishAt = row.string(4).flatMap(Timestamp.init(parsing:)), let expiresAt = row.string(5).flatMap(Timestamp.init(parsing:)),
                  expiresAt >= notEndedBefore else { continue }
            if announcements[id] == nil { announcements[id] = StoredJSON.decode(AnnouncementPublished.self, row.string(6)) }
            guard let announcement = announcements[id] else { continue }
            offers[material, default: []].append(PromotionPricing.Offer(
                announcementId: id, title: announcement.title, unitPrice: price.value, currency: row.string(3) ?? "",
                publishAt: publishAt, expiresAt: expiresAt, audience: announcement.audience))
        }
        return offers
    }
}
