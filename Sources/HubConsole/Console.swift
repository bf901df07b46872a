import Foundation
public import HubAPI
import HubContracts
import HubStore
public import Hummingbird

/// The console: the hub's web face for dealers, staff and carriers, served at `/` beside the API
/// by the same server. Pages are rendered on the server from the read models the API reads, with
/// the visitor's scope (a page of another party's data is "not found", as in the API); every
/// change a page makes goes through the JSON API (`/v1/…`, with the session's CSRF token), so the
/// API's rules and messages are the console's; live parts follow `/v1/order-updates`.
public struct Console: RouteModule {
    let services: APIServices
    let templates: ConsoleTemplates
    let assets: ConsoleAssets
    /// Health, lag and dead letters for the operations page; nil where the process runs none.
    let operations: (any OperationsProbe)?

    public init(services: APIServices, templates: ConsoleTemplates, assets: ConsoleAssets = ConsoleAssets(), operations: (any OperationsProbe)? = nil) {
        self.services = services
        self.templates = templates
        self.assets = assets
        self.operations = operations
    }

    public func add(to router: Router<APIRequestContext>) {
        router.get("/") { request, _ in await page(request) { visitor in try await home(request, visitor) } }
        router.get("sign-in") { request, _ in await signIn(request) }
        router.get("password") { request, _ in await passwordPage(request) }
        router.get("orders") { request, _ in await page(request) { visitor in try await orderList(request, visitor) } }
        router.get("orders/new") { request, _ in await page(request) { visitor in try await orderForm(visitor) } }
        router.get("orders/:orderId") { request, context in
            await page(request) { visitor in try await orderPage(context.parameters.get("orderId") ?? "", visitor) }
        }
        router.get("catalogue") { request, _ in await page(request) { visitor in try await catalogue(visitor) } }
        router.get("tier2-orders") { request, _ in await page(request) { visitor in try await tier2Orders(request, visitor) } }
        router.get("tier2-orders/new") { request, _ in await page(request) { visitor in try tier2OrderForm(visitor) } }
        router.get("tier2-orders/:orderId") { request, context in
            await page(request) { visitor in try await tier2OrderPage(context.parameters.get("orderId") ?? "", visitor) }
        }
        router.get("shipments") { request, _ in await page(request) { visitor in try await shipments(request, visitor) } }
        router.get("shipments/positions") { request, _ in await truckPositions(request) }
        router.get("operations") { request, _ in await page(request) { visitor in try await operationsPage(visitor) } }
        router.get("users") { request, _ in await page(request) { visitor in try await users(request, visitor) } }
        router.get("audit") { request, _ in await page(request) { visitor in try await audit(request, visitor) } }
        router.get("permission-groups") { request, _ in await page(request) { visitor in try await permissionGroups(visitor) } }
        router.get("permission-groups/:groupId") { request, context in
            await page(request) { visitor in try await permissionGroupPage(context.parameters.get("groupId") ?? "", visitor) }
        }
        router.get("warehouses") { request, _ in await page(request) { visitor in try await warehouses(visitor) } }
        router.get("warehouses/:warehouseId") { request, context in
            await page(request) { visitor in try await warehousePage(context.parameters.get("warehouseId") ?? "", visitor) }
        }
        router.get("dealers/:dealerId/contracts") { request, context in
            await page(request) { visitor in try await dealerContracts(context.parameters.get("dealerId") ?? "", visitor) }
        }
        router.get("contracts/:contractId") { request, context in
            await page(request) { visitor in
                try await contractPage(context.parameters.get("contractId") ?? "", dealerId: request.uri.queryParameters["dealerId"].map(String.init), visitor)
            }
        }
        router.get("announcements") { request, _ in await page(request) { visitor in try await announcementList(visitor) } }
        router.get("announcements/new") { request, _ in await page(request) { visitor in try announcementForm(visitor) } }
        router.get("announcements/:announcementId") { request, context in
            await page(request) { visitor in try await announcementPage(context.parameters.get("announcementId") ?? "", visitor) }
        }
        router.get("surveys") { request, _ in await page(request) { visitor in try await surveyList(visitor) } }
        router.get("surveys/new") { request, _ in await page(request) { visitor in try surveyForm(visitor) } }
        router.get("surveys/:surveyId") { request, context in
            await page(request) { visitor in try await surveyPage(context.parameters.get("surveyId") ?? "", request, visitor) }
        }
        router.get("tickets") { request, _ in await page(request) { visitor in try await ticketList(request, visitor) } }
        router.get("tickets/new") { request, _ in await page(request) { visitor in try ticketForm(visitor) } }
        router.get("tickets/:ticketId") { request, context in
            await page(request) { visitor in try await ticketPage(context.parameters.get("ticketId") ?? "", visitor) }
        }
        router.get("flows") { request, _ in await page(request) { visitor in try await flows(request, visitor) } }
        router.get("activities") { request, _ in await page(request) { visitor in try await activityHome(request, visitor) } }
        router.get("activities/:activityId") { request, context in
            await page(request) { visitor in try await activityPage(context.parameters.get("activityId") ?? "", visitor) }
        }
        router.get("risk") { request, _ in await page(request) { visitor in try await riskList(request, visitor) } }
        router.get("risk/:dealerId") { request, context in
            await page(request) { visitor in try await riskDealer(context.parameters.get("dealerId") ?? "", visitor) }
        }
        router.get("ledger") { request, _ in await page(request) { visitor in try await ledger(request, visitor) } }
        router.get("dealers") { request, _ in await page(request) { visitor in try await dealerDirectory(request, visitor) } }
        router.get("dealers/:dealerId") { request, context in
            await page(request) { visitor in try await dealerPage(context.parameters.get("dealerId") ?? "", visitor) }
        }
        router.get("board") { request, _ in await page(request) { visitor in try await board(visitor) } }
        router.get("analytics") { request, _ in await page(request) { visitor in try await dashboard(request, visitor) } }
        router.get("analytics/dealers/:dealerId") { request, context in
            await page(request) { visitor in try await dealerFigures(context.parameters.get("dealerId") ?? "", request, visitor) }
        }
        router.get("scorecards/:kind") { request, context in
            await page(request) { visitor in try await scorecard(context.parameters.get("kind") ?? "", request, visitor) }
        }
        router.get("assets/:file") { request, context in
            asset("assets/" + (context.parameters.get("file") ?? ""), request)
        }
        router.get("vendor/leaflet/**") { request, context in
            asset("vendor/leaflet/" + context.parameters.getCatchAll().joined(separator: "/"), request)
        }
        router.get("vendor/chart/:file") { request, context in
            asset("vendor/chart/" + (context.parameters.get("file") ?? ""), request)
        }
        router.get("vendor/map/:file") { request, context in
            asset("vendor/map/" + (context.parameters.get("file") ?? ""), request)
        }
    }

