public import HubStore

/// The dealers a principal may see, as an SQL condition on a dealer-id column: a dealer sees
/// itself; a branch manager its branch's dealers; an area manager the dealers in its provinces; a
/// sales representative its own customers; admin and systems everyone; a carrier no dealer.
public struct DealerScope: Sendable {
    public let principal: Principal

    public init(_ principal: Principal) {
        self.principal = principal
    }

    /// `column IN (…)` (or TRUE/FALSE) with its bound values.
    public func condition(on column: String) -> (sql: String, binds: [SQLValue]) {
        switch principal.role {
        case .admin, .system:
            return ("1 = 1", [])
        case .carrier:
            return ("1 = 0", [])
        case .dealer:
            return ("\(column) = ?", [.text(principal.dealerId ?? "")])
        case .branchManager:
            return ("\(column) IN (SELECT dealer_id FROM dealers WHERE branch_id = ?)", [.text(principal.branchId ?? "")])
        case .salesRep:
            return ("\(column) IN (SELECT dealer_id FROM dealers WHERE sales_rep_id = ?)", [.text(principal.salesRepId ?? "")])
        case .areaManager:
            let provinces = principal.provinces.isEmpty ? [""] : principal.provinces
            return ("\(column) IN (SELECT dealer_id FROM dealers WHERE province IN (\(SQLText.placeholders(provinces.count))))",
                    provinces.map(SQLValue.text))
        }
    }

    /// Whether the principal may see `dealerId` (one query; `false` for an unknown dealer unless admin or system).
    public func includes(_ dealerId: String, in db: any SQLDatabase) throws(StoreError) -> Bool {
        let (sql, binds) = condition(on: "d.dealer_id")
        return try db.query("SELECT 1 FROM dealers d WHERE d.dealer_id = ? AND \(sql)", [.text(dealerId)] + binds).first != nil
            || ((principal.role == .admin || principal.role == .system) && !dealerId.isEmpty)
    }
}
