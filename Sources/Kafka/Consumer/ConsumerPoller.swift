internal import CRdKafka
import Dispatch
import Foundation
import Logging

/// The consumer's dedicated thread. It polls librdkafka only when the application asks for the
/// next batch (so nothing is buffered between librdkafka and the application but the batch the
/// application holds), blocks in librdkafka while waiting (waking on messages, not on a timer),
/// and serves the rebalance callbacks, which run the application's hooks before assign/revoke.
final class ConsumerPoller: @unchecked Sendable {
    enum BatchResult: Sendable {
        case batch([KafkaConsumerMessage])
        case finished
        case failed(KafkaError)
    }

    private struct State {
        var pending: CheckedContinuation<BatchResult, Never>?
        var cancelRequested = false
        var closeRequested = false
        var closed = false
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
        var threadID: Int32 = 0
        /// True while the thread is inside librdkafka's consume call. Only then may it be woken:
        /// a wake-up that lands in `rd_kafka_consumer_close` would cut the close short.
        var polling = false
        /// Held while the thread runs; dropped when it ends, so the handle goes with its Swift owner.
        var resources: (client: RdKafkaClient, queue: RdKafkaQueue)?
    }

    private let state: ConditionLock<State>
    private let maxBatchSize: Int
    private let logger: Logger

    init(client: RdKafkaClient, maxBatchSize: Int, logger: Logger) {
        self.state = ConditionLock(State(resources: (client, RdKafkaQueue(consumer: client))))
        self.maxBatchSize = max(1, maxBatchSize)
        self.logger = logger
    }

    /// The kernel id of the poll thread (for CPU accounting), once it runs.
    var threadID: Int32 { state.withLock { $0.threadID } }

    /// Wakes the thread if it is blocked in librdkafka. Done under the lock, so the thread cannot
    /// have moved on to `rd_kafka_consumer_close` in between.
    private func wakeIfPolling(_ state: inout State) {
        if state.polling { state.resources?.queue.wake() }
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "lubehub-kafka-consumer"
        thread.start()
    }

    /// The next batch of messages: waits until at least one is there.
    func nextBatch() async -> BatchResult {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let immediate: BatchResult? = state.withLock { state in
                    if state.closed || state.closeRequested { return .finished }
                    if state.pending != nil {
                        return .failed(KafkaError(code: .consume, message: "two tasks read the same consumer at once; iterate it from one task"))
                    }
                    state.pending = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            state.withLock { state in
                state.cancelRequested = true
                wakeIfPolling(&state)
            }
        }
    }

    /// Asks the thread to leave the group (running the revoke hook) and waits until it has.
    func close() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if state.closed { return true }
                state.closeRequested = true
                state.closeWaiters.append(continuation)
                wakeIfPolling(&state)
                return false
            }
            if done { continuation.resume() }
        }
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    private func run() {
        guard let (client, queue) = state.withLock({ state -> (RdKafkaClient, RdKafkaQueue)? in
            state.threadID = currentThreadID()
            return state.resources
        }) else { return }
        let buffer = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: maxBatchSize)
        defer { buffer.deallocate() }
        while true {
            let proceed = state.wait(until: { $0.pending != nil || $0.closeRequested }) { state in
                state.polling = !state.closeRequested
                return state.polling
            }
            guard proceed else { break }
            let result = pollBatch(client: client, queue: queue, into: buffer)
            let delivery: (CheckedContinuation<BatchResult, Never>, BatchResult)? = state.withLock { state in
                state.polling = false
                guard let pending = state.pending else { return nil }
                switch result {
                case .some(let result):
                    state.pending = nil
                    state.cancelRequested = false
                    return (pending, result)
                case .none where state.cancelRequested:
                    state.pending = nil
                    state.cancelRequested = false
                    return (pending, .finished)
                case .none:
                    return nil
                }
            }
            if let (continuation, result) = delivery { continuation.resume(returning: result) }
        }
        // Leave the group here, on the thread that serves the rebalance callbacks.
        let err = rd_kafka_consumer_close(client.handle)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning("consumer close: \(String(cString: rd_kafka_err2str(err)))")
        }
        let (pending, waiters) = state.withLock { state in
            state.closed = true
            state.resources = nil
            defer {
                state.pending = nil
                state.closeWaiters.removeAll()
            }
            return (state.pending, state.closeWaiters)
        }
        pending?.resume(returning: .finished)
        for waiter in waiters { waiter.resume() }
    }

    /// One poll: `nil` when nothing arrived before the wait ended.
    private func pollBatch(client: RdKafkaClient, queue: RdKafkaQueue, into buffer: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>) -> BatchResult? {
        // Block for the first message (librdkafka's batch call would otherwise wait for a full
        // batch), then take whatever else is already there without waiting.
        let first = rd_kafka_consume_batch_queue(queue.handle, 1000, buffer, 1)
        if first < 0 {
            return .failed(KafkaError.rdkafka(.consume, rd_kafka_last_error(), context: "consume"))
        }
        if first == 0 {
            if let fatal = client.fatalError() { return .failed(fatal) }
            return nil
        }
        var count = Int(first)
        if maxBatchSize > 1 {
            let more = rd_kafka_consume_batch_queue(queue.handle, 0, buffer + 1, maxBatchSize - 1)
            if more > 0 { count += Int(more) }
        }
        var messages: [KafkaConsumerMessage] = []
        messages.reserveCapacity(count)
        var topics = TopicNameCache()
        var failure: KafkaError?
        for index in 0..<count {
            guard let message = buffer[index] else { continue }
            defer { rd_kafka_message_destroy(message) }
            let err = message.pointee.err
            if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                messages.append(KafkaConsumerMessage(message, topics: &topics))
            } else if err != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                let error = KafkaError.rdkafka(.consume, err, context: "consume \(topics.name(of: message.pointee.rkt))[\(message.pointee.partition)]")
                if err == RD_KAFKA_RESP_ERR__FATAL, failure == nil {
                    failure = client.fatalError() ?? error
                } else {
                    logger.warning("\(error.message)", metadata: ["librdkafka.error": "\(String(cString: rd_kafka_err2name(err)))"])
                }
            }
        }
        if let failure { return .failed(failure) }
        return messages.isEmpty ? nil : .batch(messages)
    }
}

/// Topic names by topic handle, so a batch creates each name once.
struct TopicNameCache {
    private var last: (OpaquePointer, String)?

    mutating func name(of rkt: OpaquePointer?) -> String {
        guard let rkt else { return "" }
        if let last, last.0 == rkt { return last.1 }
        let name = String(cString: rd_kafka_topic_name(rkt))
        last = (rkt, name)
        return name
    }
}

extension KafkaConsumerMessage {
    /// Copies a librdkafka message (the caller destroys it).
    init(_ message: UnsafeMutablePointer<rd_kafka_message_t>, topics: inout TopicNameCache) {
        let m = message.pointee
        var headers: [KafkaHeader] = []
        var list: OpaquePointer? = nil
        if rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list {
            var index = 0
            var name: UnsafePointer<CChar>? = nil
            var value: UnsafeRawPointer? = nil
            var size = 0
            while rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                headers.append(KafkaHeader(
                    name: name.map { String(cString: $0) } ?? "",
                    value: value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
                ))
                index += 1
            }
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &timestampType)
        self.init(
            topic: topics.name(of: m.rkt),
            partition: m.partition,
            offset: m.offset,
            key: m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) },
            value: m.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: m.len)) },
            headers: headers,
            timestampMilliseconds: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp
        )
    }
}
