public import Hummingbird
public import Logging

/// The HTTP API on its address: today the operations routes; the dealers', carriers' and
/// subscribers' routes join it (issue 6). A service, so `lubehub serve` runs it beside the core
/// and the adapters and stops it with them.
public enum APIServer {
    public static func application(host: String, port: Int, readiness: [any ReadinessCheck], metrics: @escaping @Sendable () -> String,
                                   logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        OperationsRoutes.add(to: router, readiness: readiness, metrics: metrics)
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "LubeHub"), logger: logger)
    }
}
