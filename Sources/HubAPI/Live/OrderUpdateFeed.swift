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

    /// Where a stream starts: after the sequence the client names, else at the newest.
    static func start(_ asked: String?, _ services: APIServices) async throws(APIProblem) -> Int64 {
        guard let asked else { return try await services.watch.current() }
        guard let sequence = Int64(asked), sequence >= 0 else { throw APIProblem.badRequest("event id \(asked.prefix(40)) is not one this stream gave") }
        return sequence
    }

    /// Sends rows as they come until cancelled or the server shuts down gracefully; `idle` runs
    /// after each keep-alive interval without any.
    func run(send: (_ rows: [(sequence: Int64, value: String)]) async throws -> Void, idle: () async throws -> Void) async throws {
        let topic = services.commands.topics.orderUpdates
        let visibility = visibility
        var scanned = after
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
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
            let waited = await cancelWhenGracefulShutdown { await services.watch.wait(after: newest, timeout: services.keepAlive) }
            if waited <= newest && !Task.isShuttingDownGracefully { try await idle() }
        }
    }
}
