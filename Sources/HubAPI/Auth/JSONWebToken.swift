import Crypto
public import CryptoExtras
public import Foundation

/// Why a bearer token was not accepted, said to the caller (401) without echoing the token.
public struct TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The keys bearer tokens are checked with: an HS256 secret (the embedded default) and/or RS256
/// public keys by key id (production, where tokens are minted by the company's identity provider).
/// A token's `alg` picks the key set, so an RS256 public key is never taken for an HMAC secret.
public struct TokenKeys: Sendable {
    public var hs256Secret: [UInt8]?
    public var rs256PublicKeys: [String: _RSA.Signing.PublicKey]
    public var issuer: String
    public var audience: String
    /// Clock skew allowed on `exp` and `nbf`.
    public var leeway: TimeInterval

    public init(hs256Secret: [UInt8]? = nil, rs256PublicKeys: [String: _RSA.Signing.PublicKey] = [:], issuer: String = "lubehub",
                audience: String = "lubehub-api", leeway: TimeInterval = 30) {
        self.hs256Secret = hs256Secret
        self.rs256PublicKeys = rs256PublicKeys
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
    }

    /// Keys with RS256 public keys given as PEM text by key id.
    public init(hs256Secret: [UInt8]?, rs256PEM: [String: String], issuer: String, audience: String) throws(TokenError) {
        self.init(hs256Secret: hs256Secret, rs256PublicKeys: try Self.rsaPublicKeys(pem: rs256PEM), issuer: issuer, audience: audience)
    }

    /// Reads RS256 public keys from PEM text (`-----BEGIN PUBLIC KEY-----`), by key id.
    public static func rsaPublicKeys(pem: [String: String]) throws(TokenError) -> [String: _RSA.Signing.PublicKey] {
        var keys: [String: _RSA.Signing.PublicKey] = [:]
        for (kid, text) in pem {
            do {
                let key = try _RSA.Signing.PublicKey(pemRepresentation: text)
                guard key.keySizeInBits >= 2048 else { throw TokenError("RS256 key \(kid) has \(key.keySizeInBits) bits; at least 2048 are required") }
                keys[kid] = key
            } catch let error as TokenError {
                throw error
            } catch {
                throw TokenError("RS256 key \(kid) is not a PEM public key: \(error)")
            }
        }
        return keys
    }
}

/// JSON Web Tokens (RFC 7519) in compact form, signed HS256 or RS256: minting (HS256, for
/// `lubehub token issue`) and verifying into a ``Principal``.
public enum JSONWebToken {
    /// The claims LubeHub reads: the registered ones and the principal's.
    public struct Claims: Codable, Sendable, Equatable {
        public var sub: String
        public var role: Principal.Role
        public var dealer: String?
        public var branch: String?
        public var area: [String]?
        public var rep: String?
        public var carrier: String?
        /// A product-line manager's lines.
        public var lines: [String]?
        /// A dealer user who administers its dealer's users.
        public var dealerAdmin: Bool?
        public var iss: String
        public var aud: String
        public var iat: Int64
        public var nbf: Int64?
        public var exp: Int64

        public init(principal: Principal, issuer: String, audience: String, issuedAt: Date, lifetime: TimeInterval) {
            sub = principal.subject
            role = principal.role
            dealer = principal.dealerId
            branch = principal.branchId
            area = principal.provinces.isEmpty ? nil : principal.provinces
            rep = principal.salesRepId
            carrier = principal.carrierId
            lines = principal.productLines.isEmpty ? nil : principal.productLines
            dealerAdmin = principal.dealerAdmin ? true : nil
            iss = issuer
            aud = audience
            iat = Int64(issuedAt.timeIntervalSince1970)
            nbf = nil
            exp = Int64(issuedAt.timeIntervalSince1970 + lifetime)
        }

        public var principal: Principal {
            Principal(subject: sub, role: role, dealerId: dealer, branchId: branch, provinces: area ?? [], salesRepId: rep, carrierId: carrier,
                      productLines: lines ?? [], dealerAdmin: dealerAdmin ?? false)
        }

