internal import CRdKafka
import Foundation
public import Logging
public import ServiceLifecycle

/// A Kafka producer over librdkafka.
///
/// - ``send(_:)`` enqueues a message and returns when the broker acknowledged it (partition, offset).
/// - ``enqueue(_:)`` returns once librdkafka holds the message; its outcome reaches the counters and,
///   when configured, ``deliveryReports``.
/// - When librdkafka's local queue is full, both wait for space instead of failing.
/// - ``shutdown()`` (also run by the `Service` on graceful shutdown) flushes: nothing acknowledged to a
///   caller is lost. A dedicated thread blocks on librdkafka's queue to serve delivery reports; it
///   wakes on events, not on a timer.
public final class KafkaProducer: Sendable, Service {
    private let client: RdKafkaClient
    private let state: ProducerState
    private let poller: ProducerPoller
    private let blocking: BlockingCalls
    let configuration: KafkaProducerConfiguration
    public let logger: Logger

    public init(configuration: KafkaProducerConfiguration, logger: Logger = Logger(label: "lubehub.kafka.producer")) throws(KafkaError) {
        let state = ProducerState(reportBufferSize: configuration.deliveryReportBufferSize)
        let collects = configuration.collectsDeliveryReports
        let callbacks = RdKafkaClient.Callbacks(logger: logger, onDelivery: { message in
            if let opaque = message.pointee._private {
                let owner = Unmanaged<AnyObject>.fromOpaque(opaque).takeRetainedValue()
                let report = KafkaDeliveryReport(message, includeKey: false)
                state.count(succeeded: report.succeeded)
                if let ticket = owner as? DeliveryTicket {
                    ticket.continuation.resume(returning: .delivered(report))
                } else if let entry = owner as? BatchEntry {
                    entry.ticket.deliver(report, index: entry.index)
                }
            } else if collects {
                state.deliver(KafkaDeliveryReport(message, includeKey: true))
            } else {
                state.count(succeeded: message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR)
            }
        })
        let client = try RdKafkaClient(kind: .producer, properties: configuration.librdkafkaProperties, callbacks: callbacks)
        self.client = client
        self.state = state
        self.poller = ProducerPoller(client: client, producerState: state)
        self.blocking = BlockingCalls(label: "producer")
        self.configuration = configuration
        self.logger = logger
        poller.start()
    }

    deinit {
        // Without an explicit shutdown: stop the poll thread; the handle goes with the last reference.
        state.close()
        poller.requestStop()
    }

