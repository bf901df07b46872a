public import Crypto
import Foundation

/// The keys the API uses, each derived from the hub's one secret with HKDF-SHA256 (RFC 5869) for a
/// purpose of its own: a key that leaks from one use (a token signed, an order id derived) tells
/// nothing about another, and adding a use later adds a purpose, not a secret file.
public struct SecretKeys: Sendable {
    /// What a key is for: the HKDF `info`, so two purposes never share a key.
    public enum Purpose: String, Sendable, CaseIterable {
        /// HS256 bearer tokens (`lubehub token issue`, the API's verification).
        case tokenSigning = "lubehub/v1/token-signing"
        /// The HMAC that turns a dealer's `Idempotency-Key` into the order id it always gets.
        case orderIdentifiers = "lubehub/v1/order-identifiers"
    }

    /// The salt is fixed (RFC 5869 §3.1: a salt is optional; the secret is already uniformly random).
    static let salt = Array("lubehub secret keys".utf8)

    public let tokenSigning: [UInt8]
    public let orderIdentifiers: [UInt8]

    /// Derives every purpose's key from `secret` (at least 32 random bytes).
    public init(secret: [UInt8]) {
        tokenSigning = Self.derive(.tokenSigning, from: secret)
        orderIdentifiers = Self.derive(.orderIdentifiers, from: secret)
    }

    static func derive(_ purpose: Purpose, from secret: [UInt8]) -> [UInt8] {
        let key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: secret), salt: salt, info: Array(purpose.rawValue.utf8), outputByteCount: 32)
        return key.withUnsafeBytes { Array($0) }
    }
}
