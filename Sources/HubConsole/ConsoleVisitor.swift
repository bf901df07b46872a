public import HubAPI
public import HubContracts
import HubStore
public import Hummingbird

/// Who looks at a page: the signed-in session (from the session cookie), what the account may
/// do, and the language the page is written in.
public struct ConsoleVisitor: Sendable {
    public var session: SignedInSession
    public var principal: Principal
    public var language: ConsoleLanguage
    /// A dealer user's dealer's tier (tier-1 dealers order from the company; tier-2 from their tier-1).
    public var dealerTier: DealerTier?

    /// Whether the visitor's dealer has a tier-1 dealer supplying it.
    public var hasParentDealer = false
    /// A dealer that orders from the company: a tier-1 dealer, a key account, a quick-lube centre no dealer supplies.
    public var ordersFromCompany: Bool { dealerTier?.ordersFromCompany(hasParent: hasParentDealer) ?? false }
    /// A dealer that orders from its tier-1 dealer: a tier-2 dealer, a quick-lube centre a dealer supplies.
    public var ordersFromParent: Bool { dealerTier?.ordersFromParent(hasParent: hasParentDealer) ?? false }

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
        var dealer: DealerRecord?
        if principal.role == .dealer, let dealerId = principal.dealerId {
            dealer = try? await database.read { reader throws(StoreError) in try reader.dealers.dealer(dealerId) }
        }
        var visitor = ConsoleVisitor(session: session, principal: principal, language: .of(request), dealerTier: dealer?.tier)
        visitor.hasParentDealer = dealer?.parentDealerId != nil
        return .success(visitor)
    }
}
