import Crypto
import Foundation

/// API keys for carriers and systems: the configuration holds each key's SHA-256 (never the key)
/// with the principal it stands for. A key is sent as `X-API-Key: <key>`.
public struct APIKeys: Sendable {
    private var principals: [String: Principal]

    public init(_ principals: [String: Principal] = [:]) {
        var normalised: [String: Principal] = [:]
        for (digest, principal) in principals { normalised[digest.lowercased()] = principal }
        self.principals = normalised
    }

    public func principal(forKey key: String) -> Principal? {
        principals[Self.digest(key)]
    }

    /// The hex SHA-256 of a key, as the configuration stores it.
    public static func digest(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A new random key (32 bytes, base64url), for `lubehub token api-key`.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode(Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }
}
