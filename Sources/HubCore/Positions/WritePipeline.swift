import Dispatch
import HubStore

/// Keeps at most one store write in flight, on a dedicated queue (a SQLite write may wait on the
/// disk; it must not hold a thread of the cooperative pool), so the next batch is decoded while
/// the previous one is written. ``drain()`` waits for the write in flight: the rebalance hook calls
/// it so no batch is written after its partitions were revoked.
actor WritePipeline {
    private let queue = DispatchQueue(label: "lubehub.core.store-writes")
    private var inFlight: Task<Int, any Error>?

    /// Waits for the previous write, then starts `write` and returns the previous write's result.
    func submit(_ write: @escaping @Sendable () throws(StoreError) -> Int) async throws -> Int {
        let previous = try await drain()
        let queue = queue
        inFlight = Task {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
                queue.async {
                    do throws(StoreError) {
                        continuation.resume(returning: try write())
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            }
        }
        return previous
    }

    /// Waits for the write in flight; returns its result (0 when none).
    @discardableResult
    func drain() async throws -> Int {
        guard let task = inFlight else { return 0 }
        inFlight = nil
        return try await task.value
    }
}
