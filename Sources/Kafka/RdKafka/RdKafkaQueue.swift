internal import CRdKafka

/// Owns an `rd_kafka_queue_t` handle (main or consumer queue) of a client it keeps alive.
final class RdKafkaQueue: @unchecked Sendable {
    let handle: OpaquePointer
    private let client: RdKafkaClient

    init(main client: RdKafkaClient) {
        self.client = client
        self.handle = rd_kafka_queue_get_main(client.handle)
    }

    init(consumer client: RdKafkaClient) {
        self.client = client
        self.handle = rd_kafka_queue_get_consumer(client.handle)
    }

    deinit { rd_kafka_queue_destroy(handle) }

    /// Blocks until events arrive (serving them through callbacks), `wake()` or the timeout.
    func serveCallbacks(timeoutMilliseconds: Int32) -> Int32 {
        rd_kafka_queue_poll_callback(handle, timeoutMilliseconds)
    }

    /// Makes a thread blocked on this queue return now.
    func wake() { rd_kafka_queue_yield(handle) }
}
