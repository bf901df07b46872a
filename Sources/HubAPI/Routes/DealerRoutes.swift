import Foundation
import HubContracts
import HubStore
import Hummingbird

/// The dealer directory (R1): `GET /v1/dealers` searches and pages the dealers in the caller's
/// scope (`q` part of the name or id, `province`, `city`, `tier`, `parentDealerId`, `salesRepId`,
/// `branchId`, `status`, `groupId`, `productLine`, `customerClass` — in that line when given, else in
/// any — `limit`, `offset`); `GET /v1/dealers/{dealerId}` is a dealer's
/// page: its tier-2 dealers, credit limit, open order value and what is left, last order, orders
/// this month and this year. Staff see the dealers of their scope; a tier-1 dealer itself and its
/// tier-2 dealers; a tier-2 dealer itself. Another's dealer is 404.
enum DealerRoutes {
    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.get("dealers") { request, context in
            let reader = try directoryReader(context)
            let query = request.uri.queryParameters
            var filter = DealerDirectory.Filter()
            var issues: [String] = []
            func identifier(_ name: String) -> String? {
                guard let value = query[Substring(name)].map(String.init) else { return nil }
                if RequestFields.isIdentifier(value) { return value }
                issues.append("\(name): not an identifier")
                return nil
            }
            func text(_ name: String, max: Int) -> String? {
                guard let value = query[Substring(name)].map(String.init) else { return nil }
                if value.count <= max { return value }
                issues.append("\(name): at most \(max) characters")
                return nil
            }
            filter.text = text("q", max: 60)
            filter.province = text("province", max: 20)
            filter.city = text("city", max: 40)
            if let tier = query["tier"].map(String.init) {
                if DealerTier.known.map(\.rawValue).contains(tier) { filter.tier = tier } else { issues.append("tier: tier1, tier2, key-account or quick-lube") }
            }
            if let status = query["status"].map(String.init) {
                if ["active", "blocked", "inactive"].contains(status) { filter.status = status } else { issues.append("status: active, blocked or inactive") }
            }
            filter.parentDealerId = identifier("parentDealerId")
            filter.salesRepId = identifier("salesRepId")
            filter.branchId = identifier("branchId")
            filter.groupId = identifier("groupId")
            filter.productLine = identifier("productLine")
            filter.customerClass = text("customerClass", max: 4)
            filter.limit = min(max(Int(query["limit"].map(String.init) ?? "") ?? 50, 1), 500)
            filter.offset = max(Int(query["offset"].map(String.init) ?? "") ?? 0, 0)
            if !issues.isEmpty { throw APIProblem.unprocessable("the directory's query is not valid", issues: issues) }
            let page = try await services.database.read { [filter] store throws(StoreError) in try store.dealerDirectory.search(filter, as: reader) }
            return APIResponse.json(.ok, encoding: Listing(dealers: page.entries, total: page.total, limit: filter.limit, offset: filter.offset))
        }
        router.get("dealers/:dealerId") { _, context in
            let reader = try directoryReader(context)
            let dealerId = context.parameters.get("dealerId") ?? ""
            guard RequestFields.isIdentifier(dealerId),
                  let page = try await services.database.read({ store throws(StoreError) in try store.dealerDirectory.page(dealerId, as: reader) }) else {
                throw APIProblem.notFound("dealer \(dealerId)")
            }
            return APIResponse.json(.ok, encoding: page)
        }
    }

    struct Listing: Encodable {
        var dealers: [DealerDirectory.Entry]
        var total: Int
        var limit: Int
        var offset: Int
    }

    static func directoryReader(_ context: APIRequestContext) throws -> DealerDirectory.Reader {
        let principal = try context.caller()
        if principal.role == .dealer, let dealerId = principal.dealerId { return .dealer(dealerId) }
        guard principal.role.isStaff || principal.role == .system else {
            throw APIProblem.forbidden("a \(principal.role.rawValue) has no dealer directory")
        }
        return .staff(principal.dealerVisibility)
    }
}
