import Foundation
import HubAPI
import HubServer
import Testing

/// The hub's one secret and the keys derived from it.
@Suite("secret keys: HKDF per purpose, the secret file kept")
struct SecretKeysTests {
    func section(secretFile: String) -> HubConfiguration.APISection {
        var api = HubConfiguration().api
        api.secretFile = secretFile
        return api
    }

    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("lubehub-secret-\(UUID().uuidString)").path
    }

    @Test("each purpose has a key of its own, none of them the secret, the same secret giving the same keys")
    func derived() {
        let secret = Array(repeating: UInt8(7), count: 32)
        let keys = SecretKeys(secret: secret)
        #expect(keys.tokenSigning.count == 32 && keys.orderIdentifiers.count == 32)
        #expect(keys.tokenSigning != keys.orderIdentifiers)
        #expect(keys.tokenSigning != secret && keys.orderIdentifiers != secret)
        #expect(SecretKeys(secret: secret).tokenSigning == keys.tokenSigning)
        #expect(SecretKeys(secret: Array(repeating: UInt8(8), count: 32)).tokenSigning != keys.tokenSigning)
    }

    @Test("a missing secret file is made once and kept; a token the configuration issues verifies with the derived key, not the secret")
    func madeAndKept() throws {
        let api = section(secretFile: temporaryPath())
        let first = try api.secret()
        #expect(try api.secret() == first)
        let token = try api.issueToken(for: Principal(subject: "U-1", role: .admin), lifetime: 60)
        #expect(try JSONWebToken.verify(token, keys: TokenKeys(hs256Secret: SecretKeys(secret: first).tokenSigning)).subject == "U-1")
        #expect(throws: TokenError.self) { try JSONWebToken.verify(token, keys: TokenKeys(hs256Secret: first)) }
    }

    @Test("a secret file that is there but cannot be read stops the hub with what to do, and is not replaced")
    func unreadable() throws {
        let path = temporaryPath()
        // A directory where the file should be: there, and unreadable as a file whoever runs the test (root too).
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let api = section(secretFile: path)
        #expect {
            _ = try api.secret()
        } throws: { error in
            "\(error)".contains("cannot be read") && "\(error)".contains("not replaced")
        }
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
    }
}
