import Foundation
import HubContracts
public import HubDomain
public import HubStore
import Hummingbird

/// The sales force's activities with dealers (fixed route `/v1/activities`):
/// - `POST /v1/activities` — a visit, call, meeting, training, complaint follow-up or collection
///   with a dealer in the caller's scope: planned (`plannedFor`) or done (`doneAt`, within the last
///   30 days), with where (`place`: a phone's position), notes, outcome and a next step with its
///   due date. The caller's own.
/// - `PUT /v1/activities/{id}` — its owner changes it (`version`: the one it read; 409 when it moved
///   on): a plan carried out, an outcome added, a next step set or cleared (`null`).
/// - `GET /v1/activities` (`ownerId`, `dealerId`, `status`, `from`/`to` dates, `limit`) and
///   `GET /v1/activities/{id}` — a sales rep its own; managers everyone's with their dealers.
/// - `GET /v1/activities/workload?from=&to=&quietDays=30` — per person: planned, done of the plan,
///   done, dealers contacted, next steps overdue, its dealers not contacted for `quietDays`.
/// - `GET /v1/activities/performance?salesRepId=&from=&to=` — "why (no) performance": the rep's dealers'
///   contracted and taken volume, fulfilment and growth beside the activities done with each in the
///   same months (a rep its own; managers any rep's dealers in their scope; `salesRepId` required).
/// - `GET /v1/dealers/at-risk` — the dealers in the caller's scope at risk of being lost
///   (``DealerRisk``: gone quiet, orders falling) with the evidence and this month's follow-up.
/// Every version goes out on `hub.activities`; the route answers once the core has it (202 while not).
/// Dealers never see an activity (403): the notes are the company's.
public enum ActivityRoutes {
    static let limits = InputLimits(maxMessageBytes: 1 << 16, maxStringLength: 6_000, maxArrayCount: 10, maxObjectMembers: 32, maxDepth: 4)
    /// How far back a done activity may be logged.
    static let loggedWithinDays = 30

    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.get("activities") { request, context in try await list(request, context, services) }
        router.post("activities") { request, context in try await create(request, context, services) }
        router.get("activities/workload") { request, context in try await workload(request, context, services) }
        router.get("activities/performance") { request, context in try await performance(request, context, services) }
        router.get("dealers/at-risk") { _, context in
            let principal = try context.caller()
            _ = try scope(principal)
            return APIResponse.json(.ok, encoding: ["dealers": try await atRisk(principal, services)])
        }
        router.get("activities/:activityId") { _, context in
            let principal = try context.caller()
            let id = try MasterDataRoutes.pathId(context, "activityId")
            return APIResponse.json(.ok, encoding: try await visible(id, principal, services))
        }
        router.put("activities/:activityId") { request, context in try await change(request, context, services) }
    }

    static func performance(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let scope = try scope(principal)
        let asked = request.uri.queryParameters["salesRepId"].map(String.init)
        let salesRepId: String
        switch scope {
        case .own:
            guard let own = principal.salesRepId else { throw APIProblem.forbidden("an account without a sales rep id has no dealers of its own") }
            if let asked, asked != own { throw APIProblem.notFound("sales rep \(asked)") }
            salesRepId = own
        case .dealers:
            guard let asked, RequestFields.isIdentifier(asked) else {
                throw APIProblem.unprocessable("the query is not valid", issues: ["salesRepId: the sales rep whose dealers to show"])
            }
            salesRepId = asked
        }
        let period = try AnalyticsRoutes.period(request)
        let visibility = principal.dealerVisibility
        let table = try await services.database.read { reader throws(StoreError) in
            try PerformanceAnswers.table(salesRepId: salesRepId, period: period, visibleTo: visibility, in: reader)
        }
        return APIResponse.json(.ok, encoding: table)
    }

    static func scope(_ principal: Principal) throws(APIProblem) -> ActivityReadModel.Scope {
        guard let scope = ActivityAccess.scope(of: principal) else {
            throw APIProblem.forbidden("a \(principal.role.rawValue) has no activities: the sales force and its managers do")
        }
        return scope
    }

    static func visible(_ id: String, _ principal: Principal, _ services: APIServices) async throws -> ActivityRecord {
        let scope = try scope(principal)
        guard let record = try await services.database.read({ reader throws(StoreError) in try reader.activities.activity(id, in: scope) }) else {
            throw APIProblem.notFound("activity \(id)")
        }
        return record
    }

    /// What a body says of an activity's fields; each one absent keeps `base`'s (a new activity: none).
    static func read(_ fields: inout RequestFields, over base: ActivityRecorded?, now: Timestamp) -> ActivityRecorded? {
        let kind = fields.string("kind", required: base == nil, maxLength: 40).map(ActivityKind.init(rawValue:))
        if let kind, !ActivityKind.known.contains(kind) || kind == .followUp {
            fields.fail("kind", "visit, call, meeting, training, complaint-follow-up or collection")
        }
        let status = fields.string("status", required: base == nil, maxLength: 20).map(ActivityStatus.init(rawValue:))
        if let status, !ActivityStatus.known.contains(status) { fields.fail("status", "planned, done or cancelled") }
        let plannedFor = fields.timestamp("plannedFor")
        if let plannedFor, abs(plannedFor.date.timeIntervalSince(now.date)) > 400 * 86_400 { fields.fail("plannedFor", "within a year or so of today") }
        let doneAt = fields.timestamp("doneAt")
        if let doneAt, doneAt.date > now.date.addingTimeInterval(300) || doneAt.date < now.date.addingTimeInterval(-Double(loggedWithinDays) * 86_400) {
            fields.fail("doneAt", "not in the future, and within the last \(loggedWithinDays) days")
        }
        var place = base?.place
        if var nested = fields.object("place") {
            nested.allowOnly(["lat", "lon", "name"])
            let lat = nested.number("lat", required: true, range: -90...90)
            let lon = nested.number("lon", required: true, range: -180...180)
            let name = nested.string("name", maxLength: 200)
            fields.absorb(nested)
            if let lat, let lon { place = .init(lat: lat, lon: lon, name: name) }
        }
        var nextStep = base?.nextStep
        if fields.isNull("nextStep") { nextStep = nil }
        if var nested = fields.object("nextStep") {
            nested.allowOnly(["action", "due"])
            let action = nested.string("action", required: true, maxLength: 500)
            let due = nested.date("due", required: true)
            fields.absorb(nested)
            if let action, let due { nextStep = .init(action: action, due: due) }
        }
        let notes = fields.string("notes", maxLength: 5_000)
        let outcome = fields.string("outcome", maxLength: 2_000)
        let finalStatus = status ?? base?.status ?? .planned
        var activity = base ?? ActivityRecorded(activityId: "", version: 0, dealerId: "", ownerId: "", kind: kind ?? .visit, status: finalStatus, recordedBy: "")
        activity.kind = kind ?? activity.kind
        activity.status = finalStatus
        activity.plannedFor = plannedFor ?? activity.plannedFor
        // Done without a time: now.
        activity.doneAt = doneAt ?? activity.doneAt ?? (finalStatus == .done ? now : nil)
        activity.place = place
        activity.notes = notes ?? activity.notes
        activity.outcome = outcome ?? activity.outcome
        activity.nextStep = nextStep
        if finalStatus == .planned && activity.plannedFor == nil { fields.fail("plannedFor", "a planned activity says when (RFC 3339 UTC)") }
        if finalStatus != .done && doneAt != nil { fields.fail("doneAt", "only a done activity has one (status: done)") }
        if finalStatus != .done { activity.doneAt = nil }
        return fields.issues.isEmpty ? activity : nil
    }

    static func create(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        _ = try scope(principal)
        var fields = RequestFields(try await RequestFields.body(of: request, context: context, limits: limits))
        fields.allowOnly(["dealerId", "kind", "status", "plannedFor", "doneAt", "place", "notes", "outcome", "nextStep"])
        let dealerId = fields.identifier("dealerId", required: true)
        let now = services.now()
        let read = read(&fields, over: nil, now: now)
        try fields.check("activity")
        guard var activity = read, let dealerId else { throw APIProblem.unprocessable("the activity is not complete") }
        // Only with a dealer the caller answers for: another is not found, as everywhere.
        let visibility = principal.dealerVisibility
        guard try await services.database.read({ reader throws(StoreError) in try reader.dealers.isVisible(dealerId, to: visibility) }),
              try await services.database.read({ reader throws(StoreError) in try reader.dealers.dealer(dealerId) }) != nil else {
            throw APIProblem.notFound("dealer \(dealerId)")
        }
        activity.activityId = services.identifier("AC")
        activity.version = 1
        activity.dealerId = dealerId
        activity.ownerId = principal.subject
        activity.recordedBy = principal.subject
        return try await publish(activity, principal, services, status: .created)
    }

    static func change(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let id = try MasterDataRoutes.pathId(context, "activityId")
        let held = try await visible(id, principal, services)
        guard held.ownerId == principal.subject else { throw APIProblem.forbidden("only \(held.ownerId), whose activity it is, changes it") }
        var fields = RequestFields(try await RequestFields.body(of: request, context: context, limits: limits))
        fields.allowOnly(["version", "kind", "status", "plannedFor", "doneAt", "place", "notes", "outcome", "nextStep"])
        let version = fields.integer("version", required: true, range: 1...1_000_000)
        let read = read(&fields, over: held.recorded, now: services.now())
        try fields.check("activity")
        guard var activity = read, let version else { throw APIProblem.unprocessable("the activity is not complete") }
        guard version == held.version else {
            throw APIProblem.conflict("activity \(id) is at version \(held.version), not \(version): read it again, then change it")
        }
        activity.version = held.version + 1
        activity.recordedBy = principal.subject
        return try await publish(activity, principal, services, status: .ok)
    }

    /// Publishes the version on `hub.activities` and answers it once the core holds it (202 while it does not yet).
    static func publish(_ activity: ActivityRecorded, _ principal: Principal, _ services: APIServices, status: HTTPResponse.Status) async throws -> Response {
        try await MasterDataRoutes.publishAndWait(.activityRecorded(activity), subject: activity.activityId, kind: "activity",
                                                  topic: services.commands.topics.activities, catalogueTopic: TopicName.activities, services: services)
        let scope = try scope(principal)
        let stored = try await services.database.read { reader throws(StoreError) in try reader.activities.activity(activity.activityId, in: scope) }
        guard let stored, stored.version >= activity.version else {
            return APIResponse.json(.accepted, ["activityId": activity.activityId, "status": "pending"]).withLocation("/v1/activities/\(activity.activityId)")
        }
        return APIResponse.json(status, encoding: stored).withLocation("/v1/activities/\(activity.activityId)")
    }

    static func list(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let scope = try scope(principal)
        let values = query(request)
        var issues: [String] = []
        var filter = ActivityReadModel.Filter()
        filter.limit = Paging.limit(request.uri.queryParameters["limit"], issues: &issues)
        for (name, path) in [("ownerId", \ActivityReadModel.Filter.ownerId), ("dealerId", \.dealerId)] {
            guard let value = values[name] else { continue }
            if RequestFields.isIdentifier(value) { filter[keyPath: path] = value } else { issues.append("\(name): not an id") }
        }
        if let status = values["status"].map(ActivityStatus.init(rawValue:)) {
            if ActivityStatus.known.contains(status) { filter.status = status } else { issues.append("status: planned, done or cancelled") }
        }
        if values["from"] != nil || values["to"] != nil {
            let today = DayPeriod.today(services.now())
            let period = DayPeriod.parse(values, defaultFrom: today - 365, defaultTo: today + 365, issues: &issues)
            (filter.from, filter.to) = (period.start, period.end)
        }
        guard issues.isEmpty else { throw APIProblem.unprocessable("the query is not valid", issues: issues) }
        let activities = try await services.database.read { [filter] reader throws(StoreError) in try reader.activities.activities(in: scope, filter) }
        return APIResponse.json(.ok, encoding: ["activities": activities])
    }

    /// A dealer at risk, with why and the follow-up the hub raised for its rep this month (if it has one).
    public struct AtRiskDealer: Encodable, Sendable {
        public var dealerId: String
        public var name: String?
        public var reason: String
        public var evidence: String
        public var followUp: ActivityRecord?
    }

    /// The dealers `visibility` holds at risk in `month` (``DealerRisk``): from their orders per month and
    /// their dealer-scorecard scores over the last three whole months against the three before.
    public static func risks(at month: FigureMonth, visibleTo visibility: DealerVisibility, in reader: StoreReader) throws(StoreError) -> [String: DealerRisk] {
        let orders = try reader.analytics.dealerMonthlyOrders(months: month.adding(months: -6)...month, visibleTo: visibility)
        let weights = (try? ScorecardKind.dealers.weights(overriding: nil).get()) ?? [:]
        func scores(_ months: ClosedRange<FigureMonth>) throws(StoreError) -> [String: Decimal] {
            let table = try AnalyticsAnswers.scorecard(.dealers, period: AnalyticsPeriod(months: months), reach: .dealers(visibility), weights: weights,
                                                       sort: "id", descending: false, limit: .max, offset: 0, in: reader)
            return Dictionary(table.rows.compactMap { row in row.score.text.flatMap { Decimal(string: $0) }.map { (row.id, $0) } }, uniquingKeysWith: { first, _ in first })
        }
        let recent = try scores(month.adding(months: -3)...month.adding(months: -1))
        let before = try scores(month.adding(months: -6)...month.adding(months: -4))
        var risks: [String: DealerRisk] = [:]
        for dealer in Set(orders.keys).union(recent.keys) {
            let scored = recent[dealer].flatMap { now in before[dealer].map { (recent: now, before: $0) } }
            risks[dealer] = DealerRisk.assess(orders: orders[dealer] ?? [:], scores: scored, now: month)
        }
        return risks
    }

    /// The dealers in the principal's scope at risk now, gone quiet first, then by id.
    public static func atRisk(_ principal: Principal, _ services: APIServices) async throws -> [AtRiskDealer] {
        let visibility = principal.dealerVisibility
        let month = FigureMonth(services.now().date)
        return try await services.database.read { reader throws(StoreError) -> [AtRiskDealer] in
            let risks = try risks(at: month, visibleTo: visibility, in: reader)
            let ids = risks.keys.sorted()
            let names = try reader.analytics.names(.dealer, ids: ids)
            var dealers: [AtRiskDealer] = []
            for id in ids {
                guard let risk = risks[id] else { continue }
                let followUp = try reader.activities.activity(DealerRisk.followUpId(dealerId: id, month: month), in: .dealers(.everyone))
                dealers.append(AtRiskDealer(dealerId: id, name: names[id], reason: risk.code, evidence: risk.text, followUp: followUp))
            }
            return dealers.sorted { ($0.reason == "gone-quiet" ? 0 : 1, $0.dealerId) < ($1.reason == "gone-quiet" ? 0 : 1, $1.dealerId) }
        }
    }

    struct WorkloadAnswer: Encodable {
        var from: String
        var to: String
        var quietDays: Int
        var people: [ActivityWorkload]
        /// The people added up (a manager's team: its area or branch), and per branch (`ownerId` the branch, `-` for none known).
        var total: ActivityWorkload
        var byBranch: [ActivityWorkload]

        init(from: String, to: String, quietDays: Int, people: [ActivityWorkload]) {
            (self.from, self.to, self.quietDays, self.people) = (from, to, quietDays, people)
            total = .total(people, as: "total")
            byBranch = Dictionary(grouping: people) { $0.branchId ?? "-" }.map { ActivityWorkload.total($0.value, as: $0.key) }.sorted { $0.ownerId < $1.ownerId }
        }
    }

    static func workload(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let scope = try scope(principal)
        let values = query(request)
        let now = services.now()
        let today = DayPeriod.today(now)
        // By default this week, Monday to Sunday (China).
        let monday = today - ((today + 3) % 7)
        var issues: [String] = []
        let period = DayPeriod.parse(values, defaultFrom: monday, defaultTo: monday + 6, issues: &issues)
        var quietDays = 30
        if let text = values["quietDays"] {
            if let days = Int(text), (1...365).contains(days) { quietDays = days } else { issues.append("quietDays: 1 to 365") }
        }
        guard issues.isEmpty else { throw APIProblem.unprocessable("the query is not valid", issues: issues) }
        let quietSince = DayPeriod.midnight(today - quietDays + 1)
        guard let todayDate = CalendarDate(DayPeriod.text(today)) else { throw APIProblem.unavailable("the server's clock gives no date") }
        let people = try await services.database.read { [period, quietSince] reader throws(StoreError) in
            try reader.activities.workload(in: scope, from: period.start, to: period.end, today: todayDate, quietSince: quietSince)
        }
        return APIResponse.json(.ok, encoding: WorkloadAnswer(from: period.fromText, to: period.toText, quietDays: quietDays, people: people))
    }
}
