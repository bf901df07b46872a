import Synchronization

/// Tells waiters in this process that a writer committed new state (and with it, maybe, outbox
/// rows): the API's outbox watch then looks at once instead of at its next poll. It only shortens
/// a wait: rows committed by other processes (several cores on one PostgreSQL, an API process of
/// its own) are still found by the watch's polls.
public final class CommitSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Counts the commits signalled so far: read it before looking, then wait ``wait(since:timeout:)``
    /// with it, and a commit in between is not missed.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// How many callers wait for a commit now.
    public var waiting: Int { state.withLock { $0.waiters.count } }

    /// A commit happened: every waiter returns.
    public func notify() {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.generation &+= 1
            defer { state.waiters.removeAll(keepingCapacity: true) }
            return Array(state.waiters.values)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Returns once a commit was signalled after `generation` (at once if one already was), when
    /// `timeout` has passed, or when the task is cancelled.
    public func wait(since generation: UInt64, timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { await self.commit(after: generation) }
            await group.next()
            group.cancelAll()
        }
    }

    private func commit(after generation: UInt64) async {
        let id = state.withLock { state in
            defer { state.nextWaiter &+= 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    // Cancelled before this registration: the handler found nothing to resume.
                    if state.generation != generation || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
