internal import CRdKafka

/// What the producer's callers and its poll thread share: the capacity signal that makes a full
/// local queue wait instead of fail, the counters, and the bounded buffer of delivery reports.
final class ProducerState: @unchecked Sendable {
    struct Counters: Sendable {
        var delivered = 0
        var failed = 0
        /// Times a sender found librdkafka's local queue full and waited for space.
        var queueFullWaits = 0
    }

    private struct Inner {
        /// Bumped each time the poll thread served events (and so freed queue space).
        var generation: UInt64 = 0
        var capacityWaiters: [CheckedContinuation<Void, Never>] = []
        var counters = Counters()
        var reports: [KafkaDeliveryReport] = []
        var reportsHead = 0
        var reportWaiter: CheckedContinuation<KafkaDeliveryReport?, Never>?
        var closed = false

        var bufferedReports: Int { reports.count - reportsHead }
    }

    private let inner = ConditionLock(Inner())
    let reportBufferSize: Int

    init(reportBufferSize: Int) {
        self.reportBufferSize = max(1, reportBufferSize)
    }

    var generation: UInt64 { inner.withLock { $0.generation } }
    var counters: Counters { inner.withLock { $0.counters } }
    var isClosed: Bool { inner.withLock { $0.closed } }

    /// Waits until the poll thread frees queue space after `generation`; returns at once if it already did.
    func waitForCapacity(after generation: UInt64) async {
        await withCheckedContinuation { continuation in
            let resumeNow = inner.withLock { state in
                state.counters.queueFullWaits += 1
                if state.generation != generation || state.closed { return true }
                state.capacityWaiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// Called by the poll thread after it served events: wakes senders waiting for queue space.
    func capacityFreed() {
        let waiters = inner.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.generation &+= 1
            defer { state.capacityWaiters.removeAll() }
            return state.capacityWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func count(succeeded: Bool) {
        inner.withLock { state in
            if succeeded { state.counters.delivered += 1 } else { state.counters.failed += 1 }
        }
    }

    /// Hands a report to the reader; blocks the (dedicated) calling thread while the buffer is full.
    func deliver(_ report: KafkaDeliveryReport) {
        let waiter = inner.wait(until: { $0.bufferedReports < self.reportBufferSize || $0.closed }) { state -> CheckedContinuation<KafkaDeliveryReport?, Never>? in
            if report.succeeded { state.counters.delivered += 1 } else { state.counters.failed += 1 }
            if let waiter = state.reportWaiter {
                state.reportWaiter = nil
                return waiter
            }
            if !state.closed { state.reports.append(report) }
            return nil
        }
        waiter?.resume(returning: report)
    }

    /// The next delivery report, or `nil` once the producer is closed and the buffer is empty.
    func nextReport() async -> KafkaDeliveryReport? {
        await withCheckedContinuation { continuation in
            let ready: KafkaDeliveryReport?? = inner.withLock { state in
                if state.reportsHead < state.reports.count {
                    let report = state.reports[state.reportsHead]
                    state.reportsHead += 1
                    if state.reportsHead > 1024 && state.reportsHead * 2 > state.reports.count {
                        state.reports.removeFirst(state.reportsHead)
                        state.reportsHead = 0
                    }
                    return .some(report)
                }
                if state.closed { return .some(nil) }
                state.reportWaiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    func close() {
        let (waiters, reportWaiter) = inner.withLock { state in
            state.closed = true
            defer {
                state.capacityWaiters.removeAll()
                state.reportWaiter = nil
            }
            return (state.capacityWaiters, state.reportWaiter)
        }
        for waiter in waiters { waiter.resume() }
        reportWaiter?.resume(returning: nil)
    }
}

/// Carries an awaiting `send` through librdkafka as the message's opaque pointer.
final class DeliveryTicket: @unchecked Sendable {
    let continuation: CheckedContinuation<ProducerSendOutcome, Never>
    init(_ continuation: CheckedContinuation<ProducerSendOutcome, Never>) { self.continuation = continuation }
}

enum ProducerSendOutcome: Sendable {
    case delivered(KafkaDeliveryReport)
    case notEnqueued(rd_kafka_resp_err_t)
}

extension KafkaDeliveryReport {
    /// The report for a message librdkafka finished with (delivered or failed).
    init(_ message: UnsafePointer<rd_kafka_message_t>, includeKey: Bool) {
        let m = message.pointee
        let failed = m.err != RD_KAFKA_RESP_ERR_NO_ERROR
        self.init(
            topic: m.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? "",
            partition: m.partition,
            offset: failed ? nil : m.offset,
            key: includeKey ? m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) } : nil,
            error: failed ? KafkaError.rdkafka(.delivery, m.err, context: "delivery failed") : nil
        )
    }
}
