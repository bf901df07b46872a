import Foundation
import HubContracts
import HubStore
import Hummingbird

/// Signing in and out, who the caller is, and changing one's own password.
///
/// - `POST /v1/session` `{"login","password"}`: 200 with the user and the session's CSRF token,
///   and the session cookie (HttpOnly, SameSite=Strict, Secure when served over TLS). A wrong
///   login or password (or a disabled account) is one answer, 401, whichever it was; repeated
///   failures answer 429 with Retry-After (``SignInThrottle``); a flood the hasher cannot take, 503.
/// - `DELETE /v1/session`: ends the session (server-side) and clears the cookie.
/// - `GET /v1/me`: who the caller is, how it proved it, its scope and rights.
/// - `POST /v1/me/password` `{"currentPassword","newPassword"}`: changes a signed-in user's
///   password; the user's other sessions end.
enum SessionRoutes {
    /// `POST /v1/session` takes no credentials: it is added beside the authenticated group.
    static func addSignIn(to router: Router<APIRequestContext>, _ services: APIServices) {
        router.post("v1/session") { request, context in try await signIn(request, context, services) }
    }

    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.delete("session") { _, context in
            guard let session = context.session, let accounts = services.accounts else {
                throw APIProblem.badRequest("there is no session to end: this request was authenticated by a token or key, not the session cookie")
            }
            do {
                try await accounts.store.endSession(digest: session.digest)
            } catch {
                throw APIProblem.unavailable("the hub's database did not answer; retry later")
            }
            var response = Response(status: .noContent)
            response.setCookie(cookie(value: "", maxAge: 0, secure: accounts.sessions.secureCookie))
            return response
        }
        router.get("me") { _, context in try me(context, services) }
        router.post("me/password") { request, context in try await changePassword(request, context, services) }
    }

    static func accounts(_ services: APIServices) throws(APIProblem) -> AccountServices {
        guard let accounts = services.accounts else { throw APIProblem.notFound("accounts (this hub takes tokens and API keys only)") }
        return accounts
    }

    static func signIn(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let accounts = try accounts(services)
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(["login", "password"])
        let login = fields.string("login", required: true, maxLength: 64)?.lowercased()
        let password = fields.string("password", required: true, maxLength: PasswordPolicy.maximumLength)
        try fields.check("sign-in")
        guard let login, let password else { throw APIProblem.unprocessable("login and password are required") }

        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let subjects = [SignInThrottle.loginSubject(login)] + (context.remoteAddress.map { [SignInThrottle.addressSubject($0)] } ?? [])
        let failures = try await database { try await accounts.store.signInFailures(subjects) }
        if case .wait(let seconds) = accounts.throttle.decide(login: failures[subjects[0]], address: subjects.count > 1 ? failures[subjects[1]] : nil, now: now) {
            throw APIProblem.tooManyRequests("too many failed sign-ins for this login or from this address: try again in \(seconds) s", retryAfter: seconds)
        }
        let credential = try await database { try await accounts.store.credential(login: login) }
        let matches = try await hashing {
            if let credential { try await accounts.hasher.verify(password, against: credential.passwordHash) } else { try await accounts.hasher.verifyDecoy(password) }
        }
        guard let credential, matches, credential.user.status == .active, credential.user.principal != nil else {
            try await database { try await accounts.store.recordSignInFailure(subjects, now: now) }
            context.logger.notice("sign-in refused", metadata: ["login": "\(login)", "address": "\(context.remoteAddress ?? "unknown")"])
            throw APIProblem.unauthorized("the login or the password is wrong, or the account is disabled")
        }
        let user = credential.user
        if accounts.hasher.needsRehash(credential.passwordHash), let upgraded = try? await accounts.hasher.hash(password) {
            _ = try? await accounts.store.setPassword(userId: user.userId, hash: upgraded, mustChange: user.mustChangePassword, action: "user.password-rehashed",
                                                      by: .api(user.userId), now: Timestamp(Date()), sessions: .stay)
        }
        let secret = SessionSecret.generate()
        let csrf = SessionSecret.randomToken(bytes: 24)
        let expires = accounts.sessions.expiry(created: now, seen: now)
        try await database {
            try await accounts.store.clearSignInFailures(subjects[0])
            try await accounts.store.startSession(digest: secret.digest, userId: user.userId, csrfToken: csrf, address: context.remoteAddress, now: now, expires: expires)
        }
        context.logger.info("signed in", metadata: ["user": "\(user.userId)", "role": "\(user.role)"])
        var response = APIResponse.json(.ok, encoding: MeJSON(user: user, principal: user.principal, authenticatedBy: "session", csrfToken: csrf))
        response.setCookie(cookie(value: secret.token, maxAge: Int(accounts.sessions.absoluteSeconds), secure: accounts.sessions.secureCookie))
        return response
    }

    static func me(_ context: APIRequestContext, _ services: APIServices) throws -> Response {
        let principal = try context.caller()
        if let session = context.session {
            return APIResponse.json(.ok, encoding: MeJSON(user: session.user, principal: principal, authenticatedBy: "session", csrfToken: session.csrfToken))
        }
        return APIResponse.json(.ok, encoding: MeJSON(principal: principal, authenticatedBy: context.credentialsExpire == nil ? "api-key" : "token"))
    }

    static func changePassword(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let accounts = try accounts(services)
        guard let session = context.session else {
            throw APIProblem.forbidden("only a signed-in user changes its password (this request carries a token or key)")
        }
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(["currentPassword", "newPassword"])
        let current = fields.string("currentPassword", required: true, maxLength: PasswordPolicy.maximumLength)
        let new = fields.string("newPassword", required: true, maxLength: PasswordPolicy.maximumLength + 1)
        if let new, let problem = PasswordPolicy.problem(new, login: session.user.login) { fields.fail("newPassword", problem) }
        try fields.check("password change")
        guard let current, let new else { throw APIProblem.unprocessable("currentPassword and newPassword are required") }
        // Guessing the current password from a session (a borrowed laptop) counts as failed sign-ins of the login.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let subject = SignInThrottle.loginSubject(session.user.login)
        let failures = try await database { try await accounts.store.signInFailures([subject]) }
        if case .wait(let seconds) = accounts.throttle.decide(login: failures[subject], address: nil, now: now) {
            throw APIProblem.tooManyRequests("too many wrong passwords for this login: try again in \(seconds) s", retryAfter: seconds)
        }
        let stored = try await database { try await accounts.store.passwordHash(userId: session.user.userId) }
        let matches = try await hashing { if let stored { try await accounts.hasher.verify(current, against: stored) } else { false } }
        guard matches else {
            try await database { try await accounts.store.recordSignInFailure([subject], now: now) }
            throw APIProblem.unprocessable("currentPassword: is not the current password")
        }
        try await database { try await accounts.store.clearSignInFailures(subject) }
        let hash = try await hashing { try await accounts.hasher.hash(new) }
        let changed = try await database {
            try await accounts.store.setPassword(userId: session.user.userId, hash: hash, mustChange: false, action: "user.password-changed",
                                                 by: .api(session.user.userId), now: Timestamp(Date()), sessions: .end(keeping: session.digest))
        }
        guard case .success = changed else { throw APIProblem.notFound("user \(session.user.userId)") }
        return Response(status: .noContent)
    }

    static func cookie(value: String, maxAge: Int, secure: Bool) -> Cookie {
        Cookie(name: SessionPolicy.cookieName, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// Password hashing; a hasher with a full queue answers 503 with Retry-After.
    static func hashing<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch is PasswordHasher.HasherBusy {
            throw APIProblem(.serviceUnavailable, "the hub is busy signing others in: try again in a few seconds", retryAfter: 2)
        }
    }

    /// A store call; its failure answers 503 (the caller may retry), its text is not shown.
    static func database<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let problem as APIProblem {
            throw problem
        } catch {
            throw APIProblem.unavailable("the hub's database did not answer; retry later")
        }
    }
}

