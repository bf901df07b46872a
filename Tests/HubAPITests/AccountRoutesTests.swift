import Foundation
import HubAPI
import HubContracts
import HubMessaging
import HTTPTypes
@_spi(SQL) import HubStore
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// A browser's session: the cookie the hub set and the CSRF token it answered.
struct BrowserSession: Sendable {
    var cookie: String
    var csrf: String

    func headers(changing: Bool = true) -> HTTPFields {
        var fields: HTTPFields = [.cookie: "\(SessionPolicy.cookieName)=\(cookie)"]
        if changing { fields[HTTPField.Name("X-CSRF-Token")!] = csrf }
        return fields
    }
}

extension TestClientProtocol {
    /// `POST /v1/session`; the answer, and the session when it was 200.
    func signIn(_ login: String, _ password: String) async throws -> (APIAnswer, BrowserSession?) {
        let body = #"{"login":"\#(login)","password":"\#(password)"}"#
        let answer = try await execute(uri: "/v1/session", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)) { response in
            APIAnswer(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
        guard answer.status == .ok, let setCookie = answer.headers[.setCookie],
              let value = setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last, let csrf = answer["csrfToken"] as? String
        else { return (answer, nil) }
        return (answer, BrowserSession(cookie: String(value), csrf: csrf))
    }

    /// A call carrying only the session cookie (and the CSRF token unless `csrf` is false).
    func call(_ method: HTTPRequest.Method, _ uri: String, session: BrowserSession, body: String? = nil, csrf: Bool = true) async throws -> APIAnswer {
        var headers = session.headers(changing: csrf)
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            APIAnswer(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }
}

/// Log lines kept in memory, to look for what must never be written.
final class LogLines: Sendable {
    let lines = Mutex<[String]>([])
}

struct CapturedLog: LogHandler {
    let sink: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    init(_ sink: LogLines) { self.sink = sink }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        sink.lines.withLock { $0.append("\(event.level) \(event.message) \(all)") }
    }
}

@Suite("accounts: sign-in, sessions, CSRF, lockout, administration", .serialized)
struct AccountRoutesTests {
    static func unique(_ stem: String) -> String { "\(stem).\(UUID().uuidString.prefix(8).lowercased())" }

    @Test("signing in sets an HttpOnly SameSite cookie; /v1/me says who and what; signing out ends the session server-side")
    func signInAndOut() async throws {
        let hub = try await APITestHub.shared.value
        let login = Self.unique("zhang")
        let user = try await hub.addUser(login, password: "上海润滑油 2026 春", role: .dealer, dealerId: "D1")
        try await hub.application().test(.router) { client in
            let (answer, signedIn) = try await client.signIn(login.uppercased(), "上海润滑油 2026 春")
            #expect(answer.status == .ok, "\(answer.text)")
            let cookie = try #require(answer.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/") && !cookie.contains("Secure"), "\(cookie)")
            #expect(!answer.text.contains("scrypt") && !answer.text.contains("password\":"), "no hash, no password in the answer")
            let session = try #require(signedIn)
            let me = try await client.call(.get, "/v1/me", session: session, csrf: false)
            #expect(me.status == .ok)
            #expect(me["subject"] as? String == user.userId && me["role"] as? String == "dealer" && me["authenticatedBy"] as? String == "session")
            #expect((me["rights"] as? [String])?.contains("POST /v1/orders") == true && (me["rights"] as? [String])?.contains("GET /v1/audit") == false)
            let orders = try await client.call(.get, "/v1/orders", session: session, csrf: false)
            #expect(orders.status == .ok, "the session works on business routes: \(orders.text)")

            let out = try await client.call(.delete, "/v1/session", session: session)
            #expect(out.status == .noContent)
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
            let after = try await client.call(.get, "/v1/me", session: session, csrf: false)
            #expect(after.status == .unauthorized && after.isProblem, "a copied cookie is dead after sign-out: \(after.status)")
        }
    }

