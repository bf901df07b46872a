import Foundation
import HubContracts
public import HubMessaging
import Crypto

/// What the routes work with: who may call, the database they read, where commands go, and the
/// outbox watch that tells when the core has acted.
public struct APIServices: Sendable {
    public var authenticator: Authenticator
    /// People's accounts and sessions; nil: the API takes tokens and API keys only.
    public var accounts: AccountServices?
    public var database: APIDatabase
    public var commands: CommandPublisher
    public var watch: OutboxWatch
    /// Derives order ids from idempotency keys (so a retry anywhere names the same order) and
    /// makes random ids unguessable.
    public var identifierSecret: [UInt8]
    /// How long a submit waits for the core's decision before answering 202.
    public var decisionWait: Duration
    /// How long a live stream waits between keep-alive comments.
    public var keepAlive: Duration
    /// Where a submit's time goes.
    public var submitTimers: SubmitTimers
    /// How many live streams may be open, per caller and in all.
    public var streams: LiveStreamLimits
    /// How far back a live stream replays: a `Last-Event-ID` more than this many outbox rows
    /// behind the newest is answered 410 (reload the orders, then follow from now).
    public var replayWindow: Int64

    public init(authenticator: Authenticator, database: APIDatabase, commands: CommandPublisher, watch: OutboxWatch, identifierSecret: [UInt8],
                decisionWait: Duration = .seconds(2), keepAlive: Duration = .seconds(5), submitTimers: SubmitTimers = SubmitTimers(),
                streams: LiveStreamLimits = LiveStreamLimits(), replayWindow: Int64 = 200_000, accounts: AccountServices? = nil) {
        self.accounts = accounts
        self.streams = streams
        self.replayWindow = replayWindow
        self.authenticator = authenticator
        self.database = database
        self.commands = commands
        self.watch = watch
        self.identifierSecret = identifierSecret
        self.decisionWait = decisionWait
        self.keepAlive = keepAlive
        self.submitTimers = submitTimers
    }

    /// An identifier `prefix-` + 16 Crockford base32 characters: from `seed` (HMAC with the
    /// secret, so the same seed always names the same object) or random.
    public func identifier(_ prefix: String, seed: String? = nil) -> String {
        let bytes: [UInt8]
        if let seed {
            bytes = Array(HMAC<SHA256>.authenticationCode(for: Data(seed.utf8), using: SymmetricKey(data: identifierSecret)).prefix(10))
        } else {
            var generator = SystemRandomNumberGenerator()
            bytes = (0..<10).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
        return prefix + "-" + Self.crockford(bytes)
    }

    static func crockford(_ bytes: [UInt8]) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var bits = 0
        var value = 0
        var text = ""
        for byte in bytes {
            value = (value << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                text.append(alphabet[(value >> (bits - 5)) & 31])
                bits -= 5
            }
            value &= (1 << bits) - 1
        }
        if bits > 0 { text.append(alphabet[(value << (5 - bits)) & 31]) }
        return text
    }

    func now() -> Timestamp { Timestamp(Date()) }
}
