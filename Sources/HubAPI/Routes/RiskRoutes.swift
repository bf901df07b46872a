import Foundation
public import HubContracts
public import HubDomain
public import HubStore
import Hummingbird

/// Risky customers (issue 30), read and reviewed:
/// - `GET /v1/risk/dealers?status=flagged|reviewed|held|all` — the dealers in the caller's scope the
///   data flags or a review decided about (``CustomerRisk``): each flag with its evidence, where the
///   dealer stands. Staff only.
/// - `GET /v1/risk/dealers/{dealerId}` — one dealer: its flags, the evidence counted, its reviews.
///   The dealer itself reads its standing only (outcome and reason: why its orders are refused).
/// - `POST /v1/risk/dealers/{dealerId}/reviews` `{outcome, reason}` — branch staff (an administrator,
///   a branch or area manager, in scope) decide: `no-action`, `warning`, `credit-hold`, `blocked`, or
///   `released` to lift a hold or block. Goes out as `dealer.risk-reviewed` on `hub.dealers`; the core
///   keeps it, audits it, and refuses a held or blocked dealer's new orders with the reason.
public enum RiskRoutes {
    static let limits = InputLimits(maxMessageBytes: 1 << 14, maxStringLength: 1_000, maxArrayCount: 10, maxObjectMembers: 8, maxDepth: 2)
    /// Who may decide: branch staff in scope.
    public static let reviewers: Set<Principal.Role> = [.admin, .branchManager, .areaManager]

    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.get("risk/dealers") { request, context in
            let principal = try context.caller()
            guard principal.role.isStaff else { throw APIProblem.forbidden("the risk review is the company's staff's") }
            let wanted = request.uri.queryParameters["status"].map(String.init) ?? "attention"
            guard RiskAnswers.listings.contains(wanted) else {
                throw APIProblem.unprocessable("the risk list's query is not valid", issues: ["status: one of flagged, reviewed, held, all"])
            }
            let now = services.now()
            let today = try RiskAnswers.today(now)
            let rows = try await services.database.read { reader throws(StoreError) in
                try RiskAnswers.dealers(visibleTo: principal.dealerVisibility, now: now, today: today, in: reader)
            }
            return APIResponse.json(.ok, encoding: ["dealers": RiskAnswers.listed(rows, wanted)])
        }
        router.get("risk/dealers/:dealerId") { _, context in
            let principal = try context.caller()
            let dealerId = try MasterDataRoutes.pathId(context, "dealerId")
            if principal.role == .dealer {
                guard principal.dealerId == dealerId else { throw APIProblem.notFound("dealer \(dealerId)") }
                let standing = try await services.database.read { reader throws(StoreError) in try reader.risk.standings(visibleTo: .dealer(dealerId))[dealerId] }
                return APIResponse.json(.ok, encoding: RiskAnswers.OwnStanding(dealerId: dealerId, standing: standing))
            }
            guard principal.role.isStaff else { throw APIProblem.forbidden("the risk review is the company's staff's") }
            return APIResponse.json(.ok, encoding: try await detail(dealerId, principal, services))
        }
        router.post("risk/dealers/:dealerId/reviews") { request, context in
            let principal = try context.caller()
            let dealerId = try MasterDataRoutes.pathId(context, "dealerId")
            guard reviewers.contains(principal.role) else {
                throw APIProblem.forbidden("a risk review is decided by branch staff (an administrator, a branch or area manager)")
            }
            let held = try await detail(dealerId, principal, services)
            var fields = RequestFields(try await RequestFields.body(of: request, context: context, limits: limits))
            fields.allowOnly(["outcome", "reason"])
            let outcome = fields.string("outcome", required: true, maxLength: 20).map(RiskOutcome.init(rawValue:))
            let reason = fields.string("reason", required: true, maxLength: 500)?.trimmingCharacters(in: .whitespacesAndNewlines)
            if reason?.isEmpty == true { fields.fail("reason", "say why: the dealer is shown it when its orders are refused") }
            if let outcome, let refusal = CustomerRisk.refusal(of: outcome, after: held.standing.map { RiskOutcome(rawValue: $0.outcome) }) {
                fields.fail("outcome", String(refusal.dropFirst("outcome: ".count)))
            }
            try fields.check("review")
            guard let outcome, let reason else { throw APIProblem.unprocessable("the review is not complete") }
            let review = DealerRiskReviewed(reviewId: services.identifier("RR"), dealerId: dealerId, outcome: outcome, reason: reason,
                                            flags: held.flags.map(\.code), reviewedBy: principal.subject, reviewedAt: services.now())
            try await MasterDataRoutes.publishAndWait(.dealerRiskReviewed(review), subject: "\(dealerId):risk", kind: "dealer-risk", topic: services.commands.topics.dealers,
                                                      catalogueTopic: TopicName.dealers, services: services)
            let after = try await detail(dealerId, principal, services)
            guard after.standing?.reviewId == review.reviewId else {
                return APIResponse.json(.accepted, ["reviewId": review.reviewId, "status": "pending"]).withLocation("/v1/risk/dealers/\(dealerId)")
            }
            return APIResponse.json(.created, encoding: after).withLocation("/v1/risk/dealers/\(dealerId)")
        }
    }

    /// One dealer in the caller's scope, with its evidence and reviews; 404 outside it.
    static func detail(_ dealerId: String, _ principal: Principal, _ services: APIServices) async throws -> RiskAnswers.Detail {
        let visibility = principal.dealerVisibility
        let now = services.now()
        let today = try RiskAnswers.today(now)
        let detail = try await services.database.read { reader throws(StoreError) -> RiskAnswers.Detail? in
            guard try reader.dealers.isVisible(dealerId, to: visibility), try reader.dealers.dealer(dealerId) != nil else { return nil }
            return try RiskAnswers.detail(dealerId, now: now, today: today, in: reader)
        }
        guard let detail else { throw APIProblem.notFound("dealer \(dealerId)") }
        return detail
    }
}

