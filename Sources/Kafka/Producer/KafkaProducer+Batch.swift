internal import CRdKafka
import Synchronization

/// Collects the delivery reports of one ordered batch and resumes its sender when all are in.
final class BatchTicket: Sendable {
    private struct State {
        var reports: [Int: KafkaDeliveryReport] = [:]
        var expected: Int?
        var continuation: CheckedContinuation<[Int: KafkaDeliveryReport], Never>?
    }

    private let state = Mutex(State())

    init(_ continuation: CheckedContinuation<[Int: KafkaDeliveryReport], Never>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Records one message's report (from the delivery callback).
    func deliver(_ report: KafkaDeliveryReport, index: Int) {
        finishIfComplete { $0.reports[index] = report }
    }

    /// Says how many messages were enqueued; the ticket completes once that many reports are in.
    func expect(_ count: Int) {
        finishIfComplete { $0.expected = count }
    }

    private func finishIfComplete(_ change: (inout State) -> Void) {
        let done = state.withLock { state -> (CheckedContinuation<[Int: KafkaDeliveryReport], Never>, [Int: KafkaDeliveryReport])? in
            change(&state)
            guard let expected = state.expected, state.reports.count == expected, let continuation = state.continuation else { return nil }
            state.continuation = nil
            return (continuation, state.reports)
        }
        if let (continuation, reports) = done { continuation.resume(returning: reports) }
    }
}

/// What travels as a batch message's opaque pointer: its ticket and its place in the batch.
final class BatchEntry: Sendable {
    let ticket: BatchTicket
    let index: Int
    init(ticket: BatchTicket, index: Int) {
        self.ticket = ticket
        self.index = index
    }
}

extension KafkaProducer {
    /// Sends messages in the given order (order per partition is kept, also across retries, with
    /// the idempotent producer) and returns every message's report, in the same order. Waits while
    /// librdkafka's local queue is full. Failed messages have a report whose `error` is set.
    public func sendBatch(_ messages: [KafkaProducerMessage]) async throws(KafkaError) -> [KafkaDeliveryReport] {
        var reports: [KafkaDeliveryReport] = []
        reports.reserveCapacity(messages.count)
        var next = 0
        while next < messages.count {
            let generation = stateGeneration
            var stop: rd_kafka_resp_err_t = RD_KAFKA_RESP_ERR_NO_ERROR
            var enqueued = 0
            let start = next
            let delivered = await withCheckedContinuation { (continuation: CheckedContinuation<[Int: KafkaDeliveryReport], Never>) in
                let ticket = BatchTicket(continuation)
                for index in start..<messages.count {
                    let entry = Unmanaged.passRetained(BatchEntry(ticket: ticket, index: index - start))
                    let err = produce(messages[index], opaque: entry.toOpaque())
                    if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                        entry.release()
                        stop = err
                        break
                    }
                    enqueued += 1
                }
                ticket.expect(enqueued)
            }
            reports += (0..<enqueued).compactMap { delivered[$0] }
            next = start + enqueued
            if stop == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                try await waitForCapacity(after: generation)
            } else if stop != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError.rdkafka(.produce, stop, context: "could not enqueue message \(next) of \(messages.count) for \(messages[next].topic)")
            }
        }
        return reports
    }
}
