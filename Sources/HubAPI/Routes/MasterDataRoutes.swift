import Foundation
import HubContracts
import HubMessaging
import HubStore
import Hummingbird

/// The master data the company administers (R2), through the same path as the ERP's: an edit
/// becomes a canonical event on its topic (`hub.permission-groups`, `hub.warehouses`), the core
/// applies it exactly once and, in the same transaction, writes who changed what (the audit log
/// and `hub.audit`). The route waits for that (up to the decision wait): 200 with what the core
/// now holds, or 202 while it has not applied it yet.
///
/// - `GET /v1/permission-groups`, `GET|PUT /v1/permission-groups/{groupId}`: administrators any
///   group; a branch manager the groups whose dealers are all its branch's (before and after).
/// - `GET|PUT /v1/warehouses/{warehouseId}`: administrators; a branch manager its branch's.
/// - `PATCH /v1/dealers/{dealerId}`: refused, 409 — the ERP owns the customer master (name,
///   region, tier, credit limit); group memberships change through the groups.
///
/// An edit names the `version` it read (0 for a new one): 409 when it moved.
enum MasterDataRoutes {
    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.get("permission-groups") { _, context in
            let principal = try context.caller()
            let within = try MasterDataReach.of(principal).branch
            let groups = try await services.database.read { reader throws(StoreError) in try reader.masterData.permissionGroups(within: within) }
            return APIResponse.json(.ok, ["groups": groups.map { ["groupId": $0.groupId, "name": $0.name, "version": $0.version] as [String: any Sendable] }])
        }
        router.get("permission-groups/:groupId") { _, context in
            let principal = try context.caller()
            let groupId = try pathId(context, "groupId")
            guard try await MasterDataReach.of(principal).mayEdit(group: groupId, in: services.database),
                  let stored = try await services.database.read({ reader throws(StoreError) in try reader.masterData.permissionGroup(groupId) }) else {
                throw APIProblem.notFound("permission group \(groupId)")
            }
            return APIResponse.json(.ok, encoding: GroupJSON(stored))
        }
        router.put("permission-groups/:groupId") { request, context in try await putGroup(request, context, services) }
        router.get("warehouses/:warehouseId") { _, context in
            let principal = try context.caller()
            let warehouseId = try pathId(context, "warehouseId")
            guard let stored = try await services.database.read({ reader throws(StoreError) in try reader.masterData.warehouse(warehouseId) }),
                  try MasterDataReach.of(principal).covers(branch: stored.branchId) else {
                throw APIProblem.notFound("warehouse \(warehouseId)")
            }
            return APIResponse.json(.ok, encoding: stored)
        }
        router.put("warehouses/:warehouseId") { request, context in try await putWarehouse(request, context, services) }
        router.patch("dealers/:dealerId") { _, context -> Response in
            _ = try context.caller()
            throw APIProblem.conflict("""
                the ERP owns the customer master (name, tier, region, sales representative, credit limit): change it in SAP; the hub \
                takes it from erp.in.customers and erp.in.credit-limits. A dealer's permission groups change at \
                PUT /v1/dealers/{dealerId}/groups (or with the group: PUT /v1/permission-groups/{groupId})
                """)
        }
    }

    static func pathId(_ context: APIRequestContext, _ name: String) throws -> String {
        let id = context.parameters.get(name) ?? ""
        guard RequestFields.isIdentifier(id) else { throw APIProblem.notFound("\(name) \(id)") }
        return id
    }

    struct GroupJSON: Encodable {
        var groupId: String, name: String, dealerIds: [String], productLines: [String], materialIds: [String], priceListId: String
        var stockLocations: [PermissionGroupUpserted.StockLocation]
        var flows: PermissionGroupUpserted.Flows
        var version: Int64
        init(_ stored: StoredPermissionGroup) {
            let group = stored.group
            (groupId, name, dealerIds, priceListId, stockLocations, version) = (group.groupId, group.name, group.dealerIds, group.priceListId, group.stockLocations, stored.version)
            flows = group.flows ?? .init(reach: .own)
            productLines = group.catalogue.productLines.map(\.rawValue)
            materialIds = group.catalogue.materialIds
        }
    }

    static func putGroup(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let reach = try MasterDataReach.of(principal)
        let groupId = try pathId(context, "groupId")
        var fields = RequestFields(try await RequestFields.body(of: request, context: context, limits: RequestFields.longListLimits))
        fields.allowOnly(["version", "name", "dealerIds", "productLines", "materialIds", "priceListId", "stockLocations", "flows"])
        let version = fields.integer("version", required: true, range: 0...Int.max)
        let name = fields.string("name", required: true, maxLength: 120)
        let dealerIds = fields.strings("dealerIds", count: 0...60_000, maxLength: 64) ?? []
        let lines = fields.strings("productLines", count: 0...10, maxLength: 40) ?? []
        for (index, line) in lines.enumerated() where !ProductLine.known.map(\.rawValue).contains(line) {
            fields.fail("productLines[\(index)]", "automotive-packaged, industrial-packaged or bulk")
        }
        let materialIds = fields.strings("materialIds", count: 0...5_000, maxLength: 64) ?? []
        let priceListId = fields.identifier("priceListId", required: true)
        var locations: [PermissionGroupUpserted.StockLocation] = []
        for location in fields.objects("stockLocations", count: 0...200) {
            var location = location
            location.allowOnly(["warehouseId", "locationId"])
            if let warehouse = location.identifier("warehouseId", required: true) {
                locations.append(.init(warehouseId: warehouse, locationId: location.identifier("locationId")))
            }
            fields.absorb(location)
        }
        // Flows not named stay as they are (own for a new group).
        var flows: PermissionGroupUpserted.Flows?
        if var named = fields.object("flows") {
            named.allowOnly(["reach"])
            if let reach = named.string("reach", required: true, maxLength: 20) {
                if let reach = FlowReach(rawValue: reach) { flows = .init(reach: reach) } else { named.fail("reach", FlowReach.allCases.map(\.rawValue).joined(separator: ", ")) }
            }
            fields.absorb(named)
        }
        try fields.check("permission group")
        let named = locations
        guard let version, let name, let priceListId else { throw APIProblem.unprocessable("version, name and priceListId are required") }
        // What it names must exist; a branch manager's group holds only its branch's dealers.
        let (stored, unknown, outside) = try await services.database.read { reader throws(StoreError) in
            let master = reader.masterData
            var unknown: [String] = []
            let dealers = try master.known(dealerIds, in: .dealers)
            unknown += dealerIds.filter { !dealers.contains($0) }.prefix(10).map { "dealerIds: dealer \($0) is not known" }
            let materials = try master.known(materialIds, in: .materials)
            unknown += materialIds.filter { !materials.contains($0) }.prefix(10).map { "materialIds: material \($0) is not known" }
            if try master.known([priceListId], in: .priceLists).isEmpty { unknown.append("priceListId: price list \(priceListId) is not known") }
            let warehouses = try master.known(named.map(\.warehouseId), in: .warehouses)
            unknown += named.filter { !warehouses.contains($0.warehouseId) }.map { "stockLocations: warehouse \($0.warehouseId) is not known" }
            var outside: [String] = []
            if case .branch(let branch) = reach { outside = try master.dealersOutside(branch: branch, of: dealerIds) }
            return (try master.permissionGroup(groupId), unknown, outside)
        }
        if case .branch = reach {
            if let stored, try await !reach.mayEdit(group: stored.group.groupId, in: services.database) { throw APIProblem.notFound("permission group \(groupId)") }
            if !outside.isEmpty { throw APIProblem.unprocessable("dealerIds: a branch manager's group holds only its branch's dealers", issues: outside.prefix(10).map { "dealerIds: \($0) is another branch's" }) }
        }
        if !unknown.isEmpty { throw APIProblem.unprocessable("the group names what the hub does not know", issues: unknown) }
        let current = stored?.version ?? 0
        guard Int64(version) == current else {
            throw APIProblem.conflict("the group changed since you read it (version \(version), now \(current)): read it again and redo the change")
        }
        let group = PermissionGroupUpserted(groupId: groupId, name: name, dealerIds: dealerIds, catalogue: .init(productLines: lines.map(ProductLine.init(rawValue:)), materialIds: materialIds),
                                            priceListId: priceListId, stockLocations: locations, flows: flows, changedBy: principal.subject)
        try await publishAndWait(.permissionGroupUpserted(group), subject: groupId, kind: "permission-group", topic: services.commands.topics.permissionGroups,
                                 catalogueTopic: TopicName.permissionGroups, services: services)
        let applied = try await services.database.read { reader throws(StoreError) in try reader.masterData.permissionGroup(groupId) }
        guard let applied, applied.version > current else { return APIResponse.json(.accepted, ["groupId": groupId, "status": "pending"]) }
        return APIResponse.json(.ok, encoding: GroupJSON(applied))
    }

    static func putWarehouse(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let reach = try MasterDataReach.of(principal)
        let warehouseId = try pathId(context, "warehouseId")
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(["version", "name", "plantId", "branchId", "province", "city"])
        let version = fields.integer("version", required: true, range: 0...Int.max)
        let name = fields.string("name", required: true, maxLength: 120)
        let plantId = fields.identifier("plantId", required: true)
        let branchId = fields.identifier("branchId")
        let province = fields.string("province", required: true, maxLength: 20)
        let city = fields.string("city", maxLength: 40)
        try fields.check("warehouse")
        guard let version, let name, let plantId, let province else { throw APIProblem.unprocessable("version, name, plantId and province are required") }
        let stored = try await services.database.read { reader throws(StoreError) in try reader.masterData.warehouse(warehouseId) }
        if let stored, !reach.covers(branch: stored.branchId) { throw APIProblem.notFound("warehouse \(warehouseId)") }
        if !reach.covers(branch: branchId) { throw APIProblem.unprocessable("branchId: a branch manager's warehouses are its own branch's") }
        let current = stored?.version ?? 0
        guard Int64(version) == current else {
            throw APIProblem.conflict("the warehouse changed since you read it (version \(version), now \(current)): read it again and redo the change")
        }
        let warehouse = WarehouseUpserted(warehouseId: warehouseId, name: name, plantId: plantId, branchId: branchId, region: Region(province: province, city: city),
                                          stockLocations: [], changedBy: principal.subject)
        try await publishAndWait(.warehouseUpserted(warehouse), subject: warehouseId, kind: "warehouse", topic: services.commands.topics.warehouses,
                                 catalogueTopic: TopicName.warehouses, services: services)
        let applied = try await services.database.read { reader throws(StoreError) in try reader.masterData.warehouse(warehouseId) }
        guard let applied, applied.version > current else { return APIResponse.json(.accepted, ["warehouseId": warehouseId, "status": "pending"]) }
        return APIResponse.json(.ok, encoding: applied)
    }

    /// Publishes the change and waits (up to the decision wait) for the core's audit row of it.
    static func publishAndWait(_ data: EventData, subject: String, kind: String, topic: String, catalogueTopic: String, services: APIServices) async throws {
        var sequence = try await services.watch.current()
        let event = CanonicalEvent(id: services.identifier("ADM"), source: "api", occurredAt: services.now(), subject: subject, data: data)
        try await services.commands.publish(event, topic: topic, key: subject, catalogueTopic: catalogueTopic)
        let deadline = ContinuousClock.now + services.decisionWait
        let key = "\(kind):\(subject)"
        while ContinuousClock.now < deadline {
            let newest = await services.watch.wait(after: sequence, key: key, timeout: deadline - .now)
            if newest <= sequence { return }
            let seen = sequence
            let done = try await services.database.read { reader throws(StoreError) in try reader.outboxFeed.hasRow(key: key, after: seen) }
            if done { return }
            sequence = newest
        }
    }
}
