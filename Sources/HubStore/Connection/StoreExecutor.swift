import Dispatch
import Synchronization

/// The serial queue a store connection's work runs on, as a task executor.
///
/// A store call made from a task on Swift's pool crosses threads twice: to the queue, and back to
/// the pool to resume — two thread wake-ups per transaction, tens of microseconds each on an idle
/// machine and more on a busy one (issue 22's A/B: submit → decision p50 +0.8 ms against the
/// synchronous store before it). A task that does little but store work (the core's interactive
/// ingest, the outbox relay, an order submission's reads) can prefer this executor instead
/// (``CoreStore/onConnectionQueue(_:)``, ``ReadConnections/pinned(_:)``): its code then runs on the
/// queue between its store calls, and a call starts without waking another thread.
///
/// Jobs run one at a time in the order they were enqueued, so a connection's work — always
/// synchronous, inside one job — never overlaps another's.
final class StoreExecutor: TaskExecutor {
    private let queue: DispatchQueue
    private static let identity = DispatchSpecificKey<ObjectIdentifier>()
    /// Jobs enqueued and not started yet.
    private let waiting = Atomic<Int>(0)

    init(label: String) {
        queue = DispatchQueue(label: label)
        queue.setSpecific(key: Self.identity, value: ObjectIdentifier(self))
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        waiting.add(1, ordering: .relaxed)
        queue.async {
            self.waiting.subtract(1, ordering: .relaxed)
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }

    /// Whether a job waits behind the one running: a store call from another task, or the next
    /// step of a task that prefers this executor (the interactive ingest with an order's command
    /// fetched). Counted when enqueued, so a task on the queue is seen waiting even before it gets
    /// to ask for the connection.
    var hasWaitingJobs: Bool { waiting.load(ordering: .relaxed) > 0 }

    /// Whether the calling thread is running one of this executor's jobs.
    var isCurrent: Bool { DispatchQueue.getSpecific(key: Self.identity) == ObjectIdentifier(self) }
}
