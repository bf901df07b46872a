import Foundation
import Logging
import ServiceLifecycle

/// Runs `round` every `interval` until the service group shuts down: a round that fails is logged
/// with `failure` and the next one tries again (what the core's periodic jobs share).
func everyRound(_ interval: Duration, logger: Logger, failure: String, _ round: @escaping @Sendable () async throws -> Void) async {
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

/// FNV-1a of `row`'s JSON (sorted keys): the same in every process, unlike `hashValue` — how the
/// publishers of compacted topics tell a changed row from one they already sent.
func stableDigest(_ row: some Encodable) -> UInt64 {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let bytes = (try? encoder.encode(row)) ?? Data()
    return bytes.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
}
