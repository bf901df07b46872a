public import HubStore

/// How failed sign-ins slow down and then stop further attempts, per login and per address. A
/// pure decision over the counts the store keeps: the same answer whichever part (login or
/// password) was wrong, and whether the login exists or not (failures of an unknown login count
/// the same way), so the answers tell an attacker nothing.
///
/// Per login: the first `freeAttempts` failures cost nothing; each one after makes the next
/// attempt wait `firstDelaySeconds` · 2^k seconds (k = failures beyond the first one past the free
/// ones; at most `maximumDelaySeconds`);
/// at `lockAfter` failures the login is locked for `lockSeconds` from the last one. An address
/// gets the same treatment with larger numbers (one office shares an address). A success clears
/// the login's count; counts older than `lockSeconds` are forgotten.
public struct SignInThrottle: Sendable, Hashable {
    public struct Limits: Sendable, Hashable {
        public var freeAttempts: Int
        public var lockAfter: Int
        public init(freeAttempts: Int, lockAfter: Int) {
            self.freeAttempts = freeAttempts
            self.lockAfter = lockAfter
        }
    }

    public var login = Limits(freeAttempts: 4, lockAfter: 10)
    public var address = Limits(freeAttempts: 30, lockAfter: 100)
    /// The wait after the first failure past the free ones.
    public var firstDelaySeconds = 1
    public var maximumDelaySeconds = 60
    public var lockSeconds = 900

    public init() {}

    public enum Decision: Sendable, Equatable {
        case allowed
        /// Try again in this many seconds (429 with Retry-After).
        case wait(seconds: Int)
    }

    public static func loginSubject(_ login: String) -> String { "login:" + login.lowercased() }
    public static func addressSubject(_ address: String) -> String { "address:" + address }

    /// Whether an attempt may be checked now, given the failures on record for its login and address.
    public func decide(login: SignInFailures?, address: SignInFailures?, now: Int64) -> Decision {
        let waits = [wait(login, limits: self.login, now: now), wait(address, limits: self.address, now: now)]
        let longest = waits.max() ?? 0
        return longest > 0 ? .wait(seconds: longest) : .allowed
    }

    /// Seconds until the next attempt may be checked (0: now).
    func wait(_ failures: SignInFailures?, limits: Limits, now: Int64) -> Int {
        guard let failures, now - failures.lastAtMilliseconds < Int64(lockSeconds) * 1000 else { return 0 }
        let sinceLast = Int((now - failures.lastAtMilliseconds) / 1000)
        let required: Int
        if failures.count >= limits.lockAfter {
            required = lockSeconds
        } else if failures.count > limits.freeAttempts {
            required = min(maximumDelaySeconds, firstDelaySeconds << min(failures.count - limits.freeAttempts - 1, 20))
        } else {
            required = 0
        }
        return max(0, required - sinceLast)
    }
}
