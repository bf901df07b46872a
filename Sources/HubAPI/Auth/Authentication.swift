public import Hummingbird
import Foundation

/// The API's request context: Hummingbird's core context plus who is calling, once authenticated.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
    }

    /// Request bodies are small JSON documents; a carrier's batch upload is the largest.
    public var maxUploadSize: Int { 1 << 20 }

    /// The authenticated principal; the authentication middleware runs before every business route.
    public func caller() throws(APIProblem) -> Principal {
        guard let principal else { throw APIProblem.unauthorized("no credentials: send Authorization: Bearer <token> or X-API-Key") }
        return principal
    }
}

/// How callers prove who they are: bearer tokens (JWT) and API keys.
public struct Authenticator: Sendable {
    public var keys: TokenKeys
    public var apiKeys: APIKeys

    public init(keys: TokenKeys, apiKeys: APIKeys = APIKeys()) {
        self.keys = keys
        self.apiKeys = apiKeys
    }

    /// The principal a request's credentials stand for; throws 401 when they are missing or wrong.
    public func principal(for request: Request) throws(APIProblem) -> Principal {
        if let key = request.headers[.apiKey] {
            guard let principal = apiKeys.principal(forKey: key) else { throw APIProblem.unauthorized("the API key is not known") }
            return principal
        }
        guard let authorization = request.headers[.authorization] else {
            throw APIProblem.unauthorized("no credentials: send Authorization: Bearer <token> or X-API-Key")
        }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw APIProblem.unauthorized("Authorization must be Bearer <token>") }
        do {
            return try JSONWebToken.verify(String(parts[1]).trimmingCharacters(in: .whitespaces), keys: keys)
        } catch {
            throw APIProblem.unauthorized("the bearer token is not accepted: \(error)")
        }
    }
}

/// Sets the request context's principal from the credentials, or answers 401.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let authenticator: Authenticator

    func handle(_ request: Request, context: APIRequestContext, next: (Request, APIRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        context.principal = try authenticator.principal(for: request)
        return try await next(request, context)
    }
}

