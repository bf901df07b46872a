import Crypto
import Foundation
import Hummingbird

/// A client's `Idempotency-Key`, bound to what its request asked for. The key names the object
/// the request makes (its id is derived from the key, the caller and the dealer), so a retry —
/// after a lost answer, a timeout or a 503 — finds the same object and answers it as the first
/// request was answered. The object keeps a digest of the request that made it: the same key with
/// a request that asks for something else is refused (422 naming the key), not answered with an
/// object the caller did not ask for. A key is optional; without one every request makes a new object.
struct IdempotencyKey: Sendable, Equatable {
    let text: String

    /// The request's key, or `nil` when it sends none; 400 when the header is not a usable key.
    static func of(_ request: Request) throws(APIProblem) -> IdempotencyKey? {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        guard (1...200).contains(key.utf8.count), key.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x21 && $0.value < 0x7F }) else {
            throw APIProblem.badRequest("Idempotency-Key must be 1 to 200 printable ASCII characters without spaces")
        }
        return IdempotencyKey(text: key)
    }

    /// SHA-256 (64 hex digits) of what a request asked for, as its parsed fields encode (keys
    /// sorted, so the same request always gives the same digest whatever its JSON's layout).
    static func digest(of request: some Encodable) throws(APIProblem) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes: Data
        do {
            bytes = try encoder.encode(request)
        } catch {
            throw APIProblem.unprocessable("the request could not be written down: \(error)")
        }
        return SHA256.hash(data: bytes).map { byte in byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
    }

    /// Refuses the request when the object its key names was made of another request. `stored`
    /// is the object's digest (`nil` for an object made before digests were kept: `same` decides).
    func check(stored: String?, requested: String, object: String, same: () -> Bool = { false }) throws(APIProblem) {
        if let stored { guard stored != requested else { return } } else if same() { return }
        throw APIProblem.unprocessable("Idempotency-Key \(text) was used for another request (it made \(object)); use a new key for a new request, or send the same request again")
    }
}