/// `GET /v1/me` and a sign-in's answer.
struct MeJSON: Encodable {
    var user: UserJSON?
    var subject: String
    var role: String
    var scope: [String: [String]]
    var dealerAdmin: Bool
    var authenticatedBy: String
    var csrfToken: String?
    var mustChangePassword: Bool
    /// The routes this caller may call (`METHOD /path`), from the rights matrix.
    var rights: [String]
    /// The roles this caller may give the accounts it manages (empty: it manages none).
    var grantableRoles: [String]

    init(user: UserRecord? = nil, principal: Principal?, authenticatedBy: String, csrfToken: String? = nil) {
        self.user = user.map(UserJSON.init)
        subject = principal?.subject ?? user?.userId ?? ""
        role = principal?.role.rawValue ?? user?.role ?? ""
        var scope: [String: [String]] = [:]
        if let principal {
            if let dealer = principal.dealerId { scope["dealer"] = [dealer] }
            if let branch = principal.branchId { scope["branch"] = [branch] }
            if !principal.provinces.isEmpty { scope["provinces"] = principal.provinces }
            if !principal.productLines.isEmpty { scope["productLines"] = principal.productLines }
            if let rep = principal.salesRepId { scope["salesRep"] = [rep] }
            if let carrier = principal.carrierId { scope["carrier"] = [carrier] }
        }
        self.scope = scope
        dealerAdmin = principal?.dealerAdmin ?? false
        self.authenticatedBy = authenticatedBy
        self.csrfToken = csrfToken
        mustChangePassword = user?.mustChangePassword ?? false
        rights = principal.map { RouteRights.routes(for: $0).map { "\($0.method.rawValue) \($0.path)" } } ?? []
        grantableRoles = principal.map { UserAdministration.grantable(by: UserAdministration.reach(of: $0)).map(\.rawValue) } ?? []
    }
}
