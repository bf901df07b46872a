public import Foundation
public import Hummingbird
public import HummingbirdWebSocket

/// The request context of the WebSocket router: what the upgrade request needs (the principal)
/// and the handler Hummingbird hands the upgraded connection to.
public struct APIWebSocketContext: AuthenticatedRequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    public var principal: Principal?
    public var credentialsExpire: Date?
    public var session: SignedInSession?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        principal = nil
    }
}

/// `GET /v1/order-updates/ws`: the same order updates as the server-sent-event stream, over a
/// WebSocket: each a text message `{"id": <sequence>, "event": <order.view event>}`. Resume with
/// `?lastEventId=<the last id seen>`. Credentials as on every route, or `?access_token=` (a
/// browser cannot set headers on a WebSocket). The server stops sending when the client closes,
/// and closes when the caller's token expires. Streams are counted with the server-sent ones.
enum OrderUpdateSocket {
    static func router(_ services: APIServices) -> Router<APIWebSocketContext> {
        let router = Router(context: APIWebSocketContext.self)
        router.add(middleware: ProblemMiddleware())
        router.group("v1").add(middleware: AuthenticationMiddleware(authenticator: services.authenticator, accounts: services.accounts, queryToken: true))
            .ws("order-updates/ws") { request, context in
                let caller = try context.caller()
                guard caller.role != .carrier else { throw APIProblem.forbidden("a carrier has no order updates to follow") }
                _ = try await OrderUpdateFeed.start(request.uri.queryParameters["lastEventId"].map(String.init), services)
                try services.streams.check(caller.subject)
                return .upgrade([:])
            } onUpgrade: { inbound, outbound, context in
                let principal = try context.requestContext.caller()
                let start = try await OrderUpdateFeed.start(context.request.uri.queryParameters["lastEventId"].map(String.init), services)
                let lease = try services.streams.admit(principal.subject)
                let feed = OrderUpdateFeed(services: services, principal: principal, after: start, until: context.requestContext.credentialsExpire)
                defer { withExtendedLifetime(lease) {} }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // The client's side: nothing to read but its close, which ends the stream.
                    group.addTask { for try await _ in inbound {} }
                    group.addTask {
                        try await feed.run { rows in
                            for row in rows { try await outbound.write(.text(#"{"id":\#(row.sequence),"event":\#(row.value)}"#)) }
                        } idle: {}
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        return router
    }
}
