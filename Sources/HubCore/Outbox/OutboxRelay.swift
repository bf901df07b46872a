public import HubStore
import HubMessaging
public import Kafka
public import Logging
public import ServiceLifecycle

/// Publishes the outbox: unsent rows in sequence order (so per key in order, the producer being
/// idempotent), marking them sent only after the broker acknowledged them. After a crash the rows
/// not marked are sent again under the same event ids (header `event.id`), so subscribers drop
/// repeats: publishing is at least once, applying downstream exactly once. Each message carries
/// the trace its row was written in (`traceparent`).
public final class OutboxRelay: Sendable, Service {
    private let outbox: Outbox
    private let producer: KafkaProducer
    private let batchSize: Int
    private let idleWait: Duration
    private let logger: Logger

    /// - Parameter idleWait: how long to wait before looking again when the outbox is empty (rows
    ///   can come from other processes sharing the database, so there is no in-process signal).
    public init(outbox: Outbox, producer: KafkaProducer, batchSize: Int = 500, idleWait: Duration = .milliseconds(50), logger: Logger = Logger(label: "lubehub.core.outbox")) {
        self.outbox = outbox
        self.producer = producer
        self.batchSize = max(1, batchSize)
        self.idleWait = idleWait
        self.logger = logger
    }

    /// Publishes one batch of unsent rows; returns how many were published and marked sent.
    /// A row the broker refused stops the batch there (it and the rows after it stay unsent, so
    /// order holds) and the error is thrown.
    @discardableResult
    public func relayOnce() async throws -> Int {
        // Several cores sharing one PostgreSQL: one relay publishes at a time, so per-key order holds.
        guard try await outbox.claimRelay() else { return 0 }
        let rows = try await outbox.unsent(limit: batchSize)
        guard !rows.isEmpty else { return 0 }
        let reports = try await producer.sendBatch(rows.map(Self.message))
        let acknowledged = reports.prefix(while: { $0.succeeded }).count
        try await outbox.markSent(rows.prefix(acknowledged).map(\.sequence))
        if acknowledged < rows.count, let error = reports[acknowledged].error {
            throw error
        }
        return acknowledged
    }

    /// Publishes until graceful shutdown; transient failures are retried with backoff. The loop
    /// runs on the outbox connection's queue: its three store calls a batch start there without
    /// crossing threads.
    public func run() async throws {
        await outbox.onConnectionQueue { () async -> Void in
            var backoff = Duration.milliseconds(100)
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                do {
                    if try await relayOnce() == 0 { try await Task.sleep(for: idleWait) }
                    backoff = .milliseconds(100)
                } catch is CancellationError {
                    break
                } catch {
                    logger.warning("outbox relay failed; retrying", metadata: ["error": "\(error)", "backoff": "\(backoff)"])
                    try? await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .seconds(5))
                }
            }
        }
    }

    static func message(_ row: OutboxRow) -> KafkaProducerMessage {
        var headers = [KafkaHeader(name: MessageHeader.eventId, string: row.eventId)]
        if let trace = row.traceParent { headers.append(KafkaHeader(name: MessageHeader.traceParent, string: trace)) }
        return KafkaProducerMessage(topic: row.topic, key: Array(row.key.utf8), value: row.value, headers: headers)
    }
}
