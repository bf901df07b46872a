import Foundation
public import HubStore

/// Tells waiters when the core has written new outbox rows (every order change writes one, keyed
/// by the order), so a submit can answer with the decision as soon as it is made and a live stream
/// can send updates as they happen. One poller per process asks the database for the rows after
/// the newest it knows, and only while someone waits: as soon as the core commits when it runs in
/// this process (`commits`), and every `interval` in any case (a core in another process has no
/// way to tell). A waiter for one key (a submit waiting for its order) is woken only by a row with
/// that key, not by every other order's change: with many orders waiting, each would otherwise
/// read its order again for every change.
public actor OutboxWatch {
    private struct Waiter {
        var after: Int64
        /// `nil`: any new row wakes it.
        var key: String?
        var deadline: ContinuousClock.Instant
        var continuation: CheckedContinuation<Int64, Never>
    }

    /// Rows read per poll at most; more wait for the next one.
    static let rowsPerPoll = 5_000

    /// The shortest time between two polls woken by the core's commits.
    static let minimumGap = Duration.milliseconds(2)

    private let database: APIDatabase
    private let interval: Duration
    private let commits: CommitSignal?
    /// The newest sequence known (from polls and from ``current()``).
    private var latest: Int64 = 0
    /// The poller has looked at the key of every row up to this one since it started (`nil`
    /// before its first poll); rows after it are the ones to look at next.
    private var scanned: Int64?
    private var waiters: [UInt64: Waiter] = [:]
    private var nextWaiter: UInt64 = 0
    private var poller: Task<Void, Never>?

    public init(database: APIDatabase, interval: Duration = .milliseconds(10), commits: CommitSignal? = nil) {
        self.database = database
        self.interval = interval
        self.commits = commits
    }

    /// The newest outbox sequence now.
    public func current() async throws(APIProblem) -> Int64 {
        let newest = try await database.read { reader throws(StoreError) in try reader.outboxFeed.newestSequence() }
        latest = max(latest, newest)
        return latest
    }

    /// Returns the newest sequence once a row is past `sequence` (with `key`: a row with that key),
    /// or after `timeout` (or cancellation) whatever it is. When rows past `sequence` were already
    /// looked at (their keys are not kept), it returns at once, for the caller to look again.
    public func wait(after sequence: Int64, key: String? = nil, timeout: Duration) async -> Int64 {
        let seenPast = if let scanned, key != nil { scanned > sequence } else { latest > sequence }
        if seenPast { return latest }
        let id = nextWaiter
        nextWaiter += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiters[id] = Waiter(after: sequence, key: key, deadline: .now + timeout, continuation: continuation)
                startPolling()
            }
        } onCancel: {
            Task { await self.resume(id) }
        }
    }

    /// How many callers are waiting now.
    public var waiting: Int { waiters.count }

    private func resume(_ id: UInt64) {
        waiters.removeValue(forKey: id)?.continuation.resume(returning: latest)
    }

    private func startPolling() {
        guard poller == nil else { return }
        poller = Task { [interval, commits] in
            while !Task.isCancelled {
                let seen = commits?.generation
                let polled = ContinuousClock.now
                await self.poll()
                guard self.hasWaiters() else { break }
                if let commits, let seen {
                    await commits.wait(since: seen, timeout: interval)
                    // Under load the core commits every few milliseconds: one poll takes in all of them.
                    if ContinuousClock.now < polled + Self.minimumGap { try? await Task.sleep(until: polled + Self.minimumGap) }
                } else {
                    try? await Task.sleep(for: interval)
                }
            }
            self.pollerStopped()
        }
    }

    private func hasWaiters() -> Bool { !waiters.isEmpty }

    private func pollerStopped() {
        poller = nil
        if waiters.isEmpty {
            scanned = nil  // the next poller starts at the newest row, not at the rows written meanwhile
        } else {
            startPolling()
        }
    }

    private func poll() async {
        // A failed read leaves everything as it was; the waiters time out and ask again.
        var newestOfKey: [String: Int64] = [:]
        var unseenBefore: Int64 = 0
        if let from = scanned {
            let rows = try? await database.read { reader throws(StoreError) in try reader.outboxFeed.keys(after: from, limit: Self.rowsPerPoll) }
            for (sequence, key) in rows ?? [] {
                newestOfKey[key] = sequence
                scanned = max(scanned ?? 0, sequence)
            }
            latest = max(latest, scanned ?? 0)
        } else if let newest = try? await current() {
            // The first poll starts at the newest row; a keyed waiter from before cannot tell
            // whether its row came in between, so it is woken to look.
            scanned = newest
            unseenBefore = newest
        }
        let now = ContinuousClock.now
        for (id, waiter) in waiters {
            let woken = if let key = waiter.key {
                (newestOfKey[key] ?? 0) > waiter.after || waiter.after < unseenBefore
            } else {
                latest > waiter.after
            }
            guard woken || waiter.deadline <= now else { continue }
            waiters.removeValue(forKey: id)
            waiter.continuation.resume(returning: latest)
        }
    }
}
