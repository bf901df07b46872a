import Synchronization

/// Bearer tokens already verified, by their whole text (signature included, so a changed token is
/// another entry). Bounded: when full it starts again empty, which costs one verification per
/// token in use.
final class VerifiedTokens: Sendable {
    private let capacity: Int
    private let entries = Mutex<[String: JSONWebToken.Verified]>([:])

    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    subscript(token: String) -> JSONWebToken.Verified? {
        get { entries.withLock { $0[token] } }
        set {
            entries.withLock { entries in
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
                entries[token] = newValue
            }
        }
    }
}
