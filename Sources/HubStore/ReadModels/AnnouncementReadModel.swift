public import HubContracts
public import HubDomain

/// Announcements as dealers and staff read them (R5): what is in force, a dealer's receipts, whom
/// an audience reaches and how far it has been read — by branch.
public struct AnnouncementReadModel {
    let db: any SQLDatabase

    private static let columns = "a.document, a.withdrawn_at, a.withdrawn_by, a.withdrawn_reason"

    /// The announcements in force at `now` — published by then, not withdrawn, not expired —
    /// newest first. Their audiences are matched by the caller (``Audience/reaches(_:)``): a few
    /// hundred at most are in force at once.
    public func inForce(at now: Timestamp) throws(StoreError) -> [StoredAnnouncement] {
        try db.query("""
            SELECT \(Self.columns) FROM announcements a
            WHERE a.withdrawn_at IS NULL AND a.publish_at <= ? AND (a.expires_at IS NULL OR a.expires_at > ?)
            ORDER BY a.publish_at DESC, a.announcement_id
            """, .text(now.text), .text(now.text)).compactMap(Self.stored)
    }

    /// The announcements published ahead of their `publishAt` whose moment has come by `now` and
    /// whose live notice has not been given yet (``AnnouncementTable/claimNotice(_:at:)``), the earliest first.
    public func noticesDue(at now: Timestamp, limit: Int) throws(StoreError) -> [String] {
        try db.query("""
            SELECT announcement_id FROM announcements WHERE notice_due_ms IS NOT NULL AND notice_due_ms <= ? ORDER BY notice_due_ms, announcement_id LIMIT ?
            """, .integer(now.milliseconds), .integer(Int64(limit))).compactMap { $0.string(0) }
    }

    /// Every announcement, newest first — for staff: `branchId` limits them to the company's own
    /// and that branch's (nil: all).
    public func all(branchId: String?, limit: Int, offset: Int) throws(StoreError) -> [StoredAnnouncement] {
        let (condition, binds): (String, [SQLValue]) = branchId.map { ("a.branch_id IS NULL OR a.branch_id = ?", [.text($0)]) } ?? ("1 = 1", [])
        return try db.query("""
            SELECT \(Self.columns) FROM announcements a WHERE \(condition)
            ORDER BY a.publish_at DESC, a.announcement_id LIMIT ? OFFSET ?
            """, binds + [.integer(Int64(limit)), .integer(Int64(offset))]).compactMap(Self.stored)
    }

    public func announcement(_ announcementId: String) throws(StoreError) -> StoredAnnouncement? {
        try db.first("SELECT \(Self.columns) FROM announcements a WHERE a.announcement_id = ?", .text(announcementId)).flatMap(Self.stored)
    }

    /// A dealer's receipts of these announcements, by announcement.
    public func receipts(dealerId: String, of announcementIds: [String]) throws(StoreError) -> [String: DealerReceipt] {
        guard !announcementIds.isEmpty else { return [:] }
        var receipts: [String: DealerReceipt] = [:]
        for row in try db.query("""
            SELECT announcement_id, read_at, read_by, acknowledged_at, acknowledged_by FROM announcement_receipts
            WHERE dealer_id = ? AND announcement_id IN (\(SQLText.placeholders(announcementIds.count)))
            """, [.text(dealerId)] + announcementIds.map(SQLValue.text)) {
            receipts[row.string(0) ?? ""] = DealerReceipt(readAt: row.string(1).flatMap(Timestamp.init(parsing:)), readBy: row.string(2),
                                                          acknowledgedAt: row.string(3).flatMap(Timestamp.init(parsing:)), acknowledgedBy: row.string(4))
        }
        return receipts
    }

    /// What an audience reads of every dealer, in three queries: the plain way to count an
    /// audience (the benchmark's baseline for ``reach(_:within:)``).
    public func allAudienceMembers() throws(StoreError) -> [Audience.Member] {
        var lines: [String: [DealerUpserted.ProductLineClass]] = [:]
        for row in try db.query("SELECT dealer_id, product_line, customer_class FROM dealer_product_lines ORDER BY dealer_id, product_line") {
            lines[row.string(0) ?? "", default: []].append(.init(productLine: ProductLine(rawValue: row.string(1) ?? ""), customerClass: row.string(2) ?? ""))
        }
        var groups: [String: Set<String>] = [:]
        for row in try db.query("SELECT dealer_id, group_id FROM dealer_groups UNION SELECT dealer_id, group_id FROM group_dealers") {
            groups[row.string(0) ?? "", default: []].insert(row.string(1) ?? "")
        }
        return try db.query("SELECT dealer_id, branch_id, province, tier FROM dealers").map { row in
            let dealerId = row.string(0) ?? ""
            return Audience.Member(dealerId: dealerId, branchId: row.string(1) ?? "", province: row.string(2) ?? "", tier: DealerTier(rawValue: row.string(3) ?? ""),
                                   lines: lines[dealerId] ?? [], permissionGroups: groups[dealerId] ?? [])
        }
    }

    /// What an audience reads of a dealer; nil when the dealer is not known.
    public func audienceMember(_ dealerId: String) throws(StoreError) -> Audience.Member? {
        try MasterDataTable(db: db).audienceMember(dealerId)
    }

    /// Of `dealerIds`, those not of `branchId` (unknown ones included), sorted.
    public func dealers(_ dealerIds: [String], outsideBranch branchId: String) throws(StoreError) -> [String] {
        guard !dealerIds.isEmpty else { return [] }
        let inside = Set(try db.query("SELECT dealer_id FROM dealers WHERE branch_id = ? AND dealer_id IN (\(SQLText.placeholders(dealerIds.count)))",
                                      [.text(branchId)] + dealerIds.map(SQLValue.text)).compactMap { $0.string(0) })
        return dealerIds.filter { !inside.contains($0) }.sorted()
    }

