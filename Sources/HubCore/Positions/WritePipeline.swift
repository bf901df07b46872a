import HubStore

/// Keeps at most one store write in flight, so the next batch is decoded while the previous one
/// is written (the write itself runs on the store's own queue). ``drain()`` waits for the write in
/// flight: the rebalance hook calls it so no batch is written after its partitions were revoked.
actor WritePipeline {
    private var inFlight: Task<Int, any Error>?
    /// The sum of what every finished write returned (whoever waited for it).
    private(set) var completed = 0

    /// Waits for the previous write, then starts `write`; returns ``completed`` so far.
    func submit(_ write: @escaping @Sendable () async throws -> Int) async throws -> Int {
        try await drain()
        inFlight = Task { try await write() }
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
