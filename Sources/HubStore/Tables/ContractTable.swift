public import HubContracts

/// Dealers' quantity contracts (签约量), as the ERP last sent each: what a dealer agreed to take of a
/// product line over a period, in litres and/or kilograms. A contract sent again replaces what was
/// held (the ERP's document is the truth, a cancellation included).
public struct ContractTable {
    let db: any SQLDatabase

    public func upsert(_ contract: ContractUpserted) throws(StoreError) {
        try TableWrites.upsert("contracts", key: ["contract_id"], columns: [
            "contract_id": .text(contract.contractId), "dealer_id": .text(contract.dealerId), "product_line": .text(contract.productLine.rawValue),
            "valid_from": .text(contract.validFrom.text), "valid_to": .text(contract.validTo.text),
            "contracted_litres": SQLValue(contract.contractedLitres?.text), "contracted_kilograms": SQLValue(contract.contractedKilograms?.text),
            "status": .text(contract.status.rawValue), "lines": .text(StoredJSON.encode(contract.lines)),
        ], in: db)
        // Whom it counts for (the figures), as the dealer is now.
        try db.execute("""
            UPDATE contracts SET (branch_id, sales_rep_id, province) = (SELECT d.branch_id, d.sales_rep_id, d.province FROM dealers d WHERE d.dealer_id = ?)
            WHERE contract_id = ?
            """, .text(contract.dealerId), .text(contract.contractId))
    }

    /// A dealer's contracts, the earliest first (cancelled ones too: they say so).
    public func contracts(of dealerId: String) throws(StoreError) -> [ContractUpserted] {
        try db.query("""
            SELECT contract_id, product_line, valid_from, valid_to, contracted_litres, contracted_kilograms, status, lines
            FROM contracts WHERE dealer_id = ? ORDER BY valid_from, contract_id
            """, .text(dealerId)).compactMap { row in
            guard let from = row.string(2).flatMap(CalendarDate.init), let to = row.string(3).flatMap(CalendarDate.init),
                  let status = row.string(6).flatMap(ContractUpserted.Status.init(rawValue:)) else { return nil }
            return ContractUpserted(contractId: row.string(0) ?? "", dealerId: dealerId, productLine: ProductLine(rawValue: row.string(1) ?? ""),
                                    validFrom: from, validTo: to, lines: StoredJSON.decode([ContractUpserted.Line].self, row.string(7)) ?? [],
                                    contractedLitres: row.string(4).flatMap(DecimalNumber.init), contractedKilograms: row.string(5).flatMap(DecimalNumber.init),
                                    status: status)
        }
    }
}
