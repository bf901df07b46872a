import CryptoExtras
import Foundation
import HubAPI
import Testing

/// Bearer tokens: what is accepted and, above all, what is not.
@Suite("HTTP API: tokens")
struct TokenTests {
    let secret = Array("a secret of at least thirty-two bytes!!".utf8)
    let dealer = Principal(subject: "U-D1", role: .dealer, dealerId: "D1")

    func claims(_ principal: Principal, lifetime: TimeInterval = 600, issuer: String = "lubehub", audience: String = "lubehub-api") -> JSONWebToken.Claims {
        JSONWebToken.Claims(principal: principal, issuer: issuer, audience: audience, issuedAt: Date(), lifetime: lifetime)
    }

    @Test("an HS256 token made by token issue verifies into its principal")
    func roundTrip() throws {
        let token = JSONWebToken.signHS256(claims(dealer), secret: secret)
        #expect(try JSONWebToken.verify(token, keys: TokenKeys(hs256Secret: secret)) == dealer)
    }

    @Test("refused: another secret, expired, another audience or issuer, alg none, a changed payload, a role without its scope")
    func refused() throws {
        let keys = TokenKeys(hs256Secret: secret)
        func reason(_ token: String) -> String {
            do { _ = try JSONWebToken.verify(token, keys: keys); return "accepted" } catch { return error.description }
        }
        #expect(reason(JSONWebToken.signHS256(claims(dealer), secret: Array("another secret of thirty-two bytes or more".utf8))).contains("signature"))
        #expect(reason(JSONWebToken.signHS256(claims(dealer, lifetime: -120), secret: secret)).contains("expired"))
        #expect(reason(JSONWebToken.signHS256(claims(dealer, audience: "other"), secret: secret)).contains("audience"))
        #expect(reason(JSONWebToken.signHS256(claims(dealer, issuer: "someone"), secret: secret)).contains("issuer"))
        let parts = JSONWebToken.signHS256(claims(dealer), secret: secret).split(separator: ".")
        let none = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        #expect(reason("\(none).\(parts[1]).").contains("none"))
        let admin = JSONWebToken.signHS256(claims(Principal(subject: "U-D1", role: .admin)), secret: secret).split(separator: ".")
        #expect(reason("\(parts[0]).\(admin[1]).\(parts[2])").contains("signature"), "an admin payload under a dealer's signature")
        #expect(reason(JSONWebToken.signHS256(claims(Principal(subject: "U-X", role: .dealer)), secret: secret)).contains("needs a dealer"))
        #expect(reason("not-a-token").contains("three"))
    }

    @Test("a token verified once is remembered, but its time is checked at every use; a changed token is verified anew")
    func remembered() throws {
        let authenticator = Authenticator(keys: TokenKeys(hs256Secret: secret))
        var timed = claims(dealer, lifetime: 600)
        timed.nbf = Int64(Date().timeIntervalSince1970)
        let token = JSONWebToken.signHS256(timed, secret: secret)
        #expect(try authenticator.principal(forToken: token) == dealer)
        #expect(try authenticator.principal(forToken: token) == dealer)
        #expect { try authenticator.principal(forToken: token, at: Date().addingTimeInterval(3_600)) } throws: { "\($0)".contains("expired") }
        #expect { try authenticator.principal(forToken: token, at: Date().addingTimeInterval(-3_600)) } throws: { "\($0)".contains("not valid yet") }
        let parts = token.split(separator: ".")
        let admin = JSONWebToken.signHS256(claims(Principal(subject: "U-D1", role: .admin)), secret: secret).split(separator: ".")
        #expect { try authenticator.principal(forToken: "\(parts[0]).\(admin[1]).\(parts[2])") } throws: { "\($0)".contains("signature") }
    }

    @Test("RS256: verified with the configured public key by key id; HS256 is refused where no secret is configured")
    func rs256() throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let keys = try TokenKeys(hs256Secret: nil, rs256PEM: ["idp-1": key.publicKey.pemRepresentation], issuer: "lubehub", audience: "lubehub-api")
        let encoder = JSONEncoder()
        func b64(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        func sign(kid: String) throws -> String {
            let input = b64(Data(#"{"alg":"RS256","kid":"\#(kid)","typ":"JWT"}"#.utf8)) + "." + b64(try encoder.encode(claims(dealer)))
            let signature = try key.signature(for: SHA256.hash(data: Data(input.utf8)), padding: .insecurePKCS1v1_5)
            return input + "." + b64(signature.rawRepresentation)
        }
        #expect(try JSONWebToken.verify(try sign(kid: "idp-1"), keys: keys) == dealer)
        #expect(throws: TokenError.self) { try JSONWebToken.verify(try sign(kid: "idp-2"), keys: keys) }
        #expect(throws: TokenError.self) { try JSONWebToken.verify(JSONWebToken.signHS256(claims(dealer), secret: secret), keys: keys) }
    }

    @Test("API keys are kept as SHA-256 and found by the key")
    func apiKeys() {
        let key = APIKeys.generate()
        let carrier = Principal(subject: "CAR-07-platform", role: .carrier, carrierId: "CAR-07")
        let keys = APIKeys([APIKeys.digest(key).uppercased(): carrier])
        #expect(keys.principal(forKey: key) == carrier)
        #expect(keys.principal(forKey: key + "x") == nil)
        #expect(APIKeys.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
