public import Hummingbird
public import Foundation

/// A request context that carries who is calling once authenticated.
public protocol AuthenticatedRequestContext: RequestContext {
    var principal: Principal? { get set }
    /// When the credentials the principal was proven with stop being valid (a token's expiry;
    /// `nil` for an API key): a live stream ends then.
    var credentialsExpire: Date? { get set }
}

extension AuthenticatedRequestContext {
    /// The authenticated principal; the authentication middleware runs before every business route.
    public func caller() throws(APIProblem) -> Principal {
        guard let principal else { throw APIProblem.unauthorized("no credentials: send Authorization: Bearer <token> or X-API-Key") }
        return principal
    }
}

/// The API's request context: Hummingbird's core context plus who is calling, once authenticated.
public struct APIRequestContext: AuthenticatedRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    public var credentialsExpire: Date?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
    }

    /// Request bodies are small JSON documents; a carrier's batch upload is the largest.
    public var maxUploadSize: Int { 1 << 20 }
}

/// How callers prove who they are: bearer tokens (JWT) and API keys.
public struct Authenticator: Sendable {
    public var keys: TokenKeys {
        didSet { verifiedTokens = VerifiedTokens() }
    }
    public var apiKeys: APIKeys
    /// Tokens whose signature and claims were checked with `keys`; their times are checked on every use.
    private var verifiedTokens = VerifiedTokens()

    public init(keys: TokenKeys, apiKeys: APIKeys = APIKeys()) {
        self.keys = keys
        self.apiKeys = apiKeys
    }

    /// A bearer token's principal: its signature and claims checked once (a dealer's client sends
    /// the same token with every request), its expiry and start at every use.
    public func principal(forToken token: String, at now: Date = Date()) throws(TokenError) -> Principal {
        try verified(token, at: now).principal
    }

    /// A bearer token's principal and expiry, checked as ``principal(forToken:at:)`` checks it.
    func verified(_ token: String, at now: Date = Date()) throws(TokenError) -> (principal: Principal, expires: Date) {
        let checked: JSONWebToken.Verified
        if let known = verifiedTokens[token] {
            checked = known
        } else {
            checked = try JSONWebToken.verifySignatureAndClaims(token, keys: keys)
            verifiedTokens[token] = checked
        }
        try checked.checkTimes(at: now, leeway: keys.leeway)
        return (checked.principal, Date(timeIntervalSince1970: Double(checked.expires)))
    }

    /// The principal a request's credentials stand for; throws 401 when they are missing or wrong.
    /// `queryToken` also takes `?access_token=` (RFC 6750 §2.3): browsers cannot set headers on a
    /// WebSocket, so its route allows it.
    public func principal(for request: Request, queryToken: Bool = false) throws(APIProblem) -> Principal {
        try authenticate(request, queryToken: queryToken).principal
    }

    /// The principal a request's credentials stand for and when the earliest of them expires.
    public func authenticate(_ request: Request, queryToken: Bool = false) throws(APIProblem) -> (principal: Principal, expires: Date?) {
        // Every credential presented is checked, and each must verify: a bad one beside a good
        // one fails the request (a caller who sends a wrong key has a fault to hear about, and an
        // attacker learns nothing from a mix). Two that name different principals are refused.
        var problems: [String] = []
        var found: [Principal] = []
        var expires: Date?
        func take(_ token: (principal: Principal, expires: Date)) {
            found.append(token.principal)
            expires = min(expires ?? token.expires, token.expires)
        }
        if let key = request.headers[.apiKey] {
            if let principal = apiKeys.principal(forKey: key) { found.append(principal) } else { problems.append("the API key is not known") }
        }
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                do {
                    take(try verified(String(parts[1]).trimmingCharacters(in: .whitespaces)))
                } catch {
                    problems.append("the bearer token is not accepted: \(error)")
                }
            } else {
                problems.append("Authorization must be Bearer <token>")
            }
        } else if queryToken, let token = request.uri.queryParameters["access_token"] {
            do {
                take(try verified(String(token)))
            } catch {
                problems.append("the access token is not accepted: \(error)")
            }
        }
        if let problem = problems.first { throw APIProblem.unauthorized(problem) }
        guard let principal = found.first else {
            throw APIProblem.unauthorized("no credentials: send Authorization: Bearer <token> or X-API-Key")
        }
        guard found.allSatisfy({ $0 == principal }) else { throw APIProblem.unauthorized("the credentials name two different callers; send one") }
        return (principal, expires)
    }
}

/// Sets the request context's principal from the credentials, or answers 401.
struct AuthenticationMiddleware<Context: AuthenticatedRequestContext>: RouterMiddleware {
    let authenticator: Authenticator
    var queryToken = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        (context.principal, context.credentialsExpire) = try authenticator.authenticate(request, queryToken: queryToken)
        return try await next(request, context)
    }
}

