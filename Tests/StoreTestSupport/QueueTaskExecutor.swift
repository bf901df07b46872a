import Dispatch

/// A task executor on a dispatch queue of its own, off Swift's cooperative pool: for a test's task
/// that must start while the pool may be busy. On a 2-core machine the pool has two threads, and two
/// long CPU-bound tests running in parallel hold both for a minute (CI run 72 of fb31a2d: nothing
/// else ran from 70 s to 133 s), so a task started on the pool can wait that long for its first step.
public final class QueueTaskExecutor: TaskExecutor {
    private let queue: DispatchQueue

    public init(label: String) {
        queue = DispatchQueue(label: label)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
