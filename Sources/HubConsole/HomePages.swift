import HubAPI
import Foundation
import HubContracts
import HubStore
import Hummingbird

/// The home pages: a dealer's (its open orders and what waits on it: receipts to confirm,
/// ratings to give), staff's order board, and a dealer's catalogue with its own prices and stock.
extension Console {
    /// Statuses after which an order needs nothing more from anyone.
    static let finished: Set<String> = ["rated", "cancelled", "rejected"]

    func home(_ request: Request, _ visitor: ConsoleVisitor) async throws -> Page {
        switch visitor.principal.role {
        case .dealer:
            return try await dealerHome(visitor)
        case .carrier:
            return try await shipments(request, visitor)
        default:
            return try await board(visitor)
        }
    }

    func dealerHome(_ visitor: ConsoleVisitor) async throws -> Page {
        let visibility = visitor.principal.dealerVisibility
        let dealerId = visitor.principal.dealerId ?? ""
        let (recent, toReceive, toRate, standing) = try await services.database.read { reader throws(StoreError) in
            var filter = OrderReadModel.Filter()
            filter.limit = 50
            let recent = try reader.orders.list(filter, visibleTo: visibility).orders
            filter.limit = 20
            filter.status = .delivered
            let delivered = try reader.orders.list(filter, visibleTo: visibility).orders
            filter.status = .received
            let received = try reader.orders.list(filter, visibleTo: visibility).orders
            return (recent, delivered, received, try reader.risk.standings(visibleTo: .dealer(dealerId))[dealerId])
        }
        let open = recent.filter { !Self.finished.contains($0.status) && $0.status != "received" }
        let language = visitor.language
        return Page(template: "dealer-home", title: ConsoleText.text("home", language), context: [
            "open": open.map { OrderRows.summary($0, language) }, "hasOpen": !open.isEmpty,
            "toReceive": toReceive.map { OrderRows.summary($0, language) }, "toRate": toRate.map { OrderRows.summary($0, language) },
            "hasToReceive": !toReceive.isEmpty, "hasToRate": !toRate.isEmpty, "nothingToDo": toReceive.isEmpty && toRate.isEmpty,
            // Why its orders are refused (a hold or block), or the branch's warning: the reviewer's words.
            "standing": standing.flatMap { standing -> [String: Any]? in
                guard standing.outcome.refusesOrders || standing.outcome == .warning else { return nil }
                return ["held": standing.outcome.refusesOrders, "outcome": ConsoleText.text("riskOutcome.\(standing.outcome.rawValue)", language),
                        "reason": standing.reason, "since": ConsoleFormat.time(standing.reviewedAt, language)]
            } ?? false,
        ], live: true)
    }

    /// Staff's board: the orders in scope by status, the newest of each, live.
    func board(_ visitor: ConsoleVisitor) async throws -> Page {
        guard visitor.isStaff else { throw APIProblem.forbidden("the order board is for staff") }
        let visibility = visitor.principal.dealerVisibility
        let statuses: [OrderStatus] = [.submitted, .accepted, .confirmed, .scheduled, .produced, .allocated, .dispatched, .delivered, .rejected]
        let columns = try await services.database.read { reader throws(StoreError) in
            var columns: [(OrderStatus, [OrderReadModel.Summary])] = []
            for status in statuses {
                var filter = OrderReadModel.Filter()
                filter.status = status
                filter.limit = 12
                columns.append((status, try reader.orders.list(filter, visibleTo: visibility).orders))
            }
            return columns
        }
        let language = visitor.language
        return Page(template: "board", title: ConsoleText.text("board", language), context: [
            "columns": columns.map { status, orders in
                ["status": status.rawValue, "label": StatusLabels.order(status.rawValue, language),
                 "orders": orders.map { OrderRows.summary($0, language) }, "empty": orders.isEmpty] as [String: Any]
            },
        ], live: true)
    }

    /// A dealer's catalogue: exactly what its groups grant, with its prices and the available stock per location.
    func catalogue(_ visitor: ConsoleVisitor) async throws -> Page {
        guard visitor.isDealer, let dealerId = visitor.principal.dealerId else { throw APIProblem.forbidden("the catalogue page is a dealer's") }
        let (materials, prices, stock) = try await granted(to: dealerId)
        let language = visitor.language
        let priceBy = Dictionary(prices.map { ($0.materialId, $0) }, uniquingKeysWith: { first, _ in first })
        let stockBy = Dictionary(grouping: stock, by: \.materialId)
        return Page(template: "catalogue", title: ConsoleText.text("catalogue", language), context: [
            "materials": materials.map { material -> [String: Any] in
                [
                    "materialId": material.materialId, "name": material.name,
                    "newProduct": material.newProduct.map { ["announcementId": $0.announcementId, "title": $0.title] } as Any,
                    "line": ConsoleText.text("line." + material.productLine, language), "grade": material.grade ?? "",
                    "package": material.packageSize.map { "\($0.value.text) \($0.unit)" } ?? "",
                    "price": Self.shownPrice(priceBy[material.materialId]),
                    "promotion": Self.promotion(priceBy[material.materialId], language) as Any,
                    "stock": (stockBy[material.materialId] ?? []).map { ["where": $0.warehouseId + ($0.locationId.map { " / " + $0 } ?? ""), "available": $0.available] },
                ]
            },
            "empty": materials.isEmpty,
        ])
    }

    /// What a dealer's groups grant: the materials (up to 500), its prices now and the available stock at its locations.
    func granted(to dealerId: String) async throws -> ([CatalogueReadModel.Material], [CatalogueReadModel.Price], [CatalogueReadModel.Stock]) {
        let now = Timestamp(Date())
        return try await services.database.read { reader throws(StoreError) in
            (try reader.catalogue.materials(dealerId: dealerId, productLine: nil, after: nil, limit: 500, at: now),
             try reader.catalogue.prices(dealerId: dealerId, materialId: nil, at: now), try reader.catalogue.stock(dealerId: dealerId, materialId: nil))
        }
    }

    /// What the dealer pays now: a running promotion's price where one is lower, else the list's.
    static func shownPrice(_ price: CatalogueReadModel.Price?) -> String {
        guard let price else { return "—" }
        return ConsoleFormat.money(price.promotion?.unitPrice ?? price.unitPrice, currency: price.currency)
    }

    /// The promotion pricing a material now, for its badge: its title, link, end and the list price it replaces.
    static func promotion(_ price: CatalogueReadModel.Price?, _ language: ConsoleLanguage) -> [String: Any]? {
        guard let price, let promotion = price.promotion else { return nil }
        return ["announcementId": promotion.announcementId, "title": promotion.title,
                "until": ConsoleFormat.time(promotion.expiresAt, language),
                "listPrice": price.priceListId == nil ? "" : ConsoleFormat.money(price.unitPrice, currency: price.currency)]
    }
}
