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
    }

    let db: any SQLDatabase

    public func records(for reader: Reader, _ filter: Filter) throws(StoreError) -> [Record] {
        let (scope, scopeBinds) = try condition(for: reader)
        var sql = """
            SELECT seq, record_id, dealer_id, material_id, quantity, sold_at, customer_kind, customer_id, province, city, unit_price
            FROM sell_through st WHERE \(scope)
            """
        var binds = scopeBinds
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
        return try db.query(sql + " ORDER BY st.seq DESC LIMIT ?", binds + [.integer(Int64(filter.limit))]).map { row in
            Record(seq: row.int64(0), recordId: row.string(1) ?? "", dealerId: row.string(2) ?? "", materialId: row.string(3) ?? "",
                   quantity: row.string(4) ?? "", soldAt: row.string(5) ?? "",
                   customer: .init(kind: row.string(6) ?? "", id: row.string(7), province: row.string(8) ?? "", city: row.string(9)),
                   unitPrice: row.string(10))
        }
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
