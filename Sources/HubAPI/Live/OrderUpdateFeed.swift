import Foundation
import HubStore
import ServiceLifecycle

/// A caller's order updates from the core's outbox, in outbox order, after a given sequence: what
/// the server-sent-event stream and the WebSocket both send. Every `order.view` the core publishes
/// on `hub.orders.updates` is also an outbox row with a sequence, so a client that names the last
/// sequence it saw gets everything after it, and the rows of dealers outside its scope never.
struct OrderUpdateFeed: Sendable {
    static let batch = 200

    let services: APIServices
    let visibility: DealerVisibility
    let after: Int64
    /// When the caller's credentials expire: the stream ends then (the client reconnects with new ones).
    let until: Date?

    /// Where a stream starts: after the sequence the client names, else at the newest. A sequence
    /// ahead of the newest was never given (400); one further back than the replay window is
    /// answered 410: the client reloads the current state and follows from now.
    static func start(_ asked: String?, _ services: APIServices) async throws(APIProblem) -> Int64 {
        let newest = try await services.watch.current()
        guard let asked else { return newest }
        guard let sequence = Int64(asked), sequence >= 0, sequence <= newest else { throw APIProblem.badRequest("event id \(asked.prefix(40)) is not one this stream gave") }
        guard newest - sequence <= services.replayWindow else {
            throw APIProblem(.gone, "event id \(sequence) is older than the \(services.replayWindow) newest updates this stream replays: GET /v1/orders for the current state, then follow without Last-Event-ID")
        }
        return sequence
    }

    /// Whether the caller's credentials have expired.
    var expired: Bool { until.map { Date() >= $0 } ?? false }

    /// Sends rows as they come until cancelled or the server shuts down gracefully; `idle` runs
    /// after each keep-alive interval without any.
    func run(send: (_ rows: [(sequence: Int64, value: String)]) async throws -> Void, idle: () async throws -> Void) async throws {
        let topic = services.commands.topics.orderUpdates
        let visibility = visibility
        var scanned = after
        while !Task.isCancelled && !Task.isShuttingDownGracefully && !expired {
            let newest = try await services.watch.current()
            // Every row up to `newest` is committed (SQLite has one writer; on PostgreSQL outbox writers take
            // sequences in commit order, see Outbox.append), so it is scanned once and never passed by.
            while scanned < newest {
                let from = scanned
                let rows = try await services.database.read { reader throws(StoreError) in
                    try reader.outboxFeed.orderUpdates(after: from, upTo: newest, topic: topic, visibleTo: visibility, limit: Self.batch)
                }
                if rows.isEmpty { scanned = newest; break }
                try await send(rows)
                scanned = rows.count < Self.batch ? newest : rows[rows.count - 1].sequence
            }
            // Graceful shutdown cancels the wait, and the loop's condition ends the stream.
            let timeout = until.map { min(services.keepAlive, .milliseconds(max(0, Int64($0.timeIntervalSinceNow * 1000)))) } ?? services.keepAlive
            let waited = await cancelWhenGracefulShutdown { await services.watch.wait(after: newest, timeout: timeout) }
            if waited <= newest && !Task.isShuttingDownGracefully && !expired { try await idle() }
        }
    }
}
