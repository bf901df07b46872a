import Foundation
import HubContracts
import HubStore
import Hummingbird

/// Accounts, managed by those allowed (``UserAdministration``):
///
/// - `GET /v1/users?role=&dealerId=&status=&q=&limit=&offset=`: the accounts in the caller's reach.
/// - `POST /v1/users`: creates one (201); its first password is given (`password`) or generated and
///   answered once (`temporaryPassword`), to be changed at the first sign-in.
/// - `GET /v1/users/{userId}`; `PATCH /v1/users/{userId}` with the `version` read (409 when it
///   moved); `DELETE /v1/users/{userId}?version=`.
/// - `POST /v1/users/{userId}/password-reset`: a new temporary password, answered once; the
///   account's sessions end and it must change the password at its next sign-in.
///
/// An account outside the caller's reach is 404, exactly like one that does not exist. Every
/// change is in the audit log and on `hub.audit`.
enum UserRoutes {
    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.get("users") { request, context in try await list(request, context, services) }
        router.post("users") { request, context in try await create(request, context, services) }
        router.get("users/:userId") { _, context in
            let (user, _) = try await reachable(context, services)
            return APIResponse.json(.ok, encoding: UserJSON(user))
        }
        router.patch("users/:userId") { request, context in try await change(request, context, services) }
        router.delete("users/:userId") { request, context in try await delete(request, context, services) }
        router.post("users/:userId/password-reset") { _, context in try await resetPassword(context, services) }
        router.get("audit") { request, context in try await audit(request, context, services) }
    }

    static let createFields: Set<String> = ["login", "displayName", "role", "dealerId", "dealerAdmin", "branchId", "provinces", "productLines",
                                            "salesRepId", "carrierId", "password"]
    static let changeFields: Set<String> = ["version", "displayName", "role", "dealerId", "dealerAdmin", "branchId", "provinces", "productLines",
                                            "salesRepId", "carrierId", "status"]

    /// The caller's reach; 403 when it manages no account (a dealer user who is not its dealer's administrator).
    static func reach(_ context: APIRequestContext) throws -> (Principal, UserAdministration.Reach) {
        let principal = try context.caller()
        let reach = UserAdministration.reach(of: principal)
        if reach == .none { throw APIProblem.forbidden("a \(principal.role.rawValue) who is not its dealer's administrator manages no accounts") }
        return (principal, reach)
    }

    /// What the decision needs to know of an account: its dealer's branch looked up.
    static func target(of user: UserRecord, _ services: APIServices) async throws -> UserAdministration.Target? {
        guard let role = Principal.Role(rawValue: user.role) else { return nil }
        return UserAdministration.Target(role: role, dealerId: user.dealerId, dealerBranch: try await dealerBranch(user.dealerId, services), branchId: user.branchId)
    }

    static func dealerBranch(_ dealerId: String?, _ services: APIServices) async throws -> String? {
        guard let dealerId else { return nil }
        return try await services.database.read { reader throws(StoreError) in try reader.dealers.dealer(dealerId)?.branchId }
    }

    /// The account named in the path, when the caller reaches it; else 404.
    static func reachable(_ context: APIRequestContext, _ services: APIServices) async throws -> (UserRecord, UserAdministration.Reach) {
        let accounts = try SessionRoutes.accounts(services)
        let (_, reach) = try reach(context)
        let userId = context.parameters.get("userId") ?? ""
        guard RequestFields.isIdentifier(userId), let user = try await SessionRoutes.database({ try await accounts.store.user(id: userId) }),
              let target = try await target(of: user, services), UserAdministration.covers(reach, target) else {
            throw APIProblem.notFound("user \(userId)")
        }
        return (user, reach)
    }

    static func actor(_ context: APIRequestContext, _ principal: Principal) -> ChangeActor {
        .api(principal.subject)
    }

    static func list(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let accounts = try SessionRoutes.accounts(services)
        let (_, reach) = try reach(context)
        let query = request.uri.queryParameters
        var filter = UserFilter(limit: min(max(Int(query["limit"].map(String.init) ?? "") ?? 50, 1), 500),
                                offset: max(Int(query["offset"].map(String.init) ?? "") ?? 0, 0))
        var issues: [String] = []
        if let role = query["role"].map(String.init) {
            if Principal.Role(rawValue: role) == nil { issues.append("role: not a role (\(Principal.Role.allCases.map(\.rawValue).joined(separator: ", ")))") }
            filter.role = role
        }
        if let status = query["status"].map(String.init) {
            if let known = UserRecord.Status(rawValue: status) { filter.status = known } else { issues.append("status: active or disabled") }
        }
        if let dealer = query["dealerId"].map(String.init) {
            if RequestFields.isIdentifier(dealer) { filter.dealerId = dealer } else { issues.append("dealerId: not an identifier") }
        }
        if let text = query["q"].map(String.init) {
            if text.count <= 64 { filter.text = text } else { issues.append("q: at most 64 characters") }
        }
        if !issues.isEmpty { throw APIProblem.unprocessable("the listing's query is not valid", issues: issues) }
        filter = UserAdministration.scoped(filter, to: reach)
        let page = try await SessionRoutes.database { [filter] in try await accounts.store.users(filter) }
        return APIResponse.json(.ok, encoding: UserPage(users: page.users.map(UserJSON.init), total: page.total, limit: filter.limit, offset: filter.offset))
    }

    struct UserPage: Encodable { var users: [UserJSON]; var total: Int; var limit: Int; var offset: Int }

    /// Reads the role and scope fields of a create or a change onto `user`.
    static func read(_ fields: inout RequestFields, onto user: inout UserRecord) {
        if let name = fields.string("displayName", maxLength: 60) {
            if name.trimmingCharacters(in: .whitespaces).isEmpty { fields.fail("displayName", "must not be empty") } else { user.displayName = name }
        }
        if let role = fields.string("role", maxLength: 40) {
            if Principal.Role(rawValue: role) == nil || role == Principal.Role.system.rawValue {
                fields.fail("role", "must be one of \(Principal.Role.allCases.filter { $0 != .system }.map(\.rawValue).joined(separator: ", "))")
            } else {
                user.role = role
            }
        }
        if fields.has("dealerId") { user.dealerId = fields.identifier("dealerId") }
        if let flag = fields.boolean("dealerAdmin") { user.dealerAdmin = flag }
        if fields.has("branchId") { user.branchId = fields.identifier("branchId") }
        if let provinces = fields.strings("provinces", count: 0...40, maxLength: 20) { user.provinces = provinces }
        if let lines = fields.strings("productLines", count: 0...40, maxLength: 40) { user.productLines = lines }
        if fields.has("salesRepId") { user.salesRepId = fields.identifier("salesRepId") }
        if fields.has("carrierId") { user.carrierId = fields.identifier("carrierId") }
    }

    /// Keeps only the scope fields the role uses, and names what the role is missing.
    static func normalise(_ user: inout UserRecord, _ fields: inout RequestFields) {
        guard let role = Principal.Role(rawValue: user.role) else { return }
        if role != .dealer { user.dealerId = nil; user.dealerAdmin = false }
        if ![.branchManager, .salesRep].contains(role) { user.branchId = nil }
        if role != .areaManager { user.provinces = [] }
        if role != .productLineManager { user.productLines = [] }
        if role != .salesRep { user.salesRepId = nil }
        if role != .carrier { user.carrierId = nil }
        if let principal = user.principal, let missing = principal.missingAttribute() { fields.fail("role", missing) }
        if role == .salesRep && user.branchId == nil { fields.fail("branchId", "a sales-rep belongs to a branch") }
    }

    static func create(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let accounts = try SessionRoutes.accounts(services)
        let (principal, reach) = try reach(context)
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(createFields)
        var user = UserRecord(userId: services.identifier("U"), login: "", displayName: "", role: "")
        if let login = fields.string("login", required: true, maxLength: 64) {
            if Self.isLogin(login) { user.login = login.lowercased() } else { fields.fail("login", "3–64 of letters, digits and . _ - @, starting with a letter or digit") }
        }
        if !fields.has("displayName") { fields.fail("displayName", "is required") }
        if !fields.has("role") { fields.fail("role", "is required") }
        read(&fields, onto: &user)
        normalise(&user, &fields)
        let given = fields.string("password", maxLength: PasswordPolicy.maximumLength + 1)
        if let given, let problem = PasswordPolicy.problem(given, login: user.login) { fields.fail("password", problem) }
        try fields.check("user")
        guard let role = Principal.Role(rawValue: user.role) else { throw APIProblem.unprocessable("role: is required") }
        guard UserAdministration.grantable(by: reach).contains(role) else {
            throw APIProblem.forbidden("a \(principal.role.rawValue) may not create a \(role.rawValue) (it may: \(UserAdministration.grantable(by: reach).map(\.rawValue).joined(separator: ", ")))")
        }
        let branch = try await dealerBranch(user.dealerId, services)
        if role == .dealer && branch == nil { throw APIProblem.unprocessable("dealerId: dealer \(user.dealerId ?? "") is not known to the hub") }
        guard UserAdministration.covers(reach, .init(role: role, dealerId: user.dealerId, dealerBranch: branch, branchId: user.branchId)) else {
            throw APIProblem.notFound("dealer or branch of the new user")
        }
        let temporary = given == nil ? Self.temporaryPassword() : nil
        user.mustChangePassword = temporary != nil
        let hash = try await SessionRoutes.hashing { try await accounts.hasher.hash(given ?? temporary ?? "") }
        let created = try await SessionRoutes.database {
            try await accounts.store.create(user, passwordHash: hash, by: actor(context, principal), now: Timestamp(Date()))
        }
        switch created {
        case .success(let user):
            var body = try JSONSerialization.jsonObject(with: JSONEncoder().encode(UserJSON(user))) as? [String: any Sendable] ?? [:]
            if let temporary { body["temporaryPassword"] = temporary }
            var response = APIResponse.json(.created, body)
            response.headers[.location] = "/v1/users/\(user.userId)"
            return response
        case .failure(let refusal):
            throw problem(refusal, user.userId)
        }
    }

    static func change(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let accounts = try SessionRoutes.accounts(services)
        let (current, reach) = try await reachable(context, services)
        let principal = try context.caller()
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(changeFields)
        let version = fields.integer("version", required: true, range: 1...Int.max)
        var edited = current
        read(&fields, onto: &edited)
        if let status = fields.string("status", maxLength: 20) {
            if let known = UserRecord.Status(rawValue: status) { edited.status = known } else { fields.fail("status", "active or disabled") }
        }
        normalise(&edited, &fields)
        try fields.check("user change")
        guard let role = Principal.Role(rawValue: edited.role) else { throw APIProblem.unprocessable("role: not a role") }
        if edited.userId == principal.subject && (edited.status == .disabled || edited.role != current.role) {
            throw APIProblem.conflict("you cannot disable yourself or change your own role; another administrator can")
        }
        if edited.role != current.role || edited.dealerAdmin != current.dealerAdmin, !UserAdministration.grantable(by: reach).contains(role) {
            throw APIProblem.forbidden("a \(principal.role.rawValue) may not make an account a \(role.rawValue)")
        }
        let branch = try await dealerBranch(edited.dealerId, services)
        guard UserAdministration.covers(reach, .init(role: role, dealerId: edited.dealerId, dealerBranch: branch, branchId: edited.branchId)) else {
            throw APIProblem.notFound("dealer or branch the account would move to")
        }
        let action = edited.status != current.status ? (edited.status == .disabled ? "user.disabled" : "user.enabled") : "user.changed"
        let result = try await SessionRoutes.database {
            try await accounts.store.update(userId: current.userId, expectedVersion: Int64(version ?? 0), action: action, by: actor(context, principal),
                                            now: Timestamp(Date())) { [edited] user in
                let keep = (user.userId, user.login, user.version, user.createdAt, user.mustChangePassword)
                user = edited
                (user.userId, user.login, user.version, user.createdAt, user.mustChangePassword) = keep
            }
        }
        switch result {
        case .success(let user): return APIResponse.json(.ok, encoding: UserJSON(user))
        case .failure(let refusal): throw problem(refusal, current.userId)
        }
    }

    static func delete(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let accounts = try SessionRoutes.accounts(services)
        let (current, _) = try await reachable(context, services)
        let principal = try context.caller()
        guard let text = request.uri.queryParameters["version"], let version = Int64(text), version > 0 else {
            throw APIProblem.unprocessable("version: the account's version you read is required (?version=N)")
        }
        if current.userId == principal.subject { throw APIProblem.conflict("you cannot delete yourself; another administrator can") }
        let result = try await SessionRoutes.database {
            try await accounts.store.delete(userId: current.userId, expectedVersion: version, by: actor(context, principal), now: Timestamp(Date()))
        }
        if case .failure(let refusal) = result { throw problem(refusal, current.userId) }
        return Response(status: .noContent)
    }

    static func resetPassword(_ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let accounts = try SessionRoutes.accounts(services)
        let (current, _) = try await reachable(context, services)
        let principal = try context.caller()
        let temporary = temporaryPassword()
        let hash = try await SessionRoutes.hashing { try await accounts.hasher.hash(temporary) }
        let result = try await SessionRoutes.database {
            try await accounts.store.setPassword(userId: current.userId, hash: hash, mustChange: true, action: "user.password-reset",
                                                 by: actor(context, principal), now: Timestamp(Date()), sessions: .end(keeping: nil))
        }
        switch result {
        case .success(let user): return APIResponse.json(.ok, ["userId": user.userId, "temporaryPassword": temporary, "mustChangePassword": true])
        case .failure(let refusal): throw problem(refusal, current.userId)
        }
    }

    static func audit(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let accounts = try SessionRoutes.accounts(services)
        let query = request.uri.queryParameters
        let kind = query["subjectKind"].map(String.init)
        let id = query["subjectId"].map(String.init)
        let before = query["before"].flatMap { Int64(String($0)) }
        let limit = min(max(Int(query["limit"].map(String.init) ?? "") ?? 100, 1), 500)
        let entries = try await SessionRoutes.database { try await accounts.store.audit(kind: kind, id: id, before: before, limit: limit) }
        return APIResponse.json(.ok, encoding: AuditPage(entries: entries.map(AuditJSON.init), nextBefore: entries.count == limit ? entries.last?.sequence : nil))
    }

    struct AuditJSON: Encodable {
        var sequence: Int64, eventId: String, at: String, actor: String, action: String, subjectKind: String, subjectId: String
        var before: [String: String]?, after: [String: String]?
        init(_ entry: AuditEntry) {
            (sequence, eventId, at, actor, action) = (entry.sequence, entry.eventId, entry.at, entry.actor, entry.action)
            (subjectKind, subjectId, before, after) = (entry.subjectKind, entry.subjectId, entry.before, entry.after)
        }
    }

    struct AuditPage: Encodable { var entries: [AuditJSON]; var nextBefore: Int64? }

    static func problem(_ refusal: AccountWriteRefusal, _ userId: String) -> APIProblem {
        switch refusal {
        case .notFound: .notFound("user \(userId)")
        case .stale(let expected, let current): .conflict("the account changed since you read it (version \(expected), now \(current)): read it again and redo the change")
        case .loginTaken(let login): .conflict("login \(login) is taken: choose another")
        }
    }

    static func isLogin(_ text: String) -> Bool {
        guard (3...64).contains(text.count), let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_@".unicodeScalars.contains($0)) }
    }

    /// 16 characters from an alphabet without look-alikes (no 0/O, 1/l/I): for reading out over the phone.
    static func temporaryPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
