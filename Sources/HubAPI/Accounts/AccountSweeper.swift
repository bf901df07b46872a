import Foundation
public import Logging
public import ServiceLifecycle

/// Deletes what accounts leave behind and no longer need: sessions past their expiry (a browser
/// closed without signing out leaves one for good) and failed-sign-in counts the throttle has
/// forgotten. A session past its expiry is refused whether or not it was deleted; this keeps the
/// tables the size of the live ones.
public struct AccountSweeper: Service {
    public static let defaultInterval: Duration = .seconds(600)

    private let accounts: AccountServices
    private let interval: Duration
    private let logger: Logger

    public init(accounts: AccountServices, interval: Duration = Self.defaultInterval, logger: Logger = Logger(label: "lubehub.api.accounts")) {
        self.accounts = accounts
        self.interval = interval
        self.logger = logger
    }

    /// One sweep at `now` (milliseconds since 1970); how many sessions and failure counts it deleted.
    @discardableResult
    public func sweep(now: Int64) async throws -> (sessions: Int, failures: Int) {
        try await accounts.store.sweep(now: now, failuresBefore: now - Int64(accounts.throttle.lockSeconds) * 1000)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let swept = try await sweep(now: Int64(Date().timeIntervalSince1970 * 1000))
                    if swept.sessions + swept.failures > 0 {
                        logger.info("accounts swept", metadata: ["sessions": "\(swept.sessions)", "signInFailures": "\(swept.failures)"])
                    }
                } catch {
                    logger.warning("accounts sweep failed; trying again at the next one", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
