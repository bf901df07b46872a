public import HubContracts

/// New products (R5): the materials a new-product announcement names are not in any catalogue —
/// nor orderable — until it is published; once published they are, in the catalogue of the groups
/// that grant them, marked new while the announcement is in force. A withdrawn announcement's
/// materials are ordinary materials again.
public struct NewProductReader {
    let db: any SQLDatabase

    /// Of `materialIds` (all materials when nil), those a new-product announcement still to be published at `now` holds back.
    public func unlaunched(_ materialIds: Set<String>?, at now: Timestamp) throws(StoreError) -> Set<String> {
        var sql = """
            SELECT n.material_id FROM new_product_materials n WHERE n.publish_at > ?
            AND NOT EXISTS (SELECT 1 FROM new_product_materials p WHERE p.material_id = n.material_id AND p.publish_at <= ?)
            """
        var binds: [SQLValue] = [.text(now.text), .text(now.text)]
        if let materialIds {
            guard !materialIds.isEmpty else { return [] }
            sql += " AND n.material_id IN (\(SQLText.placeholders(materialIds.count)))"
            binds += materialIds.sorted().map(SQLValue.text)
        }
        return Set(try db.query(sql, binds).compactMap { $0.string(0) })
    }

    /// The materials launched by a new-product announcement in force at `now`, each with that announcement (id, title).
    public func launched(at now: Timestamp) throws(StoreError) -> [String: (announcementId: String, title: String)] {
        var launched: [String: (String, String)] = [:]
        for row in try db.query("""
            SELECT n.material_id, a.announcement_id, a.title FROM new_product_materials n JOIN announcements a ON a.announcement_id = n.announcement_id
            WHERE a.withdrawn_at IS NULL AND a.publish_at <= ? AND (a.expires_at IS NULL OR a.expires_at > ?) ORDER BY a.publish_at DESC
            """, .text(now.text), .text(now.text)) where launched[row.string(0) ?? ""] == nil {
            launched[row.string(0) ?? ""] = (row.string(1) ?? "", row.string(2) ?? "")
        }
        return launched
    }
}
