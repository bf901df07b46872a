import HubAPI
import Hummingbird

/// Signing in and the password: the forms post to the API (`POST /v1/session` with `login` and
/// `password`, `POST /v1/me/password`), whose answers the page's script shows — a wrong password
/// and a lockout with their own messages.
extension Console {
    func signIn(_ request: Request) async -> Response {
        let next = ConsoleResponse.safeNext(request.uri.queryParameters["next"].map(String.init))
        let language = ConsoleLanguage.of(request)
        let asked = request.uri.queryParameters["lang"].flatMap { ConsoleLanguage(rawValue: String($0)) }
        if case .success = await services.visitor(request, allowPasswordChangeOnly: true) {
            return ConsoleResponse.redirect(next)
        }
        let text = ConsoleText.strings(language)
        let page = Page(template: "sign-in", title: text["signIn"] ?? "", context: [
            "next": next,
            "lockedOut": text["lockedOut"] ?? "", "wrongCredentials": text["wrongCredentials"] ?? "",
            "ended": request.cookies[SessionPolicy.cookieName] != nil,
        ])
        return ConsoleResponse.html(render(page, visitor: nil, path: "/sign-in", language: language), language: asked)
    }

    func passwordPage(_ request: Request) async -> Response {
        switch await services.visitor(request, allowPasswordChangeOnly: true) {
        case .failure(let detour):
            return detour.response
        case .success(let visitor):
            let text = ConsoleText.strings(visitor.language)
            let page = Page(template: "password", title: text["changePassword"] ?? "", context: [
                "forced": visitor.session.user.mustChangePassword, "done": text["passwordChanged"] ?? "",
            ])
            return ConsoleResponse.html(render(page, visitor: visitor, path: "/password"))
        }
    }
}