    @Test("a wrong password and an unknown login get the same 401; failures slow down, then the login is refused even with the right password")
    func wrongAndLockout() async throws {
        let hub = try await APITestHub.shared.value
        let login = Self.unique("li")
        try await hub.addUser(login, password: "correct horse 1", role: .salesRep, branchId: "BR-EAST", salesRepId: "R1")
        try await hub.application().test(.router) { client in
            let (wrong, _) = try await client.signIn(login, "not the password")
            let (unknown, _) = try await client.signIn(Self.unique("nobody"), "not the password")
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            #expect(wrong["detail"] as? String == unknown["detail"] as? String, "the answers do not tell which part was wrong")
            let limits = APITestHub.throttle.login
            for _ in 1..<limits.freeAttempts { _ = try await client.signIn(login, "still wrong") }
            let (lastFree, _) = try await client.signIn(login, "still wrong")
            #expect(lastFree.status == .unauthorized, "within the free attempts: \(lastFree.status)")
            let (slowed, _) = try await client.signIn(login, "correct horse 1")
            #expect(slowed.status == .tooManyRequests && slowed.headers[.retryAfter] != nil, "after \(limits.freeAttempts + 1) failures the next attempt waits: \(slowed.text)")
            #expect((slowed["detail"] as? String)?.contains("login or from this address") == true)
        }
    }

