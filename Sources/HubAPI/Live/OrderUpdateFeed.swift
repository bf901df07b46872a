import HubStore
import ServiceLifecycle

/// A caller's order updates from the core's outbox, in outbox order, after a given sequence: what
/// the server-sent-event stream and the WebSocket both send. Every `order.view` the core publishes
/// on `hub.orders.updates` is also an outbox row with a sequence, so a client that names the last
/// sequence it saw gets everything after it, and the rows of dealers outside its scope never.
struct OrderUpdateFeed: Sendable {
    static let batch = 200

    let services: APIServices
    let scope: DealerScope
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
        let scope = scope
        var scanned = after
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let newest = try await services.watch.current()
            // Every row up to `newest` is committed (SQLite has one writer; on PostgreSQL outbox writers take
            // sequences in commit order, see Outbox.append), so it is scanned once and never passed by.
            while scanned < newest {
                let from = scanned
                let rows = try await services.database.read { db throws(StoreError) in
                    try Self.updates(after: from, upTo: newest, topic: topic, scope: scope, in: db)
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

    /// The order views after `sequence` (up to `newest`) for orders of dealers in the scope.
    static func updates(after sequence: Int64, upTo newest: Int64, topic: String, scope: DealerScope, in db: any SQLDatabase) throws(StoreError) -> [(sequence: Int64, value: String)] {
        let (scopeSQL, scopeBinds) = scope.condition(on: "r.dealer_id")
        return try db.query("""
            SELECT o.seq, o.value FROM outbox o JOIN orders r ON r.order_id = o.message_key
            WHERE o.seq > ? AND o.seq <= ? AND o.topic = ? AND \(scopeSQL) ORDER BY o.seq LIMIT ?
            """, [.integer(sequence), .integer(newest), .text(topic)] + scopeBinds + [.integer(Int64(batch))]).map {
            ($0.int64(0), String(decoding: $0.blob(1) ?? [], as: UTF8.self))
        }
    }
}