    /// Of `materialIds`, those the hub does not know, sorted.
    public func unknownMaterials(_ materialIds: [String]) throws(StoreError) -> [String] {
        guard !materialIds.isEmpty else { return [] }
        let known = Set(try db.query("SELECT material_id FROM materials WHERE material_id IN (\(SQLText.placeholders(materialIds.count)))",
                                     materialIds.map(SQLValue.text)).compactMap { $0.string(0) })
        return materialIds.filter { !known.contains($0) }.sorted()
    }

    /// How many dealers `audience` reaches in each branch, among those `visibility` lets the caller
    /// see — the same rule as ``Audience/reaches(_:)``, in SQL over every dealer.
    public func reach(_ audience: Audience, within visibility: DealerVisibility) throws(StoreError) -> [String: Int] {
        let (reached, binds) = Self.condition(audience)
        let (visible, visibleBinds) = visibility.condition(on: "d.dealer_id")
        var counts: [String: Int] = [:]
        for row in try db.query("SELECT d.branch_id, COUNT(*) FROM dealers d WHERE (\(reached)) AND \(visible) GROUP BY d.branch_id", binds + visibleBinds) {
            counts[row.string(0) ?? ""] = row.int(1)
        }
        return counts
    }

    /// Of the dealers an announcement reaches now, per branch: how many, how many read it, how
    /// many acknowledged it — among the dealers `visibility` lets the caller see.
    public func readership(_ announcement: AnnouncementPublished, within visibility: DealerVisibility) throws(StoreError) -> [String: Readership] {
        let (reached, binds) = Self.condition(announcement.audience)
        let (visible, visibleBinds) = visibility.condition(on: "d.dealer_id")
        var counts: [String: Readership] = [:]
        for row in try db.query("""
            SELECT d.branch_id, COUNT(*), COUNT(r.read_at), COUNT(r.acknowledged_at)
            FROM dealers d LEFT JOIN announcement_receipts r ON r.announcement_id = ? AND r.dealer_id = d.dealer_id
            WHERE (\(reached)) AND \(visible) GROUP BY d.branch_id
            """, [.text(announcement.announcementId)] + binds + visibleBinds) {
            counts[row.string(0) ?? ""] = Readership(reached: row.int(1), read: row.int(2), acknowledged: row.int(3))
        }
        return counts
    }

    /// ``Audience/reaches(_:)`` as a condition on `dealers d`.
    static func condition(_ audience: Audience) -> (sql: String, binds: [SQLValue]) {
        if audience.isEveryone { return ("1 = 1", []) }
        var criteria: [String] = []
        var binds: [SQLValue] = []
        func within(_ column: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            criteria.append("\(column) IN (\(SQLText.placeholders(values.count)))")
            binds += values.map(SQLValue.text)
        }
        within("d.branch_id", audience.branches)
        within("d.province", audience.provinces)
        within("d.tier", audience.tiers.map(\.rawValue))
        if !audience.productLines.isEmpty || !audience.customerClasses.isEmpty {
            var line = ["l.dealer_id = d.dealer_id"]
            if !audience.productLines.isEmpty {
                line.append("l.product_line IN (\(SQLText.placeholders(audience.productLines.count)))")
            }
            if !audience.customerClasses.isEmpty {
                line.append("l.customer_class IN (\(SQLText.placeholders(audience.customerClasses.count)))")
            }
            criteria.append("EXISTS (SELECT 1 FROM dealer_product_lines l WHERE \(line.joined(separator: " AND ")))")
            binds += audience.productLines.map { .text($0.rawValue) } + audience.customerClasses.map(SQLValue.text)
        }
        if !audience.permissionGroups.isEmpty {
            // A dealer's groups come from both sides: the group's list and the dealer's own record (the ERP's).
            let placeholders = SQLText.placeholders(audience.permissionGroups.count)
            criteria.append("""
                d.dealer_id IN (SELECT dealer_id FROM dealer_groups WHERE group_id IN (\(placeholders))
                                UNION SELECT dealer_id FROM group_dealers WHERE group_id IN (\(placeholders)))
                """)
            binds += audience.permissionGroups.map(SQLValue.text) + audience.permissionGroups.map(SQLValue.text)
        }
        var alternatives: [String] = []
        if !criteria.isEmpty { alternatives.append("(" + criteria.joined(separator: " AND ") + ")") }
        if !audience.dealers.isEmpty {
            alternatives.append("d.dealer_id IN (\(SQLText.placeholders(audience.dealers.count)))")
            binds += audience.dealers.map(SQLValue.text)
        }
        return (alternatives.joined(separator: " OR "), binds)
    }

    private static func stored(_ row: SQLRow) -> StoredAnnouncement? {
        guard let published = StoredJSON.decode(AnnouncementPublished.self, row.string(0)) else { return nil }
        return StoredAnnouncement(published: published, withdrawnAt: row.string(1).flatMap(Timestamp.init(parsing:)), withdrawnBy: row.string(2), withdrawnReason: row.string(3))
    }
}

/// Of the dealers an announcement reaches in a branch: how many, how many read it, how many acknowledged it.
public struct Readership: Sendable, Equatable {
    public var reached: Int
    public var read: Int
    public var acknowledged: Int

    public init(reached: Int, read: Int, acknowledged: Int) { (self.reached, self.read, self.acknowledged) = (reached, read, acknowledged) }
}
