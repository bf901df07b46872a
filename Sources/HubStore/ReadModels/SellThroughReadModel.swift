public import HubContracts

/// The dealers' sell-through records (流向, R2/R3) as each reader may see them: a dealer its own,
/// and what its permission groups' flows add (``FlowReach``) of the materials those groups grant;
/// staff the records of the dealers in their scope (a product-line manager only its lines'
/// materials); newest recorded first.
public struct SellThroughReadModel {
    /// Who reads.
    public enum Reader: Sendable, Equatable {
        case staff(DealerVisibility)
        case dealer(String)
    }

    public struct Filter: Sendable, Equatable {
        /// Exactly this dealer's records.
        public var dealerId: String?
        public var materialId: String?
        public var customerKind: CustomerKind?
        /// The province the goods went to.
        public var province: String?
        /// Sold at or after.
        public var from: Timestamp?
        /// Sold before.
        public var to: Timestamp?
        /// Recorded before this position in the list (a page's cursor).
        public var before: Int64?
        public var limit = 100
        public init() {}
    }

    public struct Record: Sendable, Equatable, Codable {
        public struct Customer: Sendable, Equatable, Codable {
            public var kind: String
            public var id: String?
            public var province: String
            public var city: String?
        }
        /// The record's place in the list (what a page's cursor names).
        public var seq: Int64
        public var recordId: String
        public var dealerId: String
        public var materialId: String
        public var quantity: String
        public var soldAt: String
        public var customer: Customer
        public var unitPrice: String?
        /// The dealer's own province when the record came: goods that went to another one were sold across regions.
        public var dealerProvince: String?

        /// Whether the goods went to another province than the dealer's (a sale across regions, 窜货 when the
        /// territory forbids it).
        public var crossRegion: Bool { dealerProvince.map { !$0.isEmpty && $0 != customer.province } ?? false }
    }

    /// Where a reader's goods went: per province, the records and the litres.
    public struct Destination: Sendable, Equatable {
        public var province: String
        public var records: Int
        public var millilitres: Int64
        /// Of those, sold outside the selling dealer's own province.
        public var crossRegionRecords: Int
    }

    let db: any SQLDatabase

    public func records(for reader: Reader, _ filter: Filter) throws(StoreError) -> [Record] {
        let (scope, scopeBinds) = try condition(for: reader)
        let sql = """
            SELECT seq, record_id, dealer_id, material_id, quantity, sold_at, customer_kind, customer_id, province, city, unit_price, dealer_province
            FROM sell_through st WHERE \(scope)
            """
        let (filtered, filterBinds) = Self.narrowing(filter)
        return try db.query(sql + filtered + " ORDER BY st.seq DESC LIMIT ?", scopeBinds + filterBinds + [.integer(Int64(filter.limit))]).map { row in
            Record(seq: row.int64(0), recordId: row.string(1) ?? "", dealerId: row.string(2) ?? "", materialId: row.string(3) ?? "",
                   quantity: row.string(4) ?? "", soldAt: row.string(5) ?? "",
                   customer: .init(kind: row.string(6) ?? "", id: row.string(7), province: row.string(8) ?? "", city: row.string(9)),
                   unitPrice: row.string(10), dealerProvince: row.string(11))
        }
    }

    /// The filter's conditions (past the reader's scope), with their binds; the cursor too.
    static func narrowing(_ filter: Filter) -> (sql: String, binds: [SQLValue]) {
        var sql = ""
        var binds: [SQLValue] = []
        func add(_ clause: String, _ value: SQLValue?) {
            guard let value else { return }
            sql += " AND \(clause)"
            binds.append(value)
        }
        add("st.dealer_id = ?", filter.dealerId.map(SQLValue.text))
        add("st.material_id = ?", filter.materialId.map(SQLValue.text))
        add("st.customer_kind = ?", filter.customerKind.map { .text($0.rawValue) })
        add("st.province = ?", filter.province.map(SQLValue.text))
        add("st.sold_at_ms >= ?", filter.from.map { .integer($0.milliseconds) })
        add("st.sold_at_ms < ?", filter.to.map { .integer($0.milliseconds) })
        add("st.seq < ?", filter.before.map(SQLValue.integer))
        return (sql, binds)
    }

