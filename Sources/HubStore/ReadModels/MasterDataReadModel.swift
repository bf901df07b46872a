/// The master data the company administers, as the API reads it to check and answer an edit.
public struct MasterDataReadModel {
    let db: any SQLDatabase
    private var table: MasterDataTable { MasterDataTable(db: db) }

    public func permissionGroup(_ groupId: String) throws(StoreError) -> StoredPermissionGroup? { try table.permissionGroup(groupId) }

    /// Every permission group, or with `within` only those a manager of that branch administers
    /// (no member dealer of another branch).
    public func permissionGroups(within branch: String? = nil) throws(StoreError) -> [(groupId: String, name: String, version: Int64)] {
        try table.permissionGroups(within: branch)
    }

    public func warehouse(_ warehouseId: String) throws(StoreError) -> StoredWarehouse? { try table.warehouse(warehouseId) }

    /// Every warehouse, or with `within` only that branch's.
    public func warehouses(within branch: String? = nil) throws(StoreError) -> [StoredWarehouse] { try table.warehouses(within: branch) }

    /// A material's litres and kilograms per unit and its cost per plant; nil when it is not known.
    public func materialFacts(_ materialId: String) throws(StoreError) -> MaterialFacts? { try table.materialFacts(materialId) }

    /// Which of `ids` exist.
    public func known(_ ids: [String], in kind: MasterDataKind) throws(StoreError) -> Set<String> { try table.known(ids, in: kind) }

    /// A dealer as the core holds it; nil when it is not known.
    public func dealer(_ dealerId: String) throws(StoreError) -> DealerRecord? { try table.dealer(dealerId) }

    /// A dealer's permission groups by where the membership comes from: the ERP's customer master
    /// (KVGR1–5, on the dealer's record) and the groups' own dealer lists (the hub's
    /// administration, or the ERP's group records).
    public func memberships(of dealerId: String) throws(StoreError) -> (fromDealerRecord: [String], fromGroups: [String]) {
        (try db.query("SELECT group_id FROM dealer_groups WHERE dealer_id = ? ORDER BY group_id", .text(dealerId)).compactMap { $0.string(0) },
         try db.query("SELECT group_id FROM group_dealers WHERE dealer_id = ? ORDER BY group_id", .text(dealerId)).compactMap { $0.string(0) })
    }

    /// Those of `dealerIds` that are known and not in `branch`.
    public func dealersOutside(branch: String, of dealerIds: [String]) throws(StoreError) -> [String] {
        var outside: [String] = []
        for start in stride(from: 0, to: dealerIds.count, by: 500) {
            let part = Array(dealerIds[start..<min(start + 500, dealerIds.count)])
            outside += try db.query("SELECT dealer_id FROM dealers WHERE branch_id <> ? AND dealer_id IN (\(SQLText.placeholders(part.count)))",
                                    [.text(branch)] + part.map(SQLValue.text)).compactMap { $0.string(0) }
        }
        return outside
    }
}