    func asset(_ path: String, _ request: Request) -> Response {
        let gzip = request.headers[.acceptEncoding]?.contains("gzip") ?? false
        return assets.response(path, acceptsGzip: gzip) ?? Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                                                                    body: ResponseBody(byteBuffer: ByteBuffer(string: "not found")))
    }

    /// A page for a signed-in visitor: the sign-in page for nobody, the password page first after
    /// a reset; what `build` throws becomes a page saying so (not found, may not, unavailable).
    func page(_ request: Request, _ build: (ConsoleVisitor) async throws -> Page) async -> Response {
        // The page's server time (session, reads, rendering) in `Server-Timing`: what the page budget measures.
        let started = ContinuousClock.now
        var response = await answer(request, build)
        let milliseconds = (ContinuousClock.now - started) / .milliseconds(1)
        response.headers[.serverTiming] = "page;dur=" + String(format: "%.2f", milliseconds)
        return response
    }

    private func answer(_ request: Request, _ build: (ConsoleVisitor) async throws -> Page) async -> Response {
        switch await services.visitor(request) {
        case .failure(let detour):
            return detour.response
        case .success(let visitor):
            let asked = request.uri.queryParameters["lang"].flatMap { ConsoleLanguage(rawValue: String($0)) }
            do {
                let built = try await build(visitor)
                return ConsoleResponse.html(render(built, visitor: visitor, path: request.uri.path), language: asked)
            } catch let problem as APIProblem {
                let (status, key): (HTTPResponse.Status, String) = switch problem.status {
                case .notFound: (.notFound, "notFound")
                case .forbidden: (.forbidden, "forbidden")
                default: (.serviceUnavailable, "unavailable")
                }
                let page = Page(template: "message", title: ConsoleText.text(key, visitor.language), context: ["message": ConsoleText.text(key, visitor.language)])
                return ConsoleResponse.html(render(page, visitor: visitor, path: request.uri.path), status: status, language: asked)
            } catch {
                let page = Page(template: "message", title: ConsoleText.text("unavailable", visitor.language),
                                context: ["message": ConsoleText.text("unavailable", visitor.language)])
                return ConsoleResponse.html(render(page, visitor: visitor, path: request.uri.path), status: .internalServerError, language: asked)
            }
        }
    }

    /// A page's template, title and values.
    struct Page {
        var template: String
        var title: String
        var context: [String: Any]
        /// Whether the page follows the live order updates (`/v1/order-updates`).
        var live = false
    }

    func render(_ page: Page, visitor: ConsoleVisitor?, path: String, language: ConsoleLanguage? = nil) -> String {
        let language = visitor?.language ?? language ?? .chinese
        var context = page.context
        context["t"] = ConsoleText.strings(language)
        context["title"] = page.title
        context["lang"] = language.rawValue
        context["otherLang"] = language.other.rawValue
        context["path"] = path
        context["live"] = page.live
        context["statusLabels"] = StatusLabels.json(language)
        if let visitor {
            context["user"] = ["displayName": visitor.session.user.displayName, "login": visitor.session.user.login,
                               "role": ConsoleText.text("role." + visitor.principal.role.rawValue, language)]
            context["csrf"] = visitor.session.csrfToken
            context["nav"] = Navigation.items(for: visitor, current: path, language: language)
        }
        return templates.page(page.template, Self.pruned(context))
    }

    /// The context without its empty texts: Mustache counts an empty string as a value (a section
    /// `{{#next}}` would show for ""), while a missing key is both empty and false.
    static func pruned(_ context: [String: Any]) -> [String: Any] {
        var kept: [String: Any] = [:]
        for (key, value) in context {
            switch value {
            case let text as String where text.isEmpty: continue
            case let nested as [String: Any]: kept[key] = pruned(nested)
            case let list as [[String: Any]]: kept[key] = list.map(pruned)
            default: kept[key] = value
            }
        }
        return kept
    }
}
