public import Hummingbird
import Foundation

/// Something `/ready` asks: the broker answers, the database answers, the consumers keep up.
public protocol ReadinessCheck: Sendable {
    var name: String { get }
    /// `nil` when ready, else what is wrong (and what to do), in words.
    func problem() async -> String?
}

/// The operations routes every deployment needs before any business route: `/health` (the
/// process answers), `/ready` (what it depends on answers too: 503 naming what does not), and
/// `/metrics` (every metric in Prometheus' text format).
public enum OperationsRoutes {
    public static func add<Context: RequestContext>(to router: Router<Context>, readiness: [any ReadinessCheck],
                                                    metrics: @escaping @Sendable () -> String) {
        router.get("health") { _, _ in
            Self.json(.ok, ["status": "ok"])
        }
        router.get("ready") { _, _ in
            var checks: [String: String] = [:]
            await withTaskGroup(of: (String, String?).self) { group in
                for check in readiness { group.addTask { (check.name, await check.problem()) } }
                for await (name, problem) in group { checks[name] = problem ?? "ok" }
            }
            let ready = checks.values.allSatisfy { $0 == "ok" }
            return Self.json(ready ? .ok : .serviceUnavailable, ["status": ready ? "ready" : "not ready", "checks": checks])
        }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: metrics())))
        }
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: any Sendable]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