    /// Where the reader's goods went under `filter` (its cursor and limit aside): per province, most litres first.
    public func destinations(for reader: Reader, _ filter: Filter) throws(StoreError) -> [Destination] {
        var unpaged = filter
        unpaged.before = nil
        let (scope, scopeBinds) = try condition(for: reader)
        let (filtered, filterBinds) = Self.narrowing(unpaged)
        return try db.query("""
            SELECT st.province, COUNT(*), CAST(COALESCE(SUM(st.sold_ml), 0) AS BIGINT),
                   SUM(CASE WHEN st.dealer_province IS NOT NULL AND st.dealer_province <> '' AND st.dealer_province <> st.province THEN 1 ELSE 0 END)
            FROM sell_through st WHERE \(scope)\(filtered) GROUP BY st.province ORDER BY 3 DESC, st.province
            """, scopeBinds + filterBinds).map {
            Destination(province: $0.string(0) ?? "", records: $0.int(1), millilitres: $0.int64(2), crossRegionRecords: $0.int(3))
        }
    }

    /// The anti-counterfeit system's cross-region flags (a genuine code scanned outside its dealer's territory) for the
    /// dealers the reader answers for — a dealer its own — newest first: what the channel's sales across regions are
    /// read beside.
    public func crossRegionFlags(for reader: Reader, limit: Int = 50) throws(StoreError) -> [AuthenticityFlagged] {
        let (scope, binds): (String, [SQLValue])
        switch reader {
        case .dealer(let dealerId): (scope, binds) = ("f.dealer_id = ?", [.text(dealerId)])
        case .staff(let visibility): (scope, binds) = visibility.condition(on: "f.dealer_id")
        }
        return try db.query("""
            SELECT f.document FROM authenticity_flags f WHERE f.reason = 'cross-region' AND f.dealer_id IS NOT NULL AND \(scope)
            ORDER BY f.scan_id DESC LIMIT ?
            """, binds + [.integer(Int64(limit))]).compactMap { StoredJSON.decode(AuthenticityFlagged.self, $0.string(0)) }
    }

    /// The records of `st` the reader may see, as a condition with its binds.
    func condition(for reader: Reader) throws(StoreError) -> (sql: String, binds: [SQLValue]) {
        switch reader {
        case .staff(let visibility):
            let (dealers, binds) = visibility.condition(on: "st.dealer_id")
            guard case .productLines(let lines) = visibility else { return (dealers, binds) }
            // A product-line manager answers for its lines: the other lines' records are not its business.
            let placeholders = SQLText.placeholders(max(lines.count, 1))
            return ("\(dealers) AND st.material_id IN (SELECT material_id FROM materials WHERE product_line IN (\(placeholders)))",
                    binds + (lines.isEmpty ? [""] : lines).map(SQLValue.text))
        case .dealer(let dealerId):
            var clauses = ["st.dealer_id = ?"]
            var binds: [SQLValue] = [.text(dealerId)]
            for (groupId, reach) in try widening(of: dealerId) {
                let dealers: (sql: String, binds: [SQLValue])
                switch reach {
                case .own: continue
                case .ownAndTier2: dealers = ("st.dealer_id IN (SELECT dealer_id FROM dealers WHERE parent_dealer_id = ?)", [.text(dealerId)])
                case .group: dealers = PermissionGrants.members(of: groupId, column: "st.dealer_id")
                }
                let materials = PermissionGrants.materials(of: [groupId], column: "st.material_id")
                clauses.append("(\(dealers.sql) AND \(materials.sql))")
                binds += dealers.binds + materials.binds
            }
            return ("(" + clauses.joined(separator: " OR ") + ")", binds)
        }
    }

    /// The dealer's groups whose flows reach beyond its own records.
    func widening(of dealerId: String) throws(StoreError) -> [(groupId: String, reach: FlowReach)] {
        let groups = try PermissionGrants(db: db).groups(of: dealerId)
        guard !groups.isEmpty else { return [] }
        return try db.query("SELECT group_id, flow_reach FROM permission_groups WHERE flow_reach <> 'own' AND group_id IN (\(SQLText.placeholders(groups.count))) ORDER BY group_id",
                            groups.map(SQLValue.text)).compactMap { row in
            guard let groupId = row.string(0), let reach = row.string(1).flatMap(FlowReach.init(rawValue:)) else { return nil }
            return (groupId, reach)
        }
    }
}
