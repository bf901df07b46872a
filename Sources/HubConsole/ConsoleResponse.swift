import Foundation
import HTTPTypes
public import Hummingbird

/// How the console answers: HTML that no other site may frame and that runs only the hub's own
/// scripts, redirects, and its static files.
enum ConsoleResponse {
    static let languageCookie = "lubehub_lang"

    /// Scripts and styles only from the hub itself (no inline script: the pages pass data in
    /// `data-` attributes); images from the hub and the map's data URIs.
    static let securityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'"

    static func html(_ body: String, status: HTTPResponse.Status = .ok, language: ConsoleLanguage? = nil) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy: securityPolicy, .xFrameOptions: "DENY", .xContentTypeOptions: "nosniff",
        ]
        headers[.referrerPolicy] = "same-origin"
        var response = Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        if let language {
            response.setCookie(Cookie(name: languageCookie, value: language.rawValue, maxAge: 365 * 86_400, path: "/", httpOnly: true, sameSite: .lax))
        }
        return response
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// A place to go back to after signing in: a path on this site only (never `//host` or a
    /// scheme), else the home page.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), next.count <= 500,
              !next.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return "/" }
        return next.hasPrefix("/sign-in") ? "/" : next
    }

    static func queryEscaped(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let serverTiming = Self("Server-Timing")!
}
