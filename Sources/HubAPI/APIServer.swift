public import Hummingbird
import HummingbirdWebSocket
public import Logging

/// The HTTP API on its address: the operations routes (open) and the versioned business routes
/// under `/v1` (authenticated), every error as problem+json. A service, so `lubehub serve` runs
/// it beside the core and the adapters and stops it with them.
public enum APIServer {
    /// A connection with no request in progress for this long is closed: idle keep-alive
    /// connections (and ones that never send a request) do not pile up. A live stream is a request
    /// in progress, and is not cut.
    public static let idleTimeout: Duration = .seconds(60)

    public static func application(host: String, port: Int, readiness: [any ReadinessCheck], metrics: @escaping @Sendable () -> String,
                                   services: APIServices?, modules: [any RouteModule] = [], logger: Logger,
                                   idleTimeout: Duration = Self.idleTimeout) -> some ApplicationProtocol {
        let router = router(readiness: readiness, metrics: metrics, services: services, modules: modules)
        let configuration = ApplicationConfiguration(address: .hostname(host, port: port), serverName: "LubeHub")
        guard let services else {
            return Application(router: router, server: .http1(configuration: .init(idleTimeout: .seconds(idleTimeout.components.seconds))), configuration: configuration, logger: logger)
        }
        return Application(router: router, server: .http1WebSocketUpgrade(webSocketRouter: OrderUpdateSocket.router(services),
                                                                          configuration: .init(http1: .init(idleTimeout: .seconds(idleTimeout.components.seconds)))),
                           configuration: configuration, logger: logger)
    }

    /// The router alone (for in-process tests and the OpenAPI check); `modules` add their routes
    /// after the API's (the console's pages).
    public static func router(readiness: [any ReadinessCheck], metrics: @escaping @Sendable () -> String, services: APIServices?,
                              modules: [any RouteModule] = []) -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: RequestTraceMiddleware())
        OperationsRoutes.add(to: router, readiness: readiness, metrics: metrics)
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        if let services {
            SessionRoutes.addSignIn(to: router, services)
            let v1 = router.group("v1").add(middleware: AuthenticationMiddleware(authenticator: services.authenticator, accounts: services.accounts))
                .add(middleware: RouteRightsMiddleware())
            SessionRoutes.add(to: v1, services)
            UserRoutes.add(to: v1, services)
            DealerRoutes.add(to: v1, services)
            AnalyticsRoutes.add(to: v1, services)
            AnalyticsRoutes.addForecasts(to: v1, services)
            ContractRoutes.add(to: v1, services)
            AnnouncementRoutes.add(to: v1, services)
            TicketRoutes.add(to: v1, services)
            ActivityRoutes.add(to: v1, services)
            RiskRoutes.add(to: v1, services)
            SurveyRoutes.add(to: v1, services)
            MasterDataRoutes.add(to: v1, services)
            MembershipRoutes.add(to: v1, services)
            OrderRoutes.add(to: v1, services)
            OrderUpdateStream.add(to: v1, services)
            CatalogueRoutes.add(to: v1, services)
            DealerTradeRoutes.add(to: v1, services)
            BookRoutes.add(to: v1, services)
            CarrierRoutes.add(to: v1, services)
            DealerSystemRoutes.add(to: v1, services)
            SellThroughRoutes.add(to: v1, services)
        }
        for module in modules { module.add(to: router) }
        return router
    }
}
