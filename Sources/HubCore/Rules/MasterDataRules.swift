import HubContracts
import HubStore

/// Master data from the ERP and the company (dealers, credit limits, permission groups, materials,
/// price lists, warehouses, quantity contracts, fund entries) and dealers' own stock snapshots: each record
/// replaces what the store held of it.
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
            let before = try group.changedBy.map { _ throws(StoreError) in try masterData.permissionGroup(group.groupId) } ?? nil
            try masterData.upsertPermissionGroup(group)
            if let person = group.changedBy {
                try audit(context, by: person, kind: "permission-group", id: group.groupId, created: before == nil,
                          before: before?.auditFields, after: try masterData.permissionGroup(group.groupId)?.auditFields)
            }
        case .materialUpserted(let material):
            try masterData.upsertMaterial(material)
        case .priceListUpserted(let list):
            // The ERP sends one condition record (one material) at a time: the prices it names are set, the list's others stay.
            try masterData.upsertPriceList(list)
        case .warehouseUpserted(let warehouse):
            let before = try warehouse.changedBy.map { _ throws(StoreError) in try masterData.warehouse(warehouse.warehouseId) } ?? nil
            try masterData.upsertWarehouse(warehouse)
            if let person = warehouse.changedBy {
                try audit(context, by: person, kind: "warehouse", id: warehouse.warehouseId, created: before == nil,
                          before: before?.auditFields, after: try masterData.warehouse(warehouse.warehouseId)?.auditFields)
            }
        case .contractUpserted(let contract):
            // A contract of a dealer the ERP has not sent yet: held until it has.
            guard try masterData.dealer(contract.dealerId) != nil else { return .unknownReference("dealer \(contract.dealerId)") }
            let contracts = context.tables.contracts
            let before = try contract.changedBy.map { _ throws(StoreError) in try contracts.contract(contract.contractId) } ?? nil
            try contracts.upsert(contract)
            if let person = contract.changedBy {
                try audit(context, by: person, kind: "contract", id: contract.contractId, created: before == nil,
                          before: before?.auditFields, after: try contracts.contract(contract.contractId)?.auditFields)
            }
        case .fundPosted(let fund):
            // An entry of a dealer the ERP has not sent yet: held until it has.
            guard try masterData.dealer(fund.dealerId) != nil else { return .unknownReference("dealer \(fund.dealerId)") }
            try context.tables.funds.upsert(fund)
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

    /// A change a person made through the API: its audit entry and `hub.audit` event, in the
    /// transaction that applies it (the API waits for that event's outbox row, keyed `kind:id`).
    static func audit(_ context: RuleContext, by person: String, kind: String, id: String, created: Bool,
                      before: [String: String]?, after: [String: String]?) throws(StoreError) {
        try context.tables.audit.record(ChangeActor(id: person, source: context.event.source, traceParent: context.trace),
                                        action: "\(kind).\(created ? "created" : "changed")", kind: kind, id: id, before: before, after: after,
                                        at: context.now, topic: context.topics.audit)
    }
}
