import HubContracts
import HubStore

/// Master data from the ERP and the company (dealers, credit limits, permission groups, materials,
/// price lists, warehouses) and dealers' own stock snapshots: each record replaces what the store
/// held of it.
enum MasterDataRules {
    /// A dealer the store has never had a credit limit for starts with none to spend.
    static let noCredit = Money(amount: DecimalNumber(0), currency: "CNY")

    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let masterData = context.tables.masterData
        switch context.event.data {
        case .dealerUpserted(let dealer):
            // The ERP's customer master carries no credit limit: without one the current limit stays.
            try masterData.upsertDealer(dealer, creditLimit: dealer.creditLimit.map { .replace($0) } ?? .keepOrStartAt(noCredit))
        case .dealerCreditLimitSet(let credit):
            guard try masterData.setCreditLimit(dealerId: credit.dealerId, to: credit.creditLimit) else { return .unknownReference("dealer \(credit.dealerId)") }
        case .permissionGroupUpserted(let group):
            try masterData.upsertPermissionGroup(group)
        case .materialUpserted(let material):
            try masterData.upsertMaterial(material)
        case .priceListUpserted(let list):
            // The ERP sends one condition record (one material) at a time: the prices it names are set, the list's others stay.
            try masterData.upsertPriceList(list)
        case .warehouseUpserted(let warehouse):
            try masterData.upsertWarehouse(warehouse)
        case .dealerStockSnapshot(let snapshot):
            let trade = context.tables.dealerTrade
            // An older snapshot (or the same one again) never overwrites a newer one.
            if let held = try trade.dealerStock(dealerId: snapshot.dealerId, materialId: snapshot.materialId), let asOf = held.asOf, asOf >= snapshot.asOf {
                return .applied
            }
            try trade.setDealerStock(dealerId: snapshot.dealerId, materialId: snapshot.materialId, onHand: snapshot.onHand, asOf: snapshot.asOf,
                                     replacingAsOf: true)
        default:
            return .notHandled
        }
        return .applied
    }
}
