internal import CRdKafka
import Foundation

/// The producer's dedicated thread: blocks on librdkafka's main queue and serves delivery reports
/// as they arrive (no timer), then tells waiting senders that queue space was freed.
/// When stopped it drops its references, so the handle goes with its Swift owner.
final class ProducerPoller: @unchecked Sendable {
    private struct State {
        var resources: (client: RdKafkaClient, queue: RdKafkaQueue)?
        var stopRequested = false
        var stopped = false
        var threadID: Int32 = 0
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: ConditionLock<State>
    private let producerState: ProducerState
    private let queue: RdKafkaQueue

    init(client: RdKafkaClient, producerState: ProducerState) {
        let queue = RdKafkaQueue(main: client)
        self.queue = queue
        self.producerState = producerState
        self.state = ConditionLock(State(resources: (client, queue)))
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "lubehub-kafka-producer"
        thread.start()
    }

    /// The kernel id of the poll thread (for CPU accounting), once it runs.
    var threadID: Int32 { state.withLock { $0.threadID } }

    /// Asks the thread to stop; returns at once.
    func requestStop() {
        state.withLock { $0.stopRequested = true }
        queue.wake()
    }

    /// Stops the thread and waits until it has let go of the client.
    func stop() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.stopped { return true }
                state.stopRequested = true
                state.stopWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() } else { queue.wake() }
        }
    }

    private func run() {
        guard let queue = state.withLock({ state -> RdKafkaQueue? in
            state.threadID = currentThreadID()
            return state.resources?.queue
        }) else { return }
        while !state.withLock({ $0.stopRequested }) {
            if queue.serveCallbacks(timeoutMilliseconds: 1000) > 0 { producerState.capacityFreed() }
        }
        let waiters = state.withLock { state in
            state.stopped = true
            state.resources = nil
            defer { state.stopWaiters.removeAll() }
            return state.stopWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// The calling thread's kernel thread id.
func currentThreadID() -> Int32 {
    lubehub_thread_id()
}