    /// Sends a message and returns the broker's acknowledgement.
    /// - Throws: ``KafkaError`` when the message cannot be enqueued or the broker did not accept it
    ///   within `message.timeout.ms`.
    @discardableResult
    public func send(_ message: KafkaProducerMessage) async throws(KafkaError) -> KafkaDeliveryReport {
        while true {
            let generation = state.generation
            let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<ProducerSendOutcome, Never>) in
                let ticket = Unmanaged.passRetained(DeliveryTicket(continuation))
                let err = produce(message, opaque: ticket.toOpaque())
                if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    ticket.release()
                    continuation.resume(returning: .notEnqueued(err))
                }
            }
            switch outcome {
            case .delivered(let report):
                if let error = report.error { throw error }
                return report
            case .notEnqueued(let err) where err == RD_KAFKA_RESP_ERR__QUEUE_FULL:
                try await waitForCapacity(after: generation)
            case .notEnqueued(let err):
                throw KafkaError.rdkafka(.produce, err, context: "could not enqueue a message for \(message.topic)")
            }
        }
    }

    /// Hands a message to librdkafka without waiting for the broker. Waits while the local queue is full.
    public func enqueue(_ message: KafkaProducerMessage) async throws(KafkaError) {
        while true {
            let generation = state.generation
            let err = produce(message, opaque: nil)
            if err == RD_KAFKA_RESP_ERR_NO_ERROR { return }
            guard err == RD_KAFKA_RESP_ERR__QUEUE_FULL else {
                throw KafkaError.rdkafka(.produce, err, context: "could not enqueue a message for \(message.topic)")
            }
            try await waitForCapacity(after: generation)
        }
    }

    func waitForCapacity(after generation: UInt64) async throws(KafkaError) {
        if state.isClosed { throw KafkaError(code: .closed, message: "the producer is shut down") }
        await state.waitForCapacity(after: generation)
    }

    /// Reports for messages sent with ``enqueue(_:)``, when ``KafkaProducerConfiguration/collectsDeliveryReports``
    /// is on. Ends after ``shutdown()``. Read it while sending: when its buffer is full, sending waits.
    public var deliveryReports: DeliveryReports { DeliveryReports(state: state) }

    /// How many messages the broker acknowledged, how many failed, and how often sending waited
    /// for space in librdkafka's local queue, so far.
    public var counters: (delivered: Int, failed: Int, queueFullWaits: Int) {
        let counters = state.counters
        return (counters.delivered, counters.failed, counters.queueFullWaits)
    }

    /// Waits until every enqueued message is acknowledged or failed, or `timeout` passes.
    public func flush(timeout: Duration = .seconds(60)) async throws(KafkaError) {
        let (client, milliseconds) = (client, Int32(clamping: timeout.milliseconds))
        defer { state.capacityFreed() }
        try await blocking.run { () throws(KafkaError) in
            let err = rd_kafka_flush(client.handle, milliseconds)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError.rdkafka(.timedOut, err, context: "flush: \(rd_kafka_outq_len(client.handle)) messages still in flight")
            }
        }
    }

    /// Flushes, then stops the poll thread. Sending afterwards fails with ``KafkaError/Code/closed``.
    public func shutdown(flushTimeout: Duration = .seconds(60)) async throws(KafkaError) {
        if state.isClosed { return }
        do {
            try await flush(timeout: flushTimeout)
        } catch {
            state.close()
            await poller.stop()
            throw error
        }
        state.close()
        await poller.stop()
    }

    /// Runs until graceful shutdown, then flushes and stops.
    public func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }

    var stateGeneration: UInt64 { state.generation }

    /// Enqueues one message with librdkafka; the result says whether it was taken.
    func produce(_ message: KafkaProducerMessage, opaque: UnsafeMutableRawPointer?) -> rd_kafka_resp_err_t {
        if state.isClosed { return RD_KAFKA_RESP_ERR__DESTROY }
        var headers: OpaquePointer? = nil
        if !message.headers.isEmpty {
            let list = rd_kafka_headers_new(message.headers.count)
            for header in message.headers {
                if let value = header.value {
                    value.withUnsafeBytes { bytes in
                        _ = rd_kafka_header_add(list, header.name, -1, bytes.baseAddress ?? UnsafeRawPointer(emptyBytes), bytes.count)
                    }
                } else {
                    _ = rd_kafka_header_add(list, header.name, -1, nil, 0)
                }
            }
            headers = list
        }
        let err = message.topic.withCString { topic in
            withOptionalBytes(message.key) { key in
                withOptionalBytes(message.value) { value in
                    var vus = [rd_kafka_vu_t](repeating: rd_kafka_vu_t(), count: 7)
                    var count = 0
                    func add(_ type: rd_kafka_vtype_t, _ set: (inout rd_kafka_vu_t) -> Void) {
                        vus[count].vtype = type
                        set(&vus[count])
                        count += 1
                    }
                    add(RD_KAFKA_VTYPE_TOPIC) { $0.u.cstr = topic }
                    add(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
                    if let partition = message.partition { add(RD_KAFKA_VTYPE_PARTITION) { $0.u.i32 = partition } }
                    if let key { add(RD_KAFKA_VTYPE_KEY) { $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress); $0.u.mem.size = key.count } }
                    if let value { add(RD_KAFKA_VTYPE_VALUE) { $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress); $0.u.mem.size = value.count } }
                    if let opaque { add(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = opaque } }
                    if let headers { add(RD_KAFKA_VTYPE_HEADERS) { $0.u.headers = headers } }
                    guard let error = rd_kafka_produceva(client.handle, vus, count) else { return RD_KAFKA_RESP_ERR_NO_ERROR }
                    defer { rd_kafka_error_destroy(error) }
                    return rd_kafka_error_code(error)
                }
            }
        }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR, let headers { rd_kafka_headers_destroy(headers) }
        return err
    }

    var handle: RdKafkaClient { client }
    var blockingCalls: BlockingCalls { blocking }
    /// The kernel id of the poll thread, for CPU accounting in tests.
    var pollThreadID: Int32 { poller.threadID }
}

extension KafkaProducer {
    /// The reports of messages sent with ``KafkaProducer/enqueue(_:)``, in the order the broker answered.
    public struct DeliveryReports: AsyncSequence, Sendable {
        public typealias Element = KafkaDeliveryReport
        let state: ProducerState

        public struct AsyncIterator: AsyncIteratorProtocol {
            let state: ProducerState
            public mutating func next() async -> KafkaDeliveryReport? { await state.nextReport() }
        }

        public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(state: state) }
    }
}

/// A non-NULL address for zero-length keys and values: NULL would mean "absent" to librdkafka.
nonisolated(unsafe) private let emptyBytes = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

/// Calls `body` with the bytes (never a NULL base for an empty array), or `nil` for `nil`.
private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { buffer in
        body(buffer.baseAddress == nil ? UnsafeRawBufferPointer(start: emptyBytes, count: 0) : buffer)
    }
}
