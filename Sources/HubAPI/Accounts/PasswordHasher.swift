import Crypto
import CryptoExtras
import Dispatch
import Foundation
import Synchronization

/// Passwords as scrypt hashes (swift-crypto's `KDF.Scrypt`, BoringSSL underneath): a random salt
/// per password, the parameters written into the stored text so that a later change of strength
/// still verifies old hashes (and ``needsRehash(_:)`` tells when to upgrade one).
///
/// The cost is chosen on purpose: N = 2^17, r = 8, p = 1 — OWASP's Password Storage Cheat Sheet's
/// minimum for scrypt — 128 MiB and, on this project's 2-core test machine, ~0.3 s of one core
/// per hash (`lubehub-bench auth` prints it). An attacker with the table pays that per guess per
/// password; a dealer pays it once a sign-in. Tests use a cheaper ``Cost`` so they stay fast.
///
/// Hashing is CPU- and memory-heavy, so it runs on a queue of its own (never on Swift's
/// cooperative pool, which serves every other request) and at most ``Cost/concurrent`` at a time,
/// with at most ``Cost/waiting`` more waiting (8: about 4 s of work at the recommended cost, so an
/// admitted sign-in never waits longer than a person would): a flood of sign-ins gets 503 with
/// Retry-After instead of eating the machine's memory and both cores.
public final class PasswordHasher: Sendable {
    public struct Cost: Sendable, Hashable {
        /// log2 of scrypt's N.
        public var log2N: Int
        public var blockSize: Int
        public var parallelism: Int
        /// Hashes computed at once.
        public var concurrent: Int
        /// Hashes that may wait for a slot; beyond, ``HasherBusy``.
        public var waiting: Int

        public init(log2N: Int, blockSize: Int = 8, parallelism: Int = 1, concurrent: Int = 1, waiting: Int = 8) {
            self.log2N = log2N
            self.blockSize = blockSize
            self.parallelism = parallelism
            self.concurrent = concurrent
            self.waiting = waiting
        }

        /// OWASP's minimum for scrypt; the production default.
        public static let recommended = Cost(log2N: 17)
        /// For tests: the same code, about 1/128 of the work.
        public static let testing = Cost(log2N: 10, concurrent: 2, waiting: 64)

        /// Memory one hash needs, in bytes: 128 · r · N (plus a little).
        public var memoryBytes: Int { 128 * blockSize * (1 << log2N) * parallelism }
    }

    /// Too many hashes waiting already: answer 503 and let the client retry.
    public struct HasherBusy: Error, Sendable {}

    public let cost: Cost
    /// One serial queue per hash computed at once; work goes to them in turn.
    private let queues: [DispatchQueue]
    private let turn = Atomic<Int>(0)
    private let pending = Atomic<Int>(0)
    /// A hash of a password no one has, verified when a login is unknown: an unknown login costs
    /// the same time as a wrong password, so timing does not tell which part was wrong. Made at
    /// the first unknown login (making it costs what verifying does).
    private let decoy = Mutex<String?>(nil)

    public init(cost: Cost = .recommended) {
        self.cost = cost
        queues = (0..<max(1, cost.concurrent)).map { DispatchQueue(label: "lubehub.api.password-hasher.\($0)") }
    }

    /// The stored text for `password`: `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` (base64).
    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await run { try Self.hash(Array(password.utf8), cost: cost) }
    }

    /// Whether `password` matches `stored` (compared in constant time). A malformed `stored` never matches.
    public func verify(_ password: String, against stored: String) async throws -> Bool {
        try await run { Self.verify(Array(password.utf8), against: stored) }
    }

    /// Spends a verification's time on nothing (for an unknown login); always false.
    public func verifyDecoy(_ password: String) async throws -> Bool {
        if let made = decoy.withLock({ $0 }) {
            _ = try await verify(password, against: made)
        } else {
            let cost = cost
            let made = try await run { try Self.hash(Array("decoy \(UUID().uuidString)".utf8), cost: cost) }
            decoy.withLock { $0 = made }
        }
        return false
    }

    /// Whether `stored` was made with a weaker cost than the current one.
    public func needsRehash(_ stored: String) -> Bool {
        guard let parsed = Self.parse(stored) else { return true }
        return parsed.log2N < cost.log2N || parsed.blockSize < cost.blockSize || parsed.parallelism < cost.parallelism
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        guard pending.add(1, ordering: .relaxed).newValue <= cost.concurrent + cost.waiting else {
            pending.subtract(1, ordering: .relaxed)
            throw HasherBusy()
        }
        defer { pending.subtract(1, ordering: .relaxed) }
        let queue = queues[turn.add(1, ordering: .relaxed).newValue % queues.count]
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Result { try work() }) }
        }
        return try result.get()
    }

    static func hash(_ password: [UInt8], cost: Cost) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let key = try derive(password, salt: salt, log2N: cost.log2N, blockSize: cost.blockSize, parallelism: cost.parallelism)
        return "$scrypt$ln=\(cost.log2N),r=\(cost.blockSize),p=\(cost.parallelism)$\(Data(salt).base64EncodedString())$\(Data(key).base64EncodedString())"
    }

    static func verify(_ password: [UInt8], against stored: String) -> Bool {
        guard let parsed = parse(stored),
              let key = try? derive(password, salt: parsed.salt, log2N: parsed.log2N, blockSize: parsed.blockSize, parallelism: parsed.parallelism)
        else { return false }
        guard key.count == parsed.key.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(key, parsed.key) { difference |= a ^ b }
        return difference == 0
    }

    private static func derive(_ password: [UInt8], salt: [UInt8], log2N: Int, blockSize: Int, parallelism: Int) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(from: password, salt: salt, outputByteCount: 32, rounds: 1 << log2N, blockSize: blockSize,
                                           parallelism: parallelism)
        return key.withUnsafeBytes { Array($0) }
    }

    struct Parsed {
        var log2N: Int
        var blockSize: Int
        var parallelism: Int
        var salt: [UInt8]
        var key: [UInt8]
    }

    /// The parts of a stored hash; nil when it is not one of ours, or its parameters are out of
    /// the range this code computes (a corrupted row must not make it allocate gigabytes).
    static func parse(_ stored: String) -> Parsed? {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == "scrypt" else { return nil }
        var values: [Substring: Int] = [:]
        for pair in parts[2].split(separator: ",") {
            let item = pair.split(separator: "=", maxSplits: 1)
            guard item.count == 2, let value = Int(item[1]) else { return nil }
            values[item[0]] = value
        }
        guard let log2N = values["ln"], let blockSize = values["r"], let parallelism = values["p"],
              (1...20).contains(log2N), (1...16).contains(blockSize), (1...4).contains(parallelism),
              let salt = Data(base64Encoded: String(parts[3])), let key = Data(base64Encoded: String(parts[4])), !key.isEmpty
        else { return nil }
        return Parsed(log2N: log2N, blockSize: blockSize, parallelism: parallelism, salt: Array(salt), key: Array(key))
    }
}
