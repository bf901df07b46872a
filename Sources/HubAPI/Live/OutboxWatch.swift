import Foundation
public import HubStore

/// Tells waiters when the core has written new outbox rows (every order change writes one), so
/// a submit can answer with the decision as soon as it is made and a live stream can send updates
/// as they happen. One poller per process asks the database for the newest outbox sequence every
/// `interval`, and only while someone waits: the core may run in another process, so there is no
/// in-process signal to use.
public actor OutboxWatch {
    private struct Waiter {
        var after: Int64
        var deadline: ContinuousClock.Instant
        var continuation: CheckedContinuation<Int64, Never>
    }

    private let database: APIDatabase
    private let interval: Duration
    private var latest: Int64 = 0
    private var waiters: [UInt64: Waiter] = [:]
    private var nextWaiter: UInt64 = 0
    private var poller: Task<Void, Never>?

    public init(database: APIDatabase, interval: Duration = .milliseconds(10)) {
        self.database = database
        self.interval = interval
    }

    /// The newest outbox sequence now.
    public func current() async throws(APIProblem) -> Int64 {
        let newest = try await database.read { db throws(StoreError) in try db.first("SELECT COALESCE(MAX(seq), 0) FROM outbox")?.int64(0) ?? 0 }
        latest = max(latest, newest)
        return latest
    }

    /// Returns the newest sequence once it is past `sequence`, or after `timeout` (or cancellation) whatever it is.
    public func wait(after sequence: Int64, timeout: Duration) async -> Int64 {
        if latest > sequence { return latest }
        let id = nextWaiter
        nextWaiter += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiters[id] = Waiter(after: sequence, deadline: .now + timeout, continuation: continuation)
                startPolling()
            }
        } onCancel: {
            Task { await self.resume(id) }
        }
    }

    private func resume(_ id: UInt64) {
        waiters.removeValue(forKey: id)?.continuation.resume(returning: latest)
    }

    private func startPolling() {
        guard poller == nil else { return }
        poller = Task { [interval] in
            while !Task.isCancelled {
                await self.poll()
                guard await self.hasWaiters() else { break }
                try? await Task.sleep(for: interval)
            }
            await self.pollerStopped()
        }
    }

    private func hasWaiters() -> Bool { !waiters.isEmpty }

    private func pollerStopped() {
        poller = nil
        if !waiters.isEmpty { startPolling() }
    }

    private func poll() async {
        // A failed read leaves `latest` as it was; the waiters time out and ask again.
        _ = try? await current()
        let now = ContinuousClock.now
        for (id, waiter) in waiters where latest > waiter.after || waiter.deadline <= now {
            waiters.removeValue(forKey: id)
            waiter.continuation.resume(returning: latest)
        }
    }
}
