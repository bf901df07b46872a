public import Hummingbird
import Foundation
import HubMessaging

/// An error answer as RFC 9457 `application/problem+json`: a status, a short title, and a
/// detail that says precisely what was wrong and what to do; per-field problems when there are several.
public struct APIProblem: Error, HTTPResponseError, Sendable, Equatable {
    public let status: HTTPResponse.Status
    public let detail: String
    public var issues: [String]
    /// Seconds the client should wait before trying again (429, 503).
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, _ detail: String, issues: [String] = [], retryAfter: Int? = nil) {
        self.status = status
        self.detail = detail
        self.issues = issues
        self.retryAfter = retryAfter
    }

    public static func badRequest(_ detail: String) -> Self { Self(.badRequest, detail) }
    public static func unauthorized(_ detail: String) -> Self { Self(.unauthorized, detail) }
    public static func forbidden(_ detail: String) -> Self { Self(.forbidden, detail) }
    /// Another party's object is answered exactly like one that does not exist.
    public static func notFound(_ what: String) -> Self { Self(.notFound, "\(what) does not exist or is not yours") }
    public static func conflict(_ detail: String) -> Self { Self(.conflict, detail) }
    public static func unprocessable(_ detail: String, issues: [String] = []) -> Self { Self(.unprocessableContent, detail, issues: issues) }
    public static func unavailable(_ detail: String) -> Self { Self(.serviceUnavailable, detail) }
    public static func tooManyRequests(_ detail: String, retryAfter: Int) -> Self { Self(.tooManyRequests, detail, retryAfter: retryAfter) }

    /// A command that did not go out: 422 when the request made a bad command, 503 when the broker
    /// did not take it (the broker's own words are logged, not answered).
    init(_ failure: CommandPublisher.Failure) {
        switch failure {
        case .unwritable: self = .unprocessable(failure.description)
        case .tooLarge: self = Self(.contentTooLarge, failure.description)
        case .invalid(let type, let issues): self = .unprocessable("the request does not make a valid \(type)", issues: issues)
        case .notTaken: self = .unavailable("the hub could not hand the request on to its broker; send it again (with the same Idempotency-Key an order keeps its id)")
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: any Sendable] = ["type": "about:blank", "title": status.reasonPhrase, "status": status.code, "detail": detail,
                                            "instance": request.uri.path]
        if !issues.isEmpty { body["issues"] = issues }
        var response = APIResponse.json(status, body, contentType: "application/problem+json")
        if status == .unauthorized { response.headers[.wwwAuthenticate] = #"Bearer realm="lubehub""# }
        if let retryAfter {
            response.headers[.retryAfter] = "\(retryAfter)"
        } else if status == .tooManyRequests {
            response.headers[.retryAfter] = "5"
        }
        return response
    }
}

/// Every error becomes problem+json: ours as they are, Hummingbird's (unknown route, body too
/// large, …) with their status, anything else as 500 with its text logged and not shown.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as APIProblem {
            return try problem.response(from: request, context: context)
        } catch let failure as CommandPublisher.Failure {
            if case .notTaken = failure { context.logger.error("the broker did not take a command", metadata: ["path": "\(request.uri.path)", "error": "\(failure)"]) }
            return try APIProblem(failure).response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            let detail: String
            switch error.status {
            case .notFound: detail = "no route \(request.method) \(request.uri.path); see /openapi.json"
            case .contentTooLarge: detail = "the request body is larger than \(context.maxUploadSize) bytes"
            case .methodNotAllowed: detail = "\(request.method) is not allowed on \(request.uri.path); see /openapi.json"
            default: detail = (error as? HTTPError)?.body ?? error.status.reasonPhrase
            }
            return try APIProblem(error.status, detail).response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return try APIProblem(.internalServerError, "the request failed inside the hub; it was logged").response(from: request, context: context)
        }
    }
}

/// JSON answers.
enum APIResponse {
    static func json(_ status: HTTPResponse.Status, _ object: [String: any Sendable], contentType: String = "application/json") -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func json(_ status: HTTPResponse.Status, encoding value: some Encodable, headers: HTTPFields = [:]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
