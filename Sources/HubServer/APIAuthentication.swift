public import Foundation
public import HubAPI

extension HubConfiguration.APISection {
    /// A bearer token for `principal` that this configuration's API accepts: HS256, signed with the
    /// token key derived from the secret.
    public func issueToken(for principal: Principal, lifetime: TimeInterval, now: Date = Date()) throws(ConfigurationError) -> String {
        guard acceptHS256 else {
            throw ConfigurationError("this configuration does not accept HS256 tokens (api.acceptHS256 is false); tokens come from the identity provider")
        }
        let claims = JSONWebToken.Claims(principal: principal, issuer: issuer, audience: audience, issuedAt: now, lifetime: lifetime)
        return JSONWebToken.signHS256(claims, secret: try keys().tokenSigning)
    }

    /// The keys derived from the secret, one per purpose (see ``SecretKeys``).
    public func keys() throws(ConfigurationError) -> SecretKeys {
        SecretKeys(secret: try secret())
    }

    /// The secret in `secretFile`, made (32 random bytes, hex, readable by the owner only) when no
    /// file is there. A file that is there but cannot be read stops the hub: replacing it would
    /// silently invalidate every token issued and every order id an idempotency key maps to.
    public func secret() throws(ConfigurationError) -> [UInt8] {
        let url = URL(fileURLWithPath: secretFile)
        if FileManager.default.fileExists(atPath: url.path) {
            let text: String
            do {
                text = try String(contentsOf: url, encoding: .utf8)
            } catch {
                throw ConfigurationError("api.secretFile \(secretFile) is there but cannot be read (\(error.localizedDescription)): give the hub's user read access to it; it is not replaced, since every token and order id depends on it")
            }
            let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let bytes = Self.bytes(hex: hex), bytes.count >= 32 else {
                throw ConfigurationError("\(secretFile) must hold at least 32 bytes as hex (64 hex digits); delete it to have a new one made")
            }
            return bytes
        }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: url.path, contents: Data(bytes.map { String(format: "%02x", $0) }.joined().utf8),
                                                 attributes: [.posixPermissions: 0o600]) else {
                throw ConfigurationError("cannot write \(secretFile)")
            }
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError("cannot make \(secretFile): \(error)")
        }
        return bytes
    }

    /// Token keys and API keys as configured.
    public func authenticator() throws(ConfigurationError) -> Authenticator {
        var pem: [String: String] = [:]
        for (kid, path) in rs256PublicKeys {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ConfigurationError("api.rs256PublicKeys.\(kid): cannot read \(path)") }
            pem[kid] = text
        }
        guard acceptHS256 || !pem.isEmpty || !apiKeys.isEmpty else {
            throw ConfigurationError("api: nobody could authenticate (acceptHS256 is false, no rs256PublicKeys, no apiKeys)")
        }
        var keyPrincipals: [String: Principal] = [:]
        for (index, entry) in apiKeys.enumerated() {
            guard let role = Principal.Role(rawValue: entry.role) else {
                throw ConfigurationError("api.apiKeys[\(index)].role: \(entry.role) is not one of \(Principal.Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard entry.sha256.count == 64, Self.bytes(hex: entry.sha256) != nil else { throw ConfigurationError("api.apiKeys[\(index)].sha256 must be 64 hex digits") }
            let principal = Principal(subject: entry.subject, role: role, dealerId: entry.dealer, carrierId: entry.carrier)
            if let missing = principal.missingAttribute() { throw ConfigurationError("api.apiKeys[\(index)]: \(missing)") }
            keyPrincipals[entry.sha256] = principal
        }
        let tokenKeys: TokenKeys
        let hs256Secret = acceptHS256 ? try keys().tokenSigning : nil
        do throws(TokenError) {
            tokenKeys = try TokenKeys(hs256Secret: hs256Secret, rs256PEM: pem, issuer: issuer, audience: audience)
        } catch {
            throw ConfigurationError("api.rs256PublicKeys: \(error)")
        }
        return Authenticator(keys: tokenKeys, apiKeys: APIKeys(keyPrincipals))
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
