import HubContracts
import HubStore
import Hummingbird

/// A dealer's permission groups, administered from the dealer's side (R2):
/// `GET /v1/dealers/{dealerId}/groups` says which groups the dealer has and where each membership
/// comes from; `PUT /v1/dealers/{dealerId}/groups` with `{"groupIds": [...]}` makes the dealer a
/// member of exactly those groups. A membership is a group's dealer list, so each group the change
/// touches is published again on `hub.permission-groups` (with `changedBy`), applied by the core
/// and audited as any group change — one path. Memberships the ERP's customer master gives
/// (KVGR1–5 on the dealer's record) are the ERP's: taking one away is refused with the reason.
/// Administrators administer any dealer; a branch manager its branch's dealers, in the groups it
/// administers. Another's dealer is 404.
enum MembershipRoutes {
    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.get("dealers/:dealerId/groups") { _, context in
            let principal = try context.caller()
            let dealerId = try MasterDataRoutes.pathId(context, "dealerId")
            let held = try await memberships(dealerId, principal, services)
            return APIResponse.json(.ok, encoding: MembershipJSON(dealerId: dealerId, held))
        }
        router.put("dealers/:dealerId/groups") { request, context in try await put(request, context, services) }
    }

    struct Held: Sendable {
        var fromERP: [String]
        var fromGroups: [String]
        var all: [String] { Array(Set(fromERP).union(fromGroups)).sorted() }
    }

    struct MembershipJSON: Encodable {
        var dealerId: String
        var groupIds: [String]
        /// Given by the ERP's customer master: changed in SAP, not here.
        var fromERP: [String]
        var changed: [String]?
        init(dealerId: String, _ held: Held, changed: [String]? = nil) {
            (self.dealerId, groupIds, fromERP, self.changed) = (dealerId, held.all, held.fromERP, changed)
        }
    }

    /// The dealer's memberships, when the caller administers the dealer (404 otherwise).
    static func memberships(_ dealerId: String, _ principal: Principal, _ services: APIServices) async throws -> Held {
        let reach = try MasterDataReach.of(principal)
        let found = try await services.database.read { reader throws(StoreError) -> (DealerRecord?, [String], [String]) in
            let held = try reader.masterData.memberships(of: dealerId)
            return (try reader.masterData.dealer(dealerId), held.fromDealerRecord, held.fromGroups)
        }
        guard let dealer = found.0, reach.covers(branch: dealer.branchId) else { throw APIProblem.notFound("dealer \(dealerId)") }
        return Held(fromERP: found.1, fromGroups: found.2)
    }

    static func put(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let dealerId = try MasterDataRoutes.pathId(context, "dealerId")
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(["groupIds"])
        let listed = fields.strings("groupIds", count: 0...100, maxLength: 64)
        if listed == nil, !fields.issues.contains(where: { $0.hasPrefix("groupIds") }) {
            fields.fail("groupIds", "is required: every group the dealer is to be in (those the ERP gives included)")
        }
        let asked = listed ?? []
        for (index, id) in asked.enumerated() where !RequestFields.isIdentifier(id) { fields.fail("groupIds[\(index)]", "not an identifier") }
        try fields.check("memberships")
        let held = try await memberships(dealerId, principal, services)
        let wanted = Set(asked)
        var issues = Set(held.fromERP).subtracting(wanted).sorted().map {
            "groupIds: \($0) is given by the ERP's customer master (KVGR1–5): take it away in SAP"
        }
        let adding = wanted.subtracting(held.all).sorted()
        let removing = Set(held.fromGroups).subtracting(wanted).subtracting(held.fromERP).sorted()
        var groups: [PermissionGroupUpserted] = []
        for groupId in adding + removing {
            let stored = try await services.database.read { reader throws(StoreError) in try reader.masterData.permissionGroup(groupId) }
            guard let stored, try await MasterDataReach.of(principal).mayEdit(group: groupId, in: services.database) else {
                issues.append("groupIds: group \(groupId) is not known")
                continue
            }
            var group = stored.group
            group.dealerIds = adding.contains(groupId) ? (group.dealerIds + [dealerId]).sorted() : group.dealerIds.filter { $0 != dealerId }
            group.changedBy = principal.subject
            groups.append(group)
        }
        if !issues.isEmpty { throw APIProblem.unprocessable("the memberships cannot be set so", issues: issues) }
        for group in groups {
            try await MasterDataRoutes.publishAndWait(.permissionGroupUpserted(group), subject: group.groupId, kind: "permission-group",
                                                      topic: services.commands.topics.permissionGroups, catalogueTopic: TopicName.permissionGroups,
                                                      services: services)
        }
        let now = try await memberships(dealerId, principal, services)
        let applied = Set(now.all) == wanted.union(held.fromERP)
        return APIResponse.json(applied ? .ok : .accepted, encoding: MembershipJSON(dealerId: dealerId, now, changed: groups.map(\.groupId)))
    }
}
