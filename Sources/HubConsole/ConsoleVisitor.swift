public import HubAPI
public import Hummingbird

/// Who looks at a page: the signed-in session (from the session cookie), what the account may
/// do, and the language the page is written in.
public struct ConsoleVisitor: Sendable {
    public var session: SignedInSession
    public var principal: Principal
    public var language: ConsoleLanguage

    public var isDealer: Bool { principal.role == .dealer }
    public var isStaff: Bool { principal.role.isStaff || principal.role == .system }
}

/// Where a page request goes when it cannot be shown to a signed-in visitor.
enum ConsoleDetour: Error {
    /// Nobody is signed in (or the session ended): to the sign-in page, and back here after.
    case signIn(next: String)
    /// An administrator reset the password: to the password page first.
    case changePassword

    var response: Response {
        switch self {
        case .signIn(let next): ConsoleResponse.redirect("/sign-in?next=" + ConsoleResponse.queryEscaped(next))
        case .changePassword: ConsoleResponse.redirect("/password")
        }
    }
}

extension ConsoleLanguage {
    /// The language of a request: `?lang=`, then the `lang` cookie, else Chinese.
    static func of(_ request: Request) -> ConsoleLanguage {
        of(query: request.uri.queryParameters["lang"].map(String.init), cookie: request.cookies[ConsoleResponse.languageCookie]?.value)
    }
}

extension APIServices {
    /// The visitor of a page, or where to send the request instead.
    func visitor(_ request: Request, allowPasswordChangeOnly: Bool = false) async -> Result<ConsoleVisitor, ConsoleDetour> {
        guard let session = await signedIn(request), let principal = session.user.principal else {
            return .failure(.signIn(next: ConsoleResponse.safeNext(request.uri.path + (request.uri.query.map { "?" + $0 } ?? ""))))
        }
        if session.user.mustChangePassword, !allowPasswordChangeOnly { return .failure(.changePassword) }
        return .success(ConsoleVisitor(session: session, principal: principal, language: .of(request)))
    }
}
