public import HubContracts

/// Dealers' market-development and promotion fund entries (市场开发费 / 促销费), as the ERP last
/// posted each: a budget for a period or money used on a day. An entry sent again replaces what was
/// held (a reversal included).
public struct FundTable {
    let db: any SQLDatabase

    public func upsert(_ fund: FundPosted) throws(StoreError) {
        try TableWrites.upsert("fund_entries", key: ["entry_id"], columns: [
            "entry_id": .text(fund.entryId), "dealer_id": .text(fund.dealerId), "fund": .text(fund.fund.rawValue), "entry": .text(fund.entry.rawValue),
            "product_line": SQLValue(fund.productLine?.rawValue), "period_from": .text(fund.periodFrom.text), "period_to": .text(fund.periodTo.text),
            "amount": .text(fund.amount.text), "text": SQLValue(fund.text), "status": .text(fund.status.rawValue),
        ], in: db)
        // Whom it counts for (the figures), as the dealer is now.
        try db.execute("""
            UPDATE fund_entries SET (branch_id, sales_rep_id, province) = (SELECT d.branch_id, d.sales_rep_id, d.province FROM dealers d WHERE d.dealer_id = ?)
            WHERE entry_id = ?
            """, .text(fund.dealerId), .text(fund.entryId))
    }

    /// A dealer's fund entries, the earliest first (reversed ones too: they say so).
    public func entries(of dealerId: String) throws(StoreError) -> [FundPosted] {
        try db.query("""
            SELECT entry_id, dealer_id, fund, entry, product_line, period_from, period_to, amount, text, status
            FROM fund_entries WHERE dealer_id = ? ORDER BY period_from, entry_id
            """, .text(dealerId)).compactMap { row in
            guard let fund = row.string(2).flatMap(FundPosted.Fund.init(rawValue:)), let entry = row.string(3).flatMap(FundPosted.Entry.init(rawValue:)),
                  let from = row.string(5).flatMap(CalendarDate.init), let to = row.string(6).flatMap(CalendarDate.init),
                  let amount = row.string(7).flatMap(DecimalNumber.init), let status = row.string(9).flatMap(FundPosted.Status.init(rawValue:)) else { return nil }
            return FundPosted(entryId: row.string(0) ?? "", dealerId: row.string(1) ?? "", fund: fund, entry: entry,
                              productLine: row.string(4).map(ProductLine.init(rawValue:)), periodFrom: from, periodTo: to, amount: amount,
                              text: row.string(8), status: status)
        }
    }
}
