public import Logging
import ServiceLifecycle

/// Runs `round` every `interval` until the service group shuts down: a round that fails is logged
/// with `failure` and the next one tries again (what the core's periodic jobs share). The wait
/// between rounds ends at once on graceful shutdown, not after up to `interval`.
public func everyRound(_ interval: Duration, logger: Logger, failure: String, _ round: @escaping @Sendable () async throws -> Void) async {
    await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            do {
                try await round()
            } catch {
                logger.warning("\(failure); trying again", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
