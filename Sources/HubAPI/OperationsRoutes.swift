public import Hummingbird
import Foundation

/// Something `/ready` asks: the broker answers, the database answers, the consumers keep up.
public protocol ReadinessCheck: Sendable {
    var name: String { get }
    /// What `/ready` answers for this check when it fails: a short public state ("no answer",
    /// "behind"), never the failure's text.
    var failingState: String { get }
    /// `nil` when ready, else what is wrong (and what to do), in words: logged, not answered.
    func problem() async -> String?
}

/// The operations routes every deployment needs before any business route: `/health` (the
/// process answers), `/ready` (what it depends on answers too: 503 naming what does not, each
/// check's details in the log; see ``ReadinessAnswer``), and `/metrics` (every metric in
/// Prometheus' text format).
public enum OperationsRoutes {
    public static func add<Context: RequestContext>(to router: Router<Context>, readiness: [any ReadinessCheck],
                                                    metrics: @escaping @Sendable () -> String) {
        router.get("health") { _, _ in
            Self.json(.ok, ["status": "ok"])
        }
        let answer = ReadinessAnswer(checks: readiness)
        router.get("ready") { _, _ in
            let result = await answer.current()
            return Self.json(result.ready ? .ok : .serviceUnavailable, ["status": result.ready ? "ready" : "not ready", "checks": result.checks])
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
