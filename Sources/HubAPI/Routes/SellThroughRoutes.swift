import HubContracts
import HubStore
import Hummingbird

/// Flows (流向): `GET /v1/sell-through` lists the dealers' sell-through records — where goods went
/// after the dealer — newest recorded first, as the reader may see them: a dealer its own, and
/// what its permission groups' flows add (its tier-2 dealers' or the group's other members', of
/// the materials the group grants); staff those of the dealers in their scope (a product-line
/// manager its lines'); systems all. Filters: `dealerId`, `materialId`, `customerKind`,
/// `province` (where the goods went), `from` / `to` (sold at, RFC 3339 UTC), `limit` (1–200) and
/// the `cursor` a page gave. Dealers' systems send the records at `POST /v1/dealer-system/sell-through`
/// or on `dealer.in.sell-through`; the core keeps them from `hub.sell-through`.
enum SellThroughRoutes {
    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.get("sell-through") { request, context in
            let reader = try reader(context)
            let query = request.uri.queryParameters
            var issues: [String] = []
            var filter = SellThroughReadModel.Filter()
            func identifier(_ name: String) -> String? {
                guard let value = query[Substring(name)].map(String.init) else { return nil }
                if RequestFields.isIdentifier(value) { return value }
                issues.append("\(name): not an identifier")
                return nil
            }
            func time(_ name: String) -> Timestamp? {
                guard let value = query[Substring(name)].map(String.init) else { return nil }
                if let time = Timestamp(parsing: value) { return time }
                issues.append("\(name): an RFC 3339 UTC time, e.g. 2026-11-01T00:00:00Z")
                return nil
            }
            filter.dealerId = identifier("dealerId")
            filter.materialId = identifier("materialId")
            if let kind = query["customerKind"].map(String.init) {
                let known: [CustomerKind] = [.tier2, .endCustomer, .keyAccount, .quickLube]
                if known.map(\.rawValue).contains(kind) {
                    filter.customerKind = CustomerKind(rawValue: kind)
                } else {
                    issues.append("customerKind: \(known.map(\.rawValue).joined(separator: ", "))")
                }
            }
            if let province = query["province"].map(String.init) {
                if (1...20).contains(province.count) { filter.province = province } else { issues.append("province: 1 to 20 characters") }
            }
            filter.from = time("from")
            filter.to = time("to")
            if let from = filter.from, let to = filter.to, from >= to { issues.append("to: after from") }
            if let cursor = query["cursor"].map(String.init) {
                if let position = Int64(cursor), position > 0 { filter.before = position } else { issues.append("cursor: not a cursor this API gave") }
            }
            let limit = Paging.limit(query["limit"], issues: &issues)
            filter.limit = limit + 1
            if !issues.isEmpty { throw APIProblem.unprocessable("the query is not valid: \(issues.joined(separator: "; "))", issues: issues) }
            let records = try await services.database.read { [filter] store throws(StoreError) in try store.sellThrough.records(for: reader, filter) }
            let page = Array(records.prefix(limit))
            return APIResponse.json(.ok, encoding: Page(records: page, nextCursor: records.count > limit ? page.last.map { String($0.seq) } : nil))
        }
    }

    struct Page: Encodable {
        var records: [SellThroughReadModel.Record]
        var nextCursor: String?
    }

    static func reader(_ context: APIRequestContext) throws -> SellThroughReadModel.Reader {
        let principal = try context.caller()
        if principal.role == .dealer, let dealerId = principal.dealerId { return .dealer(dealerId) }
        guard principal.role.isStaff || principal.role == .system else {
            throw APIProblem.forbidden("a \(principal.role.rawValue) sees no sell-through records")
        }
        return .staff(principal.dealerVisibility)
    }
}
