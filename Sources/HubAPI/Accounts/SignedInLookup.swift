public import Hummingbird

extension APIServices {
    /// The signed-in session of the request's session cookie; nil when there is no cookie, the
    /// session has ended, or the hub takes tokens only. For pages, which send a person to the
    /// sign-in page rather than answer 401.
    public func signedIn(_ request: Request) async -> SignedInSession? {
        guard let accounts, let cookie = request.cookies[SessionPolicy.cookieName] else { return nil }
        return try? await AuthenticationMiddleware<APIRequestContext>.session(cookie.value, accounts: accounts)
    }
}
