/// The dealers a caller may see, as every read of the API filters by it: a dealer sees itself; a
/// branch manager its branch's dealers; an area manager the dealers in its provinces; a sales
/// representative its own customers; a product-line manager the dealers granted its lines; admin
/// and systems everyone; a carrier no dealer.
public enum DealerVisibility: Sendable, Equatable {
    case everyone
    case nobody
    case dealer(String)
    case branch(String)
    case salesRep(String)
    case provinces([String])
    /// The dealers a permission group granting one of these product lines is granted to (by the
    /// group's list or the dealer's record).
    case productLines([String])

    /// `column IN (…)` (or TRUE/FALSE) with its bound values.
    func condition(on column: String) -> (sql: String, binds: [SQLValue]) {
        switch self {
        case .everyone:
            ("1 = 1", [])
        case .nobody:
            ("1 = 0", [])
        case .dealer(let dealerId):
            ("\(column) = ?", [.text(dealerId)])
        case .branch(let branchId):
            ("\(column) IN (SELECT dealer_id FROM dealers WHERE branch_id = ?)", [.text(branchId)])
        case .salesRep(let salesRepId):
            ("\(column) IN (SELECT dealer_id FROM dealers WHERE sales_rep_id = ?)", [.text(salesRepId)])
        case .provinces(let provinces):
            ("\(column) IN (SELECT dealer_id FROM dealers WHERE province IN (\(SQLText.placeholders(max(provinces.count, 1)))))",
             (provinces.isEmpty ? [""] : provinces).map(SQLValue.text))
        case .productLines(let lines):
            // A dealer's groups come from both sides: the group's list and the dealer's own record (the ERP's).
            ("""
             \(column) IN (SELECT m.dealer_id FROM (SELECT dealer_id, group_id FROM group_dealers UNION SELECT dealer_id, group_id FROM dealer_groups) m
             JOIN group_product_lines gl ON gl.group_id = m.group_id WHERE gl.product_line IN (\(SQLText.placeholders(max(lines.count, 1)))))
             """, (lines.isEmpty ? [""] : lines).map(SQLValue.text))
        }
    }
}
