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
        // Whom it counts for (the figures), as the dealer is now; one version on.
        try db.execute("""
            UPDATE contracts SET (branch_id, sales_rep_id, province) = (SELECT d.branch_id, d.sales_rep_id, d.province FROM dealers d WHERE d.dealer_id = ?),
                version = version + 1
            WHERE contract_id = ?
            """, .text(contract.dealerId), .text(contract.contractId))
    }

    /// A dealer's contracts, the earliest first (cancelled ones too: they say so).
    public func contracts(of dealerId: String) throws(StoreError) -> [ContractUpserted] {
        try storedContracts(of: dealerId).map(\.contract)
    }

    /// A dealer's contracts with their versions, the earliest first.
    public func storedContracts(of dealerId: String) throws(StoreError) -> [StoredContract] {
        try stored("dealer_id = ? ORDER BY c.valid_from, c.contract_id", .text(dealerId))
    }

    /// One contract with its version and the dealer's branch; nil when the hub does not have it.
    public func contract(_ contractId: String) throws(StoreError) -> StoredContract? {
        try stored("contract_id = ?", .text(contractId)).first
    }

    private func stored(_ condition: String, _ bind: SQLValue) throws(StoreError) -> [StoredContract] {
        try db.query("""
            SELECT c.contract_id, c.dealer_id, c.product_line, c.valid_from, c.valid_to, c.contracted_litres, c.contracted_kilograms, c.status, c.lines,
                   c.version, d.branch_id
            FROM contracts c LEFT JOIN dealers d ON d.dealer_id = c.dealer_id WHERE c.\(condition)
            """, bind).compactMap { row in
            guard let from = row.string(3).flatMap(CalendarDate.init), let to = row.string(4).flatMap(CalendarDate.init),
                  let status = row.string(7).flatMap(ContractUpserted.Status.init(rawValue:)) else { return nil }
            let contract = ContractUpserted(contractId: row.string(0) ?? "", dealerId: row.string(1) ?? "", productLine: ProductLine(rawValue: row.string(2) ?? ""),
                                            validFrom: from, validTo: to, lines: StoredJSON.decode([ContractUpserted.Line].self, row.string(8)) ?? [],
                                            contractedLitres: row.string(5).flatMap(DecimalNumber.init), contractedKilograms: row.string(6).flatMap(DecimalNumber.init),
                                            status: status)
            return StoredContract(contract: contract, version: row.int64(9), branchId: row.string(10))
        }
    }
}

/// A contract as the store holds it: what was last sent or adjusted, its version, and the branch of its dealer.
public struct StoredContract: Sendable, Equatable {
    public var contract: ContractUpserted
    public var version: Int64
    public var branchId: String?

    /// Its fields as the audit log shows them.
    public var auditFields: [String: String] {
        var fields = ["dealerId": contract.dealerId, "productLine": contract.productLine.rawValue, "validFrom": contract.validFrom.text,
                      "validTo": contract.validTo.text, "status": contract.status.rawValue]
        if let litres = contract.contractedLitres { fields["contractedLitres"] = litres.text }
        if let kilograms = contract.contractedKilograms { fields["contractedKilograms"] = kilograms.text }
        return fields
    }
}