        enum CodingKeys: String, CodingKey { case sub, role, dealer, branch, area, rep, carrier, lines, dealerAdmin, iss, aud, iat, nbf, exp }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            sub = try container.decode(String.self, forKey: .sub)
            role = try container.decode(Principal.Role.self, forKey: .role)
            dealer = try container.decodeIfPresent(String.self, forKey: .dealer)
            branch = try container.decodeIfPresent(String.self, forKey: .branch)
            area = try container.decodeIfPresent([String].self, forKey: .area)
            rep = try container.decodeIfPresent(String.self, forKey: .rep)
            carrier = try container.decodeIfPresent(String.self, forKey: .carrier)
            lines = try container.decodeIfPresent([String].self, forKey: .lines)
            dealerAdmin = try container.decodeIfPresent(Bool.self, forKey: .dealerAdmin)
            iss = try container.decode(String.self, forKey: .iss)
            // RFC 7519 allows one audience or a list.
            if let list = try? container.decode([String].self, forKey: .aud) {
                aud = list.first ?? ""
                audiences = list
            } else {
                aud = try container.decode(String.self, forKey: .aud)
            }
            iat = try container.decodeIfPresent(Int64.self, forKey: .iat) ?? 0
            nbf = try container.decodeIfPresent(Int64.self, forKey: .nbf)
            exp = try container.decode(Int64.self, forKey: .exp)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sub, forKey: .sub)
            try container.encode(role, forKey: .role)
            try container.encodeIfPresent(dealer, forKey: .dealer)
            try container.encodeIfPresent(branch, forKey: .branch)
            try container.encodeIfPresent(area, forKey: .area)
            try container.encodeIfPresent(rep, forKey: .rep)
            try container.encodeIfPresent(carrier, forKey: .carrier)
            try container.encodeIfPresent(lines, forKey: .lines)
            try container.encodeIfPresent(dealerAdmin, forKey: .dealerAdmin)
            try container.encode(iss, forKey: .iss)
            try container.encode(aud, forKey: .aud)
            try container.encode(iat, forKey: .iat)
            try container.encodeIfPresent(nbf, forKey: .nbf)
            try container.encode(exp, forKey: .exp)
        }

        private var audiences: [String]?
        var allAudiences: [String] { audiences ?? [aud] }
    }

    struct Header: Codable {
        var alg: String
        var typ: String?
        var kid: String?
    }

    /// Mints an HS256 token.
    public static func signHS256(_ claims: Claims, secret: [UInt8]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let header = (try? encoder.encode(Header(alg: "HS256", typ: "JWT", kid: nil))) ?? Data()
        let payload = (try? encoder.encode(claims)) ?? Data()
        let signingInput = Base64URL.encode(header) + "." + Base64URL.encode(payload)
        let mac = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: SymmetricKey(data: secret))
        return signingInput + "." + Base64URL.encode(Data(mac))
    }

    /// A token whose signature, issuer, audience and principal were checked: what is left to check
    /// at each use is its time window.
    struct Verified: Sendable {
        var principal: Principal
        var expires: Int64
        var notBefore: Int64?

        func checkTimes(at now: Date, leeway: Double) throws(TokenError) {
            let seconds = now.timeIntervalSince1970
            guard Double(expires) + leeway > seconds else { throw TokenError("the token expired") }
            if let notBefore, Double(notBefore) - leeway > seconds { throw TokenError("the token is not valid yet") }
        }
    }

    /// Verifies a compact token's signature, issuer, audience and times, and returns its principal.
    public static func verify(_ token: String, keys: TokenKeys, now: Date = Date()) throws(TokenError) -> Principal {
        let verified = try verifySignatureAndClaims(token, keys: keys)
        try verified.checkTimes(at: now, leeway: keys.leeway)
        return verified.principal
    }

    /// Everything ``verify(_:keys:now:)`` checks but the time window.
    static func verifySignatureAndClaims(_ token: String, keys: TokenKeys) throws(TokenError) -> Verified {
        guard token.utf8.count <= 8192 else { throw TokenError("the token is longer than 8192 bytes") }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw TokenError("a JWT has three dot-separated parts; this has \(parts.count)") }
        guard let headerData = Base64URL.decode(parts[0]), let payloadData = Base64URL.decode(parts[1]), let signature = Base64URL.decode(parts[2]) else {
            throw TokenError("a part of the token is not base64url")
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: headerData) else { throw TokenError("the token's header is not a JWT header") }
        let signingInput = Data("\(parts[0]).\(parts[1])".utf8)
        switch header.alg {
        case "HS256":
            guard let secret = keys.hs256Secret else { throw TokenError("HS256 tokens are not accepted here (no secret configured)") }
            guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: signingInput, using: SymmetricKey(data: secret)) else {
                throw TokenError("the token's signature does not verify")
            }
        case "RS256":
            let candidates = header.kid.map { kid in keys.rs256PublicKeys[kid].map { [$0] } ?? [] } ?? Array(keys.rs256PublicKeys.values)
            guard !candidates.isEmpty else {
                throw TokenError(header.kid.map { "no RS256 key with id \($0) is configured" } ?? "RS256 tokens are not accepted here (no public key configured)")
            }
            let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
            let digest = SHA256.hash(data: signingInput)
            guard candidates.contains(where: { $0.isValidSignature(rsaSignature, for: digest, padding: .insecurePKCS1v1_5) }) else {
                throw TokenError("the token's signature does not verify")
            }
        default:
            throw TokenError("algorithm \(header.alg) is not accepted (HS256 or RS256)")
        }
        let claims: Claims
        do {
            claims = try JSONDecoder().decode(Claims.self, from: payloadData)
        } catch {
            throw TokenError("the token's claims are not LubeHub's (sub, role, iss, aud, exp; role one of \(Principal.Role.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard claims.iss == keys.issuer else { throw TokenError("the token's issuer is not \(keys.issuer)") }
        guard claims.allAudiences.contains(keys.audience) else { throw TokenError("the token is not for audience \(keys.audience)") }
        let principal = claims.principal
        if let missing = principal.missingAttribute() { throw TokenError(missing) }
        return Verified(principal: principal, expires: claims.exp, notBefore: claims.nbf)
    }
}

/// base64url without padding (RFC 4648 §5), as JWTs use it.
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !base64.contains("=") else { return nil }
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
