public import HTTPTypes
import Hummingbird

/// The rights matrix: for every `/v1` route, the roles that may call it and over whose data. One
/// table, enforced in one place (``RouteRightsMiddleware`` answers 403 to any other role before the
/// route runs), listed by `GET /v1/me`, and written out in README. What a role may call is here;
/// *which* objects it reaches is the scope (``Principal/dealerVisibility``, ``UserAdministration``),
/// and an object outside it is answered 404, as if it did not exist.
public enum RouteRights {
    public struct Route: Sendable, Hashable {
        public var method: HTTPRequest.Method
        /// As the router writes it: `/v1/orders/{orderId}`.
        public var path: String
        public var roles: Set<Principal.Role>
        /// Over whose data, in a few words.
        public var scope: String
    }

    static let staff: Set<Principal.Role> = [.admin, .branchManager, .areaManager, .productLineManager, .salesRep]
    static let everyone = Set(Principal.Role.allCases)
    static let userAdministrators: Set<Principal.Role> = [.admin, .branchManager, .dealer]

    public static let routes: [Route] = [
        Route(method: .get, path: "/v1/me", roles: everyone, scope: "oneself"),
        Route(method: .delete, path: "/v1/session", roles: everyone, scope: "one's own session"),
        Route(method: .post, path: "/v1/me/password", roles: everyone, scope: "one's own password (signed-in users)"),
        Route(method: .get, path: "/v1/dealers", roles: staff.union([.dealer, .system]),
              scope: "staff the dealers in scope; a tier-1 dealer itself and its tier-2 dealers; a tier-2 itself; systems all"),
        Route(method: .get, path: "/v1/dealers/{dealerId}", roles: staff.union([.dealer, .system]), scope: "as the directory"),
        Route(method: .get, path: "/v1/catalogue", roles: staff.union([.dealer]), scope: "a dealer's permission groups; staff name a dealer in their scope"),
        Route(method: .get, path: "/v1/prices", roles: staff.union([.dealer]), scope: "as the catalogue"),
        Route(method: .get, path: "/v1/stock", roles: staff.union([.dealer]), scope: "as the catalogue: the groups' stock locations"),
        Route(method: .post, path: "/v1/orders", roles: staff.union([.dealer]), scope: "tier-1 dealers their own orders; staff for dealers in their scope"),
        Route(method: .get, path: "/v1/orders", roles: everyone, scope: "orders of the dealers in scope (carriers and systems: see below)"),
        Route(method: .get, path: "/v1/orders/{orderId}", roles: everyone, scope: "as the list"),
        Route(method: .get, path: "/v1/orders/{orderId}/tracking", roles: everyone, scope: "as the list"),
        Route(method: .post, path: "/v1/orders/{orderId}/cancel", roles: staff.union([.dealer]), scope: "the dealer's own orders; staff in scope"),
        Route(method: .post, path: "/v1/orders/{orderId}/receipt", roles: [.dealer], scope: "the dealer's own orders"),
        Route(method: .post, path: "/v1/orders/{orderId}/rating", roles: [.dealer], scope: "the dealer's own orders"),
        Route(method: .get, path: "/v1/order-updates", roles: everyone, scope: "updates of the orders in scope"),
        Route(method: .get, path: "/v1/tier2-orders", roles: everyone.subtracting([.carrier]), scope: "a tier-2 dealer its own; a tier-1 those to it; staff in scope"),
        Route(method: .get, path: "/v1/tier2-orders/{orderId}", roles: everyone, scope: "as the list"),
        Route(method: .post, path: "/v1/tier2-orders", roles: [.dealer], scope: "tier-2 dealers, to their own tier-1"),
        Route(method: .post, path: "/v1/tier2-orders/{orderId}/delivery-notes", roles: [.dealer], scope: "the tier-1 dealer the order is to"),
        Route(method: .post, path: "/v1/tier2-orders/{orderId}/accept", roles: [.dealer], scope: "the tier-1 dealer the order is to"),
        Route(method: .post, path: "/v1/tier2-orders/{orderId}/reject", roles: [.dealer], scope: "the tier-1 dealer the order is to"),
        Route(method: .post, path: "/v1/tier2-orders/{orderId}/cancel", roles: [.dealer], scope: "the tier-2 dealer that placed it"),
        Route(method: .post, path: "/v1/tier2-orders/{orderId}/delivery-notes/{deliveryNoteId}/receipt", roles: [.dealer], scope: "the tier-2 dealer it was delivered to"),
        Route(method: .get, path: "/v1/ledger", roles: staff.union([.dealer]), scope: "a dealer's own books; staff in scope"),
        Route(method: .post, path: "/v1/books/entries", roles: [.dealer], scope: "the dealer's own books"),
        Route(method: .get, path: "/v1/books/entries", roles: staff.union([.dealer]), scope: "a dealer's own books; staff in scope"),
        Route(method: .get, path: "/v1/books/entries/{entryId}", roles: staff.union([.dealer]), scope: "as the list"),
        Route(method: .get, path: "/v1/books/stock", roles: staff.union([.dealer]), scope: "a dealer's own books; staff in scope"),
        Route(method: .put, path: "/v1/books/settings", roles: [.dealer], scope: "the dealer's own books (its administrator)"),
        Route(method: .put, path: "/v1/books/prices", roles: [.dealer], scope: "the dealer's own selling prices (its administrator)"),
        Route(method: .get, path: "/v1/books/prices", roles: staff.union([.dealer]), scope: "a dealer's own prices; staff in scope"),
        Route(method: .post, path: "/v1/carrier/events", roles: [.carrier], scope: "the carrier's own shipments and vehicles"),
        Route(method: .post, path: "/v1/carrier/positions", roles: [.carrier], scope: "the carrier's own vehicles"),
        Route(method: .post, path: "/v1/vehicles/{vehicleId}/locate", roles: [.carrier], scope: "the carrier's own vehicles (another's: 404)"),
        Route(method: .post, path: "/v1/dealer-system/stock-snapshots", roles: [.dealer], scope: "the dealer's own stock"),
        Route(method: .post, path: "/v1/dealer-system/sell-through", roles: [.dealer], scope: "the dealer's own sell-through"),
        Route(method: .get, path: "/v1/sell-through", roles: staff.union([.dealer, .system]),
              scope: "a dealer its own and what its groups' flows add (its tier-2 dealers' or the group's, of the group's catalogue); staff in scope; systems all"),
        Route(method: .get, path: "/v1/users", roles: userAdministrators, scope: "admin all; a branch manager its branch's reps and dealer users; a dealer's administrator its dealer's users"),
        Route(method: .post, path: "/v1/users", roles: userAdministrators, scope: "as the list, granting only the roles it may"),
        Route(method: .get, path: "/v1/users/{userId}", roles: userAdministrators, scope: "as the list"),
        Route(method: .patch, path: "/v1/users/{userId}", roles: userAdministrators, scope: "as the list"),
        Route(method: .delete, path: "/v1/users/{userId}", roles: userAdministrators, scope: "as the list"),
        Route(method: .post, path: "/v1/users/{userId}/password-reset", roles: userAdministrators, scope: "as the list"),
        Route(method: .get, path: "/v1/permission-groups", roles: [.admin, .branchManager], scope: "admin all; a branch manager the groups of its branch's dealers"),
        Route(method: .get, path: "/v1/permission-groups/{groupId}", roles: [.admin, .branchManager], scope: "as the list"),
        Route(method: .put, path: "/v1/permission-groups/{groupId}", roles: [.admin, .branchManager], scope: "as the list; a branch manager's hold only its dealers"),
        Route(method: .get, path: "/v1/warehouses/{warehouseId}", roles: [.admin, .branchManager], scope: "admin all; a branch manager its branch's"),
        Route(method: .put, path: "/v1/warehouses/{warehouseId}", roles: [.admin, .branchManager], scope: "as reading"),
        Route(method: .patch, path: "/v1/dealers/{dealerId}", roles: staff, scope: "refused (409): the ERP owns the customer master"),
        Route(method: .get, path: "/v1/dealers/{dealerId}/groups", roles: [.admin, .branchManager], scope: "admin any dealer; a branch manager its branch's"),
        Route(method: .put, path: "/v1/dealers/{dealerId}/groups", roles: [.admin, .branchManager],
              scope: "as reading, in the groups the caller administers; the ERP's memberships stay"),
        Route(method: .get, path: "/v1/audit", roles: [.admin], scope: "every administrative change"),
        Route(method: .get, path: "/v1/contracts", roles: staff.union([.dealer, .system]), scope: "a dealer's contracts: staff in scope, the dealer itself"),
        Route(method: .get, path: "/v1/contracts/{contractId}", roles: staff.union([.dealer, .system]), scope: "as the list"),
        Route(method: .put, path: "/v1/contracts/{contractId}", roles: [.admin, .branchManager],
              scope: "admin any dealer's; a branch manager its branch's dealers' (audited)"),
        Route(method: .get, path: "/v1/announcements", roles: staff.union([.dealer]),
              scope: "a dealer those in force that reach it; admin all; staff of a branch the company's and their branch's; other staff the company's"),
        Route(method: .post, path: "/v1/announcements", roles: [.admin, .branchManager], scope: "admin for the company; a branch manager to its branch's dealers only"),
        Route(method: .post, path: "/v1/announcements/audience-preview", roles: [.admin, .branchManager], scope: "counts the dealers in the caller's scope"),
        Route(method: .get, path: "/v1/announcements/{announcementId}", roles: staff.union([.dealer]), scope: "as the list"),
        Route(method: .put, path: "/v1/announcements/{announcementId}", roles: [.admin, .branchManager], scope: "admin any; a branch manager its branch's"),
        Route(method: .post, path: "/v1/announcements/{announcementId}/withdraw", roles: [.admin, .branchManager], scope: "admin any; a branch manager its branch's"),
        Route(method: .post, path: "/v1/announcements/{announcementId}/read", roles: [.dealer], scope: "an announcement in force that reaches the dealer"),
        Route(method: .post, path: "/v1/announcements/{announcementId}/acknowledge", roles: [.dealer], scope: "as read, when it asks for acknowledgement"),
        Route(method: .get, path: "/v1/announcements/{announcementId}/readership", roles: staff, scope: "as the list; counts the dealers in the caller's scope"),
        Route(method: .get, path: "/v1/tickets", roles: staff.union([.dealer]),
              scope: "a dealer its own; staff the tickets of the dealers in their territory; a product-line manager its lines' product matters"),
        Route(method: .post, path: "/v1/tickets", roles: staff.union([.dealer]), scope: "a dealer for itself; staff for a dealer in their territory"),
        Route(method: .get, path: "/v1/tickets/figures", roles: staff, scope: "per branch, the tickets in the caller's scope"),
        Route(method: .get, path: "/v1/activities", roles: staff, scope: "a sales rep its own; managers everyone's with their dealers"),
        Route(method: .post, path: "/v1/activities", roles: staff, scope: "the caller's own, with a dealer in its scope"),
        Route(method: .get, path: "/v1/activities/workload", roles: staff, scope: "a sales rep its own; managers per person over their dealers"),
        Route(method: .get, path: "/v1/activities/performance", roles: staff, scope: "a sales rep its own dealers; managers a rep's dealers in their scope"),
        Route(method: .get, path: "/v1/activities/{activityId}", roles: staff, scope: "as the list"),
        Route(method: .get, path: "/v1/dealers/at-risk", roles: staff, scope: "the dealers in the caller's scope"),
        Route(method: .put, path: "/v1/activities/{activityId}", roles: staff, scope: "its owner only"),
        Route(method: .get, path: "/v1/risk/dealers", roles: staff, scope: "the dealers in the caller's scope the data flags or a review decided about"),
        Route(method: .get, path: "/v1/risk/dealers/{dealerId}", roles: staff.union([.dealer]),
              scope: "staff a dealer in scope (flags, evidence, reviews); a dealer its own standing only"),
        Route(method: .post, path: "/v1/risk/dealers/{dealerId}/reviews", roles: [.admin, .branchManager, .areaManager],
              scope: "a dealer in the caller's scope (audited)"),
        Route(method: .get, path: "/v1/tickets/{ticketId}", roles: staff.union([.dealer]), scope: "as the list; staff see a counterfeit report's match"),
        Route(method: .post, path: "/v1/tickets/{ticketId}/assign", roles: staff, scope: "a ticket in the caller's scope"),
        Route(method: .post, path: "/v1/tickets/{ticketId}/messages", roles: staff.union([.dealer]), scope: "a ticket in the caller's scope; staff may answer"),
        Route(method: .post, path: "/v1/tickets/{ticketId}/close", roles: staff.union([.dealer]), scope: "the dealer its own (rating the answer); staff an answered one"),
        Route(method: .post, path: "/v1/tickets/{ticketId}/reopen", roles: [.dealer], scope: "the dealer its own, within 14 days of closing"),
        Route(method: .get, path: "/v1/surveys", roles: staff.union([.dealer]),
              scope: "a dealer those open that reach it; staff as announcements (the company's and their branch's)"),
        Route(method: .post, path: "/v1/surveys", roles: [.admin, .branchManager], scope: "admin for the company; a branch manager to its branch's dealers only"),
        Route(method: .get, path: "/v1/surveys/{surveyId}", roles: staff.union([.dealer]), scope: "as the list"),
        Route(method: .post, path: "/v1/surveys/{surveyId}/responses", roles: [.dealer], scope: "an open survey that reaches the dealer, once per dealer (or user)"),
        Route(method: .get, path: "/v1/surveys/{surveyId}/response", roles: [.dealer], scope: "whether the caller's own response is kept"),
        Route(method: .post, path: "/v1/surveys/{surveyId}/close", roles: [.admin, .branchManager], scope: "admin any; a branch manager its branch's"),
        Route(method: .get, path: "/v1/surveys/{surveyId}/results", roles: staff, scope: "as the list; never who responded to an anonymous survey"),
        Route(method: .get, path: "/v1/analytics/dealers/{dealerId}", roles: staff.union([.dealer, .system]),
              scope: "as the directory: staff the dealers in scope; a dealer itself"),
        Route(method: .get, path: "/v1/analytics/branches/{branchId}", roles: [.admin, .branchManager, .system], scope: "admin all; a branch manager its branch"),
        Route(method: .get, path: "/v1/analytics/company", roles: [.admin, .system], scope: "the whole company"),
        Route(method: .get, path: "/v1/forecasts", roles: staff.union([.dealer, .system]),
              scope: "by product line: readers of the whole company; by province and by dealer: staff their territory, a dealer itself"),
        Route(method: .get, path: "/v1/scorecards/{kind}", roles: staff.union([.carrier, .system]),
              scope: "dealers, branches, sales reps as far as the dealers in scope reach; plants and carriers all staff; a carrier its own row"),
    ]

    private static let index: [String: Set<Principal.Role>] = Dictionary(uniqueKeysWithValues: routes.map { ("\($0.method.rawValue) \($0.path)", $0.roles) })

    /// The roles that may call `method path`; nil for a route the table does not list.
    public static func roles(_ method: HTTPRequest.Method, _ path: String) -> Set<Principal.Role>? {
        index["\(method.rawValue) \(path)"]
    }

    /// The routes `principal` may call.
    public static func routes(for principal: Principal) -> [Route] {
        routes.filter { $0.roles.contains(principal.role) }
    }
}

/// Answers 403 when the caller's role may not call the route (``RouteRights``). Runs after
/// authentication, before the route.
struct RouteRightsMiddleware<Context: AuthenticatedRequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let path = context.endpointPath, let roles = RouteRights.roles(request.method, path) {
            let principal = try context.caller()
            guard roles.contains(principal.role) else {
                throw APIProblem.forbidden("a \(principal.role.rawValue) may not \(request.method.rawValue) \(path) (roles that may: \(roles.map(\.rawValue).sorted().joined(separator: ", ")))")
            }
        }
        return try await next(request, context)
    }
}
