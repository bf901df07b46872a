import HubAPI
import HubContracts
import HubStore
import Hummingbird

/// Master data the company administers (R2), for administrators and branch managers: permission
/// groups (who is in them, which product lines and materials they grant, at which price list,
/// from which stock locations, how far their members see sell-through) and warehouses — listed
/// in the visitor's reach, created and changed through `PUT /v1/permission-groups/{id}` and
/// `PUT /v1/warehouses/{id}` (the version the page read goes with the change: a stale page is
/// answered with what moved). A branch manager sees only its branch's.
extension Console {
    func permissionGroups(_ visitor: ConsoleVisitor) async throws -> Page {
        let reach = try MasterDataReach.of(visitor.principal)
        let within = reach.branch
        let groups = try await services.database.read { reader throws(StoreError) in try reader.masterData.permissionGroups(within: within) }
        let language = visitor.language
        return Page(template: "permission-groups", title: ConsoleText.text("permissionGroups", language), context: [
            "groups": groups.map { ["groupId": $0.groupId, "name": $0.name, "version": $0.version] as [String: Any] },
            "empty": groups.isEmpty,
            "found": ConsoleText.text("foundItems", language).replacingOccurrences(of: "{n}", with: "\(groups.count)"),
        ])
    }

    /// A group's form: the stored group (404 outside the visitor's reach), or a new one for `new`.
    func permissionGroupPage(_ groupId: String, _ visitor: ConsoleVisitor) async throws -> Page {
        let reach = try MasterDataReach.of(visitor.principal)
        let language = visitor.language
        let isNew = groupId == "new"
        var group = PermissionGroupUpserted(groupId: "", name: "", dealerIds: [], catalogue: .init(productLines: [], materialIds: []), priceListId: "",
                                            stockLocations: [], flows: .init(reach: .own))
        var version: Int64 = 0
        if !isNew {
            guard RequestFields.isIdentifier(groupId), try await reach.mayEdit(group: groupId, in: services.database),
                  let stored = try await services.database.read({ reader throws(StoreError) in try reader.masterData.permissionGroup(groupId) }) else {
                throw APIProblem.notFound("permission group \(groupId)")
            }
            (group, version) = (stored.group, stored.version)
        }
        let granted = Set(group.catalogue.productLines)
        let reachNow = group.flows?.reach ?? .own
        return Page(template: "permission-group", title: isNew ? ConsoleText.text("newPermissionGroup", language) : group.name, context: [
            "isNew": isNew, "groupId": group.groupId, "name": group.name, "priceListId": group.priceListId, "version": version,
            "api": isNew ? "/v1/permission-groups/{groupId}" : "/v1/permission-groups/\(group.groupId)",
            "dealerIds": group.dealerIds.joined(separator: "\n"), "dealerCount": group.dealerIds.count,
            "materialIds": group.catalogue.materialIds.joined(separator: "\n"),
            "stockLocations": group.stockLocations.map { $0.warehouseId + ($0.locationId.map { "/" + $0 } ?? "") }.joined(separator: "\n"),
            "productLines": ProductLine.known.map { line -> [String: Any] in
                ["value": line.rawValue, "label": ConsoleText.text("line." + line.rawValue, language), "checked": granted.contains(line)]
            },
            "flows": FlowReach.allCases.map { flow -> [String: Any] in
                ["value": flow.rawValue, "label": ConsoleText.text("flows." + flow.rawValue, language), "selected": flow == reachNow]
            },
            "branchOnly": reach.branch ?? "",
        ])
    }

    func warehouses(_ visitor: ConsoleVisitor) async throws -> Page {
        let within = try MasterDataReach.of(visitor.principal).branch
        let found = try await services.database.read { reader throws(StoreError) in try reader.masterData.warehouses(within: within) }
        let language = visitor.language
        return Page(template: "warehouses", title: ConsoleText.text("warehouses", language), context: [
            "warehouses": found.map { warehouse -> [String: Any] in
                ["warehouseId": warehouse.warehouseId, "name": warehouse.name, "plantId": warehouse.plantId, "branch": warehouse.branchId ?? "—",
                 "where": [warehouse.province, warehouse.city].compactMap { $0 }.joined(separator: " "), "version": warehouse.version]
            },
            "empty": found.isEmpty,
            "found": ConsoleText.text("foundItems", language).replacingOccurrences(of: "{n}", with: "\(found.count)"),
        ])
    }

    /// A warehouse's form: the stored one (404 outside the visitor's branch), or a new one for `new`
    /// (a branch manager's always in its own branch).
    func warehousePage(_ warehouseId: String, _ visitor: ConsoleVisitor) async throws -> Page {
        let reach = try MasterDataReach.of(visitor.principal)
        let language = visitor.language
        let isNew = warehouseId == "new"
        var stored: StoredWarehouse?
        if !isNew {
            stored = RequestFields.isIdentifier(warehouseId) ? try await services.database.read { reader throws(StoreError) in try reader.masterData.warehouse(warehouseId) } : nil
            guard let found = stored, reach.covers(branch: found.branchId) else { throw APIProblem.notFound("warehouse \(warehouseId)") }
        }
        var context: [String: Any] = [
            "isNew": isNew, "version": stored?.version ?? 0,
            "api": isNew ? "/v1/warehouses/{warehouseId}" : "/v1/warehouses/" + warehouseId,
            "fixedBranch": reach.branch ?? "", "askBranch": reach.branch == nil,
            "provinces": Region.provinces.map { ["name": $0] },
        ]
        if let stored {
            context["warehouseId"] = stored.warehouseId
            context["name"] = stored.name
            context["plantId"] = stored.plantId
            context["branchId"] = stored.branchId ?? ""
            context["province"] = stored.province ?? ""
            context["city"] = stored.city ?? ""
        }
        return Page(template: "warehouse", title: stored?.name ?? ConsoleText.text("newWarehouse", language), context: context)
    }
}
