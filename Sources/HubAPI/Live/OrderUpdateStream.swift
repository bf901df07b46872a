import Foundation
import HubStore
import Hummingbird
import ServiceLifecycle

/// `GET /v1/order-updates`: the caller's order updates as server-sent events, each the
/// `order.view` event the core published on `hub.orders.updates`, with the core's outbox sequence
/// as the event id. A client that reconnects with `Last-Event-ID` (or `?lastEventId=`) gets every
/// update after that one first, so nothing is missed across a reconnect; without one, the stream
/// starts at the newest update. A comment line every keep-alive interval tells the client (and
/// any proxy) that the stream is alive. The stream ends when the server shuts down gracefully.
enum OrderUpdateStream {
    static let batch = 200

    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.get("order-updates") { request, context in
            let principal = try context.caller()
            guard principal.role != .carrier else { throw APIProblem.forbidden("a carrier has no order updates to follow") }
            let asked = request.headers[.lastEventID] ?? request.uri.queryParameters["lastEventId"].map(String.init)
            let start: Int64
            if let asked {
                guard let sequence = Int64(asked), sequence >= 0 else { throw APIProblem.badRequest("Last-Event-ID \(asked.prefix(40)) is not an event id this stream gave") }
                start = sequence
            } else {
                start = try await services.watch.current()
            }
            let scope = DealerScope(principal)
            let topic = services.commands.topics.orderUpdates
            let body = ResponseBody { writer in
                try await writer.write(ByteBuffer(string: "retry: 2000\n: following order updates after \(start)\n\n"))
                var scanned = start
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    let newest = try await services.watch.current()
                    // Everything up to `newest` is committed (one writer on SQLite), so it is scanned once.
                    while scanned < newest {
                        let from = scanned
                        let rows = try await services.database.read { db throws(StoreError) in try updates(after: from, upTo: newest, topic: topic, scope: scope, in: db) }
                        if rows.isEmpty { scanned = newest; break }
                        var text = ""
                        for row in rows { text += frame(id: row.sequence, data: row.value) }
                        try await writer.write(ByteBuffer(string: text))
                        scanned = rows.count < batch ? newest : rows[rows.count - 1].sequence
                    }
                    let waited = try? await cancelWhenGracefulShutdown { await services.watch.wait(after: newest, timeout: services.keepAlive) }
                    guard let waited else { break }
                    if waited <= newest { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
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

    /// One server-sent event; a value with line breaks is split over several `data:` lines.
    static func frame(id: Int64, data: String) -> String {
        "id: \(id)\nevent: order.view\n" + data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)\n" }.joined() + "\n"
    }
}