/// The risk review's answers, for the API and the console alike.
public enum RiskAnswers {
    public struct Flag: Encodable, Sendable {
        public var code: String
        public var text: String
    }

    public struct Standing: Encodable, Sendable {
        public var reviewId: String
        public var outcome: String
        public var reason: String
        public var flags: [String]
        public var reviewedBy: String
        /// The reviewer's display name, when it has an account here.
        public var reviewerName: String?
        public var reviewedAt: String

        init(_ review: DealerRiskReviewed, names: [String: String]) {
            (reviewId, outcome, reason, flags, reviewedBy, reviewedAt) =
                (review.reviewId, review.outcome.rawValue, review.reason, review.flags, review.reviewedBy, review.reviewedAt.text)
            reviewerName = names[review.reviewedBy]
        }
    }

    public struct Row: Encodable, Sendable {
        public var dealerId: String
        public var name: String
        public var branchId: String
        public var province: String
        public var salesRepId: String?
        /// `clear`, `flagged` (not reviewed since the newest evidence) or `reviewed`.
        public var status: String
        public var flags: [Flag]
        public var standing: Standing?
        /// A credit hold or block stands: its new orders are refused.
        public var refusesOrders: Bool
    }

    public struct Detail: Encodable, Sendable {
        public struct Invoice: Encodable, Sendable {
            public var invoiceId: String
            public var open: String
            public var dueOn: String
        }

        public var dealerId: String
        public var status: String
        public var flags: [Flag]
        public var standing: Standing?
        public var refusesOrders: Bool
        public var crossRegionFlags: Int
        public var counterfeitFlags: Int
        public var ordersSubmitted: Int
        public var ordersCancelled: Int
        public var ordersRejected: Int
        public var overdueInvoices: [Invoice]
        public var reviews: [Standing]
    }

    /// What a dealer reads of itself: where it stands, and why.
    public struct OwnStanding: Encodable, Sendable {
        public var dealerId: String
        public var outcome: String?
        public var reason: String?
        public var since: String?
        public var refusesOrders: Bool

        public init(dealerId: String, standing: DealerRiskReviewed?) {
            self.dealerId = dealerId
            outcome = standing?.outcome.rawValue
            reason = standing?.reason
            since = standing?.reviewedAt.text
            refusesOrders = standing?.outcome.refusesOrders ?? false
        }
    }

