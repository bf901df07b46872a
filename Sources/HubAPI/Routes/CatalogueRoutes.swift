import HubContracts
import HubStore
import Hummingbird

/// `/v1/catalogue`, `/v1/prices`, `/v1/stock`: what the dealer's permission groups grant (R2). A
/// dealer user sees its own; staff name a dealer in their scope with `dealerId`.
enum CatalogueRoutes {
    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.get("catalogue") { request, context in
            let dealerId = try await subjectDealer(request, context, services)
            let query = request.uri.queryParameters
            var issues: [String] = []
            let limit = Paging.limit(query["limit"], issues: &issues)
            let productLine = query["productLine"].map { ProductLine(rawValue: String($0)) }
            let lines = ProductLine.known
            if let productLine, !lines.contains(productLine) {
                issues.append("productLine: must be \(lines.map(\.rawValue).joined(separator: ", "))")
            }
            let after = query["cursor"].map(String.init)
            if let after, !RequestFields.isIdentifier(after) { issues.append("cursor: not a cursor this API gave") }
            if !issues.isEmpty { throw APIProblem.unprocessable("the query is not valid: \(issues.joined(separator: "; "))", issues: issues) }
            let materials = try await services.database.read { reader throws(StoreError) in
                try reader.catalogue.materials(dealerId: dealerId, productLine: productLine, after: after, limit: limit + 1, at: services.now())
            }
            let page = Array(materials.prefix(limit))
            return APIResponse.json(.ok, encoding: MaterialPage(dealerId: dealerId, materials: page,
                                                                nextCursor: materials.count > limit ? page.last?.materialId : nil))
        }
        router.get("prices") { request, context in
            let dealerId = try await subjectDealer(request, context, services)
            let material = try materialFilter(request)
            let prices = try await services.database.read { reader throws(StoreError) in try reader.catalogue.prices(dealerId: dealerId, materialId: material, at: services.now()) }
            return APIResponse.json(.ok, encoding: PriceList(dealerId: dealerId, prices: prices))
        }
        router.get("stock") { request, context in
            let dealerId = try await subjectDealer(request, context, services)
            let material = try materialFilter(request)
            let stock = try await services.database.read { reader throws(StoreError) in try reader.catalogue.stock(dealerId: dealerId, materialId: material) }
            return APIResponse.json(.ok, encoding: StockList(dealerId: dealerId, stock: stock))
        }
    }

    struct MaterialPage: Encodable { var dealerId: String; var materials: [CatalogueReadModel.Material]; var nextCursor: String? }
    struct PriceList: Encodable { var dealerId: String; var prices: [CatalogueReadModel.Price] }
    struct StockList: Encodable { var dealerId: String; var stock: [CatalogueReadModel.Stock] }

    /// The dealer whose grants apply: the caller's own, or (staff) `dealerId` in their scope.
    static func subjectDealer(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> String {
        let principal = try context.caller()
        let asked = request.uri.queryParameters["dealerId"].map(String.init)
        switch principal.role {
        case .dealer:
            let own = principal.dealerId ?? ""
            if let asked, asked != own { throw APIProblem.notFound("dealer \(asked)") }
            return own
        case .admin, .branchManager, .areaManager, .productLineManager, .salesRep:
            guard let asked else { throw APIProblem.unprocessable("staff name the dealer whose grants to show: ?dealerId=…") }
            let visibility = principal.dealerVisibility
            guard RequestFields.isIdentifier(asked),
                  try await services.database.read({ reader throws(StoreError) in try reader.dealers.isVisible(asked, to: visibility) }) else {
                throw APIProblem.notFound("dealer \(asked)")
            }
            return asked
        case .carrier, .system:
            throw APIProblem.forbidden("a \(principal.role.rawValue) has no catalogue; dealers and staff do")
        }
    }

    static func materialFilter(_ request: Request) throws(APIProblem) -> String? {
        guard let material = request.uri.queryParameters["materialId"].map(String.init) else { return nil }
        guard RequestFields.isIdentifier(material) else { throw APIProblem.unprocessable("materialId: not an identifier") }
        return material
    }
}
