import Dispatch
import HubStore

/// Keeps at most one store write in flight, on a dedicated queue (a SQLite write may wait on the
/// disk; it must not hold a thread of the cooperative pool), so the next batch is decoded while
/// the previous one is written. ``drain()`` waits for the write in flight: the rebalance hook calls
/// it so no batch is written after its partitions were revoked.
actor WritePipeline {
    private let queue = DispatchQueue(label: "lubehub.core.store-writes")
    private var inFlight: Task<Int, any Error>?
    /// The sum of what every finished write returned (whoever waited for it).
    private(set) var completed = 0

    /// Waits for the previous write, then starts `write`; returns ``completed`` so far.
    func submit(_ write: @escaping @Sendable () throws(StoreError) -> Int) async throws -> Int {
        try await drain()
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
        return completed
    }

    /// Waits for the write in flight; returns ``completed`` afterwards.
    @discardableResult
    func drain() async throws -> Int {
        if let task = inFlight {
            inFlight = nil
            completed += try await task.value
        }
        return completed
    }
}
