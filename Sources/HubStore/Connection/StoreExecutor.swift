import Dispatch

/// The serial queue a store connection's work runs on, as a task executor.
///
/// A store call made from a task on Swift's pool crosses threads twice: to the queue, and back to
/// the pool to resume — two thread wake-ups per transaction, tens of microseconds each on an idle
/// machine and more on a busy one (issue 22's A/B: submit → decision p50 +0.8 ms against the
/// synchronous store before it). A task that does little but store work (the core's interactive
/// ingest, the outbox relay, an order submission's reads) can prefer this executor instead
/// (``CoreStore/connectionExecutor``, ``Outbox/onConnectionQueue(_:)``, ``ReadConnections/pinned(_:)``): its code then runs on the
/// queue between its store calls, and a call starts without waking another thread.
///
/// Jobs run one at a time in the order they were enqueued, so a connection's work — always
/// synchronous, inside one job — never overlaps another's.
final class StoreExecutor: TaskExecutor {
    private let queue: DispatchQueue
    private static let identity = DispatchSpecificKey<ObjectIdentifier>()

    init(label: String) {
        queue = DispatchQueue(label: label)
        queue.setSpecific(key: Self.identity, value: ObjectIdentifier(self))
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Whether the calling thread is running one of this executor's jobs.
    var isCurrent: Bool { DispatchQueue.getSpecific(key: Self.identity) == ObjectIdentifier(self) }
}