    @Test("guessing the current password from a session is throttled like sign-in")
    func passwordChangeThrottled() async throws {
        let hub = try await APITestHub.shared.value
        let login = Self.unique("chen")
        try await hub.addUser(login, password: "chen's password 1", role: .dealer, dealerId: "D1")
        try await hub.application().test(.router) { client in
            let session = try #require(try await client.signIn(login, "chen's password 1").1)
            let guess = #"{"currentPassword":"a guess","newPassword":"taken over 123"}"#
            for attempt in 0...APITestHub.throttle.login.freeAttempts {  // the free failures, and one past them
                let wrong = try await client.call(.post, "/v1/me/password", session: session, body: guess)
                #expect(wrong.status == .unprocessableContent, "guess \(attempt): \(wrong.text)")
            }
            let slowed = try await client.call(.post, "/v1/me/password", session: session,
                                               body: #"{"currentPassword":"chen's password 1","newPassword":"taken over 123"}"#)
            #expect(slowed.status == .tooManyRequests && slowed.headers[.retryAfter] != nil, "\(slowed.status) \(slowed.text)")
            #expect(try await client.signIn(login, "chen's password 1").0.status == .tooManyRequests, "the guesses count against sign-in too")
        }
    }

    @Test("renewing a weak hash at sign-in keeps the user's other sessions")
    func rehashKeepsSessions() async throws {
        let hub = try await APITestHub.shared.value
        let login = Self.unique("sun")
        let weak = PasswordHasher(cost: .init(log2N: 8))
        let user = try await hub.addUser(login, password: "sun's password 1", role: .dealer, dealerId: "D1", hashedBy: weak)
        let accounts = try #require(hub.services.accounts)
        try await hub.application().test(.router) { client in
            let first = try #require(try await client.signIn(login, "sun's password 1").1)
            #expect(try await accounts.store.passwordHash(userId: user.userId).map(accounts.hasher.needsRehash) == false, "renewed at the first sign-in")
            _ = try await accounts.store.setPassword(userId: user.userId, hash: try await weak.hash("sun's password 1"), mustChange: false, action: "test.weakened",
                                                     by: ChangeActor(id: "test", source: "test"), now: Timestamp(Date()), sessions: .stay)
            #expect(try await client.signIn(login, "sun's password 1").0.status == .ok)
            #expect(try await accounts.store.passwordHash(userId: user.userId).map(accounts.hasher.needsRehash) == false, "renewed again")
            let still = try await client.call(.get, "/v1/me", session: first, csrf: false)
            #expect(still.status == .ok, "the first session outlived the renewal: \(still.status)")
        }
    }

    @Test("a change made with the session cookie needs the CSRF token; a bearer token needs none")
    func csrf() async throws {
        let hub = try await APITestHub.shared.value
        let login = Self.unique("wang")
        try await hub.addUser(login, password: "first password 1", role: .dealer, dealerId: "D1")
        try await hub.application().test(.router) { client in
            let session = try #require(try await client.signIn(login, "first password 1").1)
            let body = #"{"currentPassword":"first password 1","newPassword":"second password 2"}"#
            let forged = try await client.call(.post, "/v1/me/password", session: session, body: body, csrf: false)
            #expect(forged.status == .forbidden && forged.isProblem && (forged["detail"] as? String)?.contains("CSRF") == true)
            var wrongToken = session
            wrongToken.csrf = String(session.csrf.reversed())
            #expect(try await client.call(.post, "/v1/me/password", session: wrongToken, body: body).status == .forbidden)
            let changed = try await client.call(.post, "/v1/me/password", session: session, body: body)
            #expect(changed.status == .noContent, "\(changed.text)")
            #expect(try await client.signIn(login, "second password 2").0.status == .ok)
            let withToken = try await client.call(.post, "/v1/orders/O-0000000000000000/cancel", as: APITestHub.d1, hub: hub, body: #"{"reason":"r"}"#)
            #expect(withToken.status != .forbidden, "a bearer token is not ambient: no CSRF token needed")
        }
    }

    @Test("disabling a user ends its sessions at once; a reset password must be changed before anything else")
    func disableAndReset() async throws {
        let hub = try await APITestHub.shared.value
        let login = Self.unique("zhao")
        let user = try await hub.addUser(login, password: "zhao's password 1", role: .dealer, dealerId: "D1")
        try await hub.application().test(.router) { client in
            let session = try #require(try await client.signIn(login, "zhao's password 1").1)
            #expect(try await client.call(.get, "/v1/orders", session: session, csrf: false).status == .ok)
            let disabled = try await client.call(.patch, "/v1/users/\(user.userId)", as: APITestHub.admin, hub: hub, body: #"{"version":1,"status":"disabled"}"#)
            #expect(disabled.status == .ok && disabled["status"] as? String == "disabled" && disabled["version"] as? Int == 2, "\(disabled.text)")
            #expect(try await client.call(.get, "/v1/orders", session: session, csrf: false).status == .unauthorized)
            #expect(try await client.signIn(login, "zhao's password 1").0.status == .unauthorized)
            let stale = try await client.call(.patch, "/v1/users/\(user.userId)", as: APITestHub.admin, hub: hub, body: #"{"version":1,"status":"active"}"#)
            #expect(stale.status == .conflict && stale.isProblem, "an edit of version 1 after version 2: \(stale.status)")
            #expect(try await client.call(.patch, "/v1/users/\(user.userId)", as: APITestHub.admin, hub: hub, body: #"{"version":2,"status":"active"}"#).status == .ok)

            let reset = try await client.call(.post, "/v1/users/\(user.userId)/password-reset", as: APITestHub.admin, hub: hub)
            let temporary = try #require(reset["temporaryPassword"] as? String)
            let fresh = try #require(try await client.signIn(login, temporary).1)
            let blocked = try await client.call(.get, "/v1/orders", session: fresh, csrf: false)
            #expect(blocked.status == .forbidden && (blocked["detail"] as? String)?.contains("change it first") == true)
            #expect(try await client.call(.get, "/v1/me", session: fresh, csrf: false)["mustChangePassword"] as? Bool == true)
            let body = #"{"currentPassword":"\#(temporary)","newPassword":"zhao's new password 2"}"#
            #expect(try await client.call(.post, "/v1/me/password", session: fresh, body: body).status == .noContent)
            #expect(try await client.call(.get, "/v1/orders", session: fresh, csrf: false).status == .ok)
        }
    }

    @Test("unknown and malformed fields are 422 naming each; a taken login is 409")
    func badInput() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let bad = try await client.call(.post, "/v1/users", as: APITestHub.admin, hub: hub,
                                            body: #"{"login":"x","displayName":"","role":"boss","colour":"red","dealerAdmin":"yes","password":"short"}"#)
            #expect(bad.status == .unprocessableContent && bad.isProblem)
            let issues = (bad["issues"] as? [String] ?? []).joined(separator: "\n")
            for field in ["login:", "displayName:", "role:", "colour:", "dealerAdmin:", "password:"] {
                #expect(issues.contains(field), "names \(field): \(issues)")
            }
            let login = Self.unique("dup")
            let body = #"{"login":"\#(login)","displayName":"重复","role":"dealer","dealerId":"D1"}"#
            let first = try await client.call(.post, "/v1/users", as: APITestHub.admin, hub: hub, body: body)
            #expect(first.status == .created && first["temporaryPassword"] is String && first["mustChangePassword"] as? Bool == true, "\(first.text)")
            #expect(try await client.call(.post, "/v1/users", as: APITestHub.admin, hub: hub, body: body).status == .conflict)
        }
    }

    /// Who manages whom, each way: 200 inside the caller's reach, 404 (as if absent) outside it,
    /// 403 for a caller who manages no accounts.
    @Test("user administration as a matrix: every managing role × accounts in and out of its scope, read and write")
    func administrationMatrix() async throws {
        let hub = try await APITestHub.shared.value
        let d1Admin = Principal(subject: "U-D1-ADMIN", role: .dealer, dealerId: "D1", dealerAdmin: true)
        let targets: [(String, UserRecord)] = [
            ("east rep", try await hub.addUser(Self.unique("rep.east"), password: "password one 1", role: .salesRep, branchId: "BR-EAST", salesRepId: "R1")),
            ("north rep", try await hub.addUser(Self.unique("rep.north"), password: "password one 1", role: .salesRep, branchId: "BR-NORTH", salesRepId: "R2")),
            ("D1 user", try await hub.addUser(Self.unique("d1.user"), password: "password one 1", role: .dealer, dealerId: "D1")),
            ("D2 user", try await hub.addUser(Self.unique("d2.user"), password: "password one 1", role: .dealer, dealerId: "D2")),
            ("D3 user", try await hub.addUser(Self.unique("d3.user"), password: "password one 1", role: .dealer, dealerId: "D3")),
        ]
        // (caller, the targets it reaches); nil: it manages none (403 on every route).
        let reach: [(String, Principal, Set<String>?)] = [
            ("admin", APITestHub.admin, ["east rep", "north rep", "D1 user", "D2 user", "D3 user"]),
            ("east branch manager", APITestHub.eastManager, ["east rep", "D1 user", "D2 user"]),
            ("D1's administrator", d1Admin, ["D1 user"]),
            ("D1's plain user", APITestHub.d1, nil),
            ("sales rep", APITestHub.rep1, nil),
            ("area manager", APITestHub.shanghaiArea, nil),
            ("carrier", APITestHub.carrier, nil),
            ("system", APITestHub.system, nil),
        ]
        try await hub.application().test(.router) { client in
            for (callerName, caller, reached) in reach {
                for (targetName, target) in targets {
                    let read = try await client.call(.get, "/v1/users/\(target.userId)", as: caller, hub: hub)
                    let current = (read["version"] as? Int) ?? Int(target.version)
                    let write = try await client.call(.patch, "/v1/users/\(target.userId)", as: caller, hub: hub,
                                                      body: #"{"version":\#(current),"displayName":"改名 \#(callerName)"}"#)
                    let expected: HTTPResponse.Status = reached == nil ? .forbidden : reached?.contains(targetName) == true ? .ok : .notFound
                    #expect(read.status == expected, "\(callerName) reads \(targetName): \(read.status) \(read.text)")
                    #expect(write.status == expected, "\(callerName) changes \(targetName): \(write.status) \(write.text)")
                }
                let listing = try await client.call(.get, "/v1/users?limit=500", as: caller, hub: hub)
                if let reached {
                    let listed = Set((listing["users"] as? [[String: Any]] ?? []).compactMap { $0["userId"] as? String })
                    for (targetName, target) in targets {
                        #expect(listed.contains(target.userId) == reached.contains(targetName), "\(callerName) lists \(targetName)")
                    }
                } else {
                    #expect(listing.status == .forbidden)
                }
            }
            // Granting: a branch manager cannot make an administrator, nor a user of another branch's dealer.
            let admin = try await client.call(.post, "/v1/users", as: APITestHub.eastManager, hub: hub,
                                              body: #"{"login":"\#(Self.unique("boss"))","displayName":"老板","role":"admin"}"#)
            #expect(admin.status == .forbidden)
            let foreign = try await client.call(.post, "/v1/users", as: APITestHub.eastManager, hub: hub,
                                                body: #"{"login":"\#(Self.unique("north"))","displayName":"北方","role":"dealer","dealerId":"D3"}"#)
            #expect(foreign.status == .notFound)
            let own = try await client.call(.post, "/v1/users", as: d1Admin, hub: hub,
                                            body: #"{"login":"\#(Self.unique("d1.new"))","displayName":"新员工","role":"dealer","dealerId":"D1"}"#)
            #expect(own.status == .created, "\(own.text)")
            let elevate = try await client.call(.post, "/v1/users", as: d1Admin, hub: hub,
                                                body: #"{"login":"\#(Self.unique("d1.rep"))","displayName":"销售","role":"sales-rep","branchId":"BR-EAST","salesRepId":"R9"}"#)
            #expect(elevate.status == .forbidden)
        }
    }

    @Test("every change is in the audit log with before and after, readable by administrators only")
    func audit() async throws {
        let hub = try await APITestHub.shared.value
        let user = try await hub.addUser(Self.unique("audited"), password: "password one 1", role: .dealer, dealerId: "D1")
        try await hub.application().test(.router) { client in
            let trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            #expect(try await client.call(.patch, "/v1/users/\(user.userId)", as: APITestHub.admin, hub: hub, body: #"{"version":1,"status":"disabled"}"#,
                                          headers: [HTTPField.Name("traceparent")!: trace]).status == .ok)
            let log = try await client.call(.get, "/v1/audit?subjectKind=user&subjectId=\(user.userId)", as: APITestHub.admin, hub: hub)
            let entries = log["entries"] as? [[String: Any]] ?? []
            #expect(entries.map { $0["action"] as? String } == ["user.disabled", "user.created"])
            let disabled = try #require(entries.first)
            #expect(disabled["actor"] as? String == APITestHub.admin.subject)
            #expect((disabled["before"] as? [String: String])?["status"] == "active" && (disabled["after"] as? [String: String])?["status"] == "disabled")
            #expect(try await client.call(.get, "/v1/audit", as: APITestHub.eastManager, hub: hub).status == .forbidden)
            let rows = try await hub.rows("SELECT topic, trace_parent FROM outbox WHERE event_id = ?", .text(disabled["eventId"] as? String ?? ""))
            #expect(rows.first?.string(0) == hub.prefix + "hub.audit", "the change also goes out on hub.audit")
            let sent = rows.first?.string(1).flatMap { TraceParent($0) }
            #expect(sent?.traceID == TraceParent(trace)?.traceID && sent?.description != trace, "in the request's trace, from the API's span: \(String(describing: sent))")
        }
    }

    @Test("a password is never written to the log, nor stored in clear")
    func passwordNeverLogged() async throws {
        let hub = try await APITestHub.shared.value
        let login = Self.unique("secret")
        let password = "pw-\(UUID().uuidString)"
        try await hub.addUser(login, password: password, role: .dealer, dealerId: "D1")
        let sink = LogLines()
        let logger = Logger(label: "api-log-test") { _ in CapturedLog(sink) }
        let application = APIServer.application(host: "127.0.0.1", port: 0, readiness: [], metrics: { "" }, services: hub.services, logger: logger)
        try await application.test(.router) { client in
            _ = try await client.signIn(login, password + "x")
            let session = try #require(try await client.signIn(login, password).1)
            _ = try await client.call(.post, "/v1/me/password", session: session, body: #"{"currentPassword":"\#(password)","newPassword":"\#(password)-2"}"#)
        }
        let logged = sink.lines.withLock { $0 }
        #expect(logged.contains { $0.contains("signed in") } && logged.contains { $0.contains("sign-in refused") }, "the sign-ins were logged: \(logged.count) lines")
        #expect(!logged.contains { $0.contains(password) }, "no log line holds the password")
        let stored = try await hub.rows("SELECT password_hash FROM users WHERE login = ?", .text(login))
        #expect(stored.first?.string(0)?.hasPrefix("$scrypt$") == true && stored.first?.string(0)?.contains(password) == false)
    }
}
