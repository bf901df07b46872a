import HubAPI
import HubContracts
import HubStore
import Hummingbird

/// Administration: the accounts a visitor manages (an administrator all; a branch manager its
/// branch's sales representatives and dealer users; a dealer's own administrator its dealer's
/// users) — listed, created, disabled and enabled, their passwords reset — and, for
/// administrators, the audit log. Every change goes through the user routes of the API.
extension Console {
    func users(_ request: Request, _ visitor: ConsoleVisitor) async throws -> Page {
        let reach = UserAdministration.reach(of: visitor.principal)
        guard reach != .none, let accounts = services.accounts else { throw APIProblem.forbidden("this account manages no other accounts") }
        let text = request.uri.queryParameters["q"].map(String.init).flatMap { $0.isEmpty || $0.count > 64 ? nil : $0 }
        let filter = UserAdministration.scoped(UserFilter(text: text, limit: 200), to: reach)
        let found: (users: [UserRecord], total: Int)
        do {
            found = try await accounts.store.users(filter)
        } catch {
            throw APIProblem.unavailable("the hub's database did not answer")
        }
        let language = visitor.language
        let dealerOnly: String? = if case .dealer(let dealer) = reach { dealer } else { nil }
        return Page(template: "users", title: ConsoleText.text("users", language), context: [
            "users": found.users.map { user -> [String: Any] in
                var scope: [String] = []
                if let dealer = user.dealerId { scope.append(dealer + (user.dealerAdmin ? " (\(ConsoleText.text("dealerAdmin", language)))" : "")) }
                if let branch = user.branchId { scope.append(branch) }
                scope += user.provinces + user.productLines
                if let rep = user.salesRepId { scope.append(rep) }
                if let carrier = user.carrierId { scope.append(carrier) }
                let active = user.status == .active
                return ["userId": user.userId, "login": user.login, "displayName": user.displayName,
                        "role": ConsoleText.text("role." + user.role, language), "scope": scope.joined(separator: " · "),
                        "statusLabel": ConsoleText.text(active ? "userActive" : "userDisabled", language), "active": active,
                        "nextStatus": active ? "disabled" : "active", "toggle": ConsoleText.text(active ? "disable" : "enable", language),
                        "version": user.version, "self": user.userId == visitor.session.user.userId]
            },
            "found": ConsoleText.text("found", language).replacingOccurrences(of: "{n}", with: "\(found.total)"), "q": text ?? "",
            "roles": UserAdministration.grantable(by: reach).map { ["value": $0.rawValue, "label": ConsoleText.text("role." + $0.rawValue, language)] },
            "fixedDealer": dealerOnly ?? "", "askDealer": dealerOnly == nil,
        ])
    }

    func audit(_ request: Request, _ visitor: ConsoleVisitor) async throws -> Page {
        guard visitor.principal.role == .admin, let accounts = services.accounts else { throw APIProblem.forbidden("the audit log is the administrators'") }
        let before = request.uri.queryParameters["before"].flatMap { Int64(String($0)) }
        let entries: [AuditEntry]
        do {
            entries = try await accounts.store.audit(before: before, limit: 100)
        } catch {
            throw APIProblem.unavailable("the hub's database did not answer")
        }
        let language = visitor.language
        func fields(_ values: [String: String]?) -> String {
            (values ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        return Page(template: "audit", title: ConsoleText.text("auditLog", language), context: [
            "entries": entries.map { entry -> [String: Any] in
                // What changed: the fields whose value differs, before → after.
                let keys = Set((entry.before ?? [:]).keys).union((entry.after ?? [:]).keys).sorted()
                let changes = keys.compactMap { key -> String? in
                    let old = entry.before?[key], new = entry.after?[key]
                    guard old != new else { return nil }
                    return "\(key): \(old ?? "—") → \(new ?? "—")"
                }
                return ["at": ConsoleFormat.time(entry.at, language), "actor": entry.actor, "action": entry.action,
                        "subject": "\(entry.subjectKind) \(entry.subjectId)", "changes": changes.isEmpty ? fields(entry.after) : changes.joined(separator: "; ")]
            },
            "empty": entries.isEmpty,
            "next": entries.count == 100 ? "/audit?before=\(entries.last?.sequence ?? 0)" : "",
        ])
    }
}
