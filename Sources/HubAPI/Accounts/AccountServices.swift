import Crypto
import Foundation
public import HubStore

/// What sign-in and accounts work with: the store, the password hasher, the throttle and the
/// session policy.
public struct AccountServices: Sendable {
    public var store: AccountStore
    public var hasher: PasswordHasher
    public var throttle: SignInThrottle
    public var sessions: SessionPolicy

    public init(store: AccountStore, hasher: PasswordHasher, throttle: SignInThrottle = SignInThrottle(), sessions: SessionPolicy = SessionPolicy()) {
        self.store = store
        self.hasher = hasher
        self.throttle = throttle
        self.sessions = sessions
    }
}

/// How long sessions live and how their cookie is set.
public struct SessionPolicy: Sendable, Hashable {
    /// The cookie's name.
    public static let cookieName = "lubehub_session"
    /// The header a cookie-authenticated state-changing request must carry, echoing the session's token.
    public static let csrfHeader = "X-CSRF-Token"

    /// A session unused this long ends.
    public var idleSeconds: Int64 = 2 * 3600
    /// A session ends this long after sign-in, used or not: a working day.
    public var absoluteSeconds: Int64 = 12 * 3600
    /// A session's last use is written at most this often (not on every request).
    public var touchSeconds: Int64 = 60
    /// Mark the cookie Secure: set when the API is served over TLS (directly or behind a proxy).
    public var secureCookie = false

    public init(secureCookie: Bool = false) {
        self.secureCookie = secureCookie
    }

    /// When a session seen at `seen` and created at `created` ends.
    public func expiry(created: Int64, seen: Int64) -> Int64 {
        min(created + absoluteSeconds * 1000, seen + idleSeconds * 1000)
    }
}

/// A session's secret (the cookie's value) and what the store keeps of it.
public struct SessionSecret: Sendable, Hashable {
    /// The cookie's value: 32 random bytes, base64url.
    public var token: String

    public static func generate() -> SessionSecret {
        SessionSecret(token: randomToken())
    }

    /// The SHA-256 (hex) the store keeps: a copy of the sessions table signs nobody in.
    public var digest: String { Self.digest(of: token) }

    public static func digest(of token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// 32 random bytes, base64url without padding.
    public static func randomToken(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let raw = (0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(raw).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

extension UserRecord {
    /// The principal a signed-in user acts as; nil when its stored role is not one this build knows.
    public var principal: Principal? {
        guard let role = Principal.Role(rawValue: role) else { return nil }
        return Principal(subject: userId, role: role, dealerId: dealerId, branchId: branchId, provinces: provinces, salesRepId: salesRepId,
                         carrierId: carrierId, productLines: productLines, dealerAdmin: dealerAdmin)
    }
}
