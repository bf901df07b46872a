public import Hummingbird

/// A set of routes served beside the API on the same server (the console's pages): added to the
/// router after the API's, outside `/v1`, with the request context the API uses.
public protocol RouteModule: Sendable {
    func add(to router: Router<APIRequestContext>)
}
