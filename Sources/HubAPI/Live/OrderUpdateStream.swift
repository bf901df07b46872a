import Foundation
import Hummingbird

/// `GET /v1/order-updates`: the caller's order updates as server-sent events, each the
/// `order.view` event the core published on `hub.orders.updates`, with the core's outbox sequence
/// as the event id. A client that reconnects with `Last-Event-ID` (or `?lastEventId=`) gets every
/// update after that one first, so nothing is missed across a reconnect; without one, the stream
/// starts at the newest update. A comment line every keep-alive interval tells the client (and
/// any proxy) that the stream is alive. The stream ends when the server shuts down gracefully, and
/// when the caller's token expires (a comment says so; the client reconnects with a new token).
/// A caller has at most a few streams open (``LiveStreamLimits``). Every stream carries, among them,
/// a `tier2-order.view` at each step of a tier-2 order the caller may see; a dealer's an
/// `announcement.notice` for each announcement published or changed that reaches it.
enum OrderUpdateStream {
    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.get("order-updates") { request, context in
            let principal = try context.caller()
            guard principal.role != .carrier else { throw APIProblem.forbidden("a carrier has no order updates to follow") }
            let start = try await OrderUpdateFeed.start(request.headers[.lastEventID] ?? request.uri.queryParameters["lastEventId"].map(String.init), services)
            let lease = try services.streams.admit(principal.subject)
            let feed = OrderUpdateFeed(services: services, principal: principal, after: start, until: context.credentialsExpire)
            let body = ResponseBody { writer in
                // The stream's place is held until the stream ends, however it ends.
                defer { withExtendedLifetime(lease) {} }
                try await writer.write(ByteBuffer(string: "retry: 2000\n: following order updates after \(start)\n\n"))
                try await feed.run { rows in
                    try await writer.write(ByteBuffer(string: rows.map { frame(id: $0.sequence, event: $0.event, data: $0.value) }.joined()))
                } idle: {
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                }
                if feed.expired { try await writer.write(ByteBuffer(string: ": credentials expired; reconnect with new ones\n\n")) }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
        }
    }

    /// One server-sent event; a value with line breaks is split over several `data:` lines.
    static func frame(id: Int64, event: String, data: String) -> String {
        "id: \(id)\nevent: \(event)\n" + data.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)\n" }.joined() + "\n"
    }
}
