public import Hummingbird
public import Foundation
public import HubStore

/// A request context that carries who is calling once authenticated.
public protocol AuthenticatedRequestContext: RequestContext {
    var principal: Principal? { get set }
    /// When the credentials the principal was proven with stop being valid (a token's expiry;
    /// `nil` for an API key): a live stream ends then.
    var credentialsExpire: Date? { get set }
    /// The signed-in session the principal came from, when it came from the session cookie.
    var session: SignedInSession? { get set }
}

/// A request's signed-in session: which (by its digest, for sign-out), its CSRF token and its user.
public struct SignedInSession: Sendable, Hashable {
    public var digest: String
    public var csrfToken: String
    public var user: UserRecord
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
    public var session: SignedInSession?
    /// The peer's IP address (sign-in throttles failures per address).
    public let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
        remoteAddress = source.channel.remoteAddress?.ipAddress
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

extension Authenticator {
    /// Whether the request presents a credential of its own (a header, or the query token where
    /// allowed). The session cookie is ambient — the browser sends it unasked — so it counts only
    /// when nothing is presented: a script with a token is never mistaken for the browser's user.
    static func presentsCredentials(_ request: Request, queryToken: Bool) -> Bool {
        request.headers[.apiKey] != nil || request.headers[.authorization] != nil
            || (queryToken && request.uri.queryParameters["access_token"] != nil)
    }
}

/// Sets the request context's principal from the credentials (or the session cookie), or answers 401.
///
/// A request authenticated by the cookie that would change something (any method but GET, HEAD
/// and OPTIONS) must echo the session's CSRF token in `X-CSRF-Token`; else 403. (The cookie is
/// also SameSite=Strict: the token is the second lock, for older browsers and same-site pages.)
/// A user an administrator reset may, until the password is changed, only read who it is, change
/// the password and sign out.
struct AuthenticationMiddleware<Context: AuthenticatedRequestContext>: RouterMiddleware {
    let authenticator: Authenticator
    var accounts: AccountServices?
    var queryToken = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let accounts, !Authenticator.presentsCredentials(request, queryToken: queryToken),
           let cookie = request.cookies[SessionPolicy.cookieName] {
            let session = try await Self.session(cookie.value, accounts: accounts)
            guard let principal = session.user.principal else {
                throw APIProblem.unauthorized("this account's role is not one this hub knows; ask an administrator")
            }
            if ![.get, .head, .options].contains(request.method) {
                let sent = request.headers[.csrfToken] ?? ""
                guard Self.equalInConstantTime(sent, session.csrfToken) else {
                    throw APIProblem.forbidden("a change made with the session cookie needs the session's CSRF token in \(SessionPolicy.csrfHeader) (GET /v1/me gives it)")
                }
            }
            if session.user.mustChangePassword, !Self.allowedBeforePasswordChange(request) {
                throw APIProblem.forbidden("the password was reset by an administrator: change it first (POST /v1/me/password)")
            }
            context.principal = principal
            context.session = session
        } else {
            (context.principal, context.credentialsExpire) = try authenticator.authenticate(request, queryToken: queryToken)
        }
        return try await next(request, context)
    }

    /// The live session of a cookie value; its last use is recorded (at most once a `touchSeconds`).
    static func session(_ token: String, accounts: AccountServices) async throws -> SignedInSession {
        let digest = SessionSecret.digest(of: token)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let found: StoredSession?
        do {
            found = try await accounts.store.session(digest: digest, now: now)
        } catch {
            throw APIProblem.unavailable("the hub's database did not answer; retry later")
        }
        let policy = accounts.sessions
        guard let found, policy.expiry(created: found.createdAtMilliseconds, seen: found.seenAtMilliseconds) > now else {
            throw APIProblem.unauthorized("the session has ended (signed out, expired or the account was disabled): sign in again")
        }
        if now - found.seenAtMilliseconds >= policy.touchSeconds * 1000 {
            try? await accounts.store.touchSession(digest: digest, now: now, expires: policy.expiry(created: found.createdAtMilliseconds, seen: now))
        }
        return SignedInSession(digest: digest, csrfToken: found.csrfToken, user: found.user)
    }

    static func allowedBeforePasswordChange(_ request: Request) -> Bool {
        let path = request.uri.path
        return (request.method == .get && path == "/v1/me") || (request.method == .post && path == "/v1/me/password")
            || (request.method == .delete && path == "/v1/session")
    }

    static func equalInConstantTime(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !y.isEmpty else { return false }
        var difference: UInt8 = 0
        for (p, q) in zip(x, y) { difference |= p ^ q }
        return difference == 0
    }
}