    /// What a risk list shows: `attention` (everything not clear), `flagged`, `reviewed`, `held` (a hold or block stands), `all`.
    public static let listings = ["attention", "flagged", "reviewed", "held", "all"]

    /// The rows of `listing` (``listings``).
    public static func listed(_ rows: [Row], _ listing: String) -> [Row] {
        rows.filter { row in
            switch listing {
            case "flagged", "reviewed": return row.status == listing
            case "held": return row.refusesOrders
            case "all": return true
            default: return row.status != "clear"
            }
        }
    }

    /// The China date `now` falls on.
    public static func today(_ now: Timestamp) throws(APIProblem) -> CalendarDate {
        guard let day = CalendarDate(BookDay.date(of: BookDay.index(ofMilliseconds: now.milliseconds))) else {
            throw APIProblem.unavailable("the server's clock gives no date")
        }
        return day
    }

    /// Every dealer `visibility` holds that is flagged or was reviewed, flagged first, then by id.
    public static func dealers(visibleTo visibility: DealerVisibility, now: Timestamp, today: CalendarDate, in reader: StoreReader) throws(StoreError) -> [Row] {
        let evidence = try reader.risk.evidence(visibleTo: visibility, now: now, today: today)
        let standings = try reader.risk.standings(visibleTo: visibility)
        var rows: [Row] = []
        let ids = Set(evidence.keys).union(standings.keys).sorted()
        let dealers = try reader.risk.dealers(ids)
        let names = try reader.tickets.names(of: Set(standings.values.map(\.reviewedBy)))
        for id in ids {
            let flags = evidence[id].map { CustomerRisk.flags($0, today: today) } ?? []
            let standing = standings[id]
            let status = CustomerRisk.status(flags: flags, newestEvidence: evidence[id]?.newest, review: standing.map { ($0.outcome, $0.reviewedAt) })
            guard status != .clear || standing != nil, let dealer = dealers[id] else { continue }
            rows.append(Row(dealerId: id, name: dealer.name, branchId: dealer.branchId, province: dealer.province, salesRepId: dealer.salesRepId,
                            status: status.code, flags: flags.map { Flag(code: $0.code, text: $0.text) }, standing: standing.map { Standing($0, names: names) },
                            refusesOrders: standing?.outcome.refusesOrders ?? false))
        }
        return rows.sorted { ($0.status == "flagged" ? 0 : 1, $0.dealerId) < ($1.status == "flagged" ? 0 : 1, $1.dealerId) }
    }

    /// One dealer's flags, evidence and reviews (the caller checked it may see the dealer).
    public static func detail(_ dealerId: String, now: Timestamp, today: CalendarDate, in reader: StoreReader) throws(StoreError) -> Detail {
        let evidence = try reader.risk.evidence(visibleTo: .dealer(dealerId), now: now, today: today)[dealerId] ?? CustomerRisk.Evidence()
        let standing = try reader.risk.standings(visibleTo: .dealer(dealerId))[dealerId]
        let flags = CustomerRisk.flags(evidence, today: today)
        let status = CustomerRisk.status(flags: flags, newestEvidence: evidence.newest, review: standing.map { ($0.outcome, $0.reviewedAt) })
        let reviews = try reader.risk.reviews(of: dealerId)
        let names = try reader.tickets.names(of: Set(reviews.map(\.reviewedBy)))
        return Detail(dealerId: dealerId, status: status.code, flags: flags.map { Flag(code: $0.code, text: $0.text) }, standing: standing.map { Standing($0, names: names) },
                      refusesOrders: standing?.outcome.refusesOrders ?? false, crossRegionFlags: evidence.crossRegionFlags,
                      counterfeitFlags: evidence.counterfeitFlags, ordersSubmitted: evidence.ordersSubmitted, ordersCancelled: evidence.ordersCancelled,
                      ordersRejected: evidence.ordersRejected,
                      overdueInvoices: evidence.overdueInvoices.map { Detail.Invoice(invoiceId: $0.invoiceId, open: "\(DecimalNumber($0.open))", dueOn: $0.dueOn.text) },
                      reviews: reviews.map { Standing($0, names: names) })
    }
}
