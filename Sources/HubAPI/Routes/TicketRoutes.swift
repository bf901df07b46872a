import Foundation
import HubContracts
import HubDomain
import HubStore
import Hummingbird

/// Dealers' tickets (R6): suggestions, complaints, product-demand requests and counterfeit reports,
/// received, assigned, answered in a thread, closed with the dealer's rating, reopened.
/// - `POST /v1/tickets` — a dealer's user for its dealer; staff for a dealer in their territory
///   (a ticket taken by phone). At most `TicketAccess.perDealerPerHour` per dealer an hour (429).
/// - `GET /v1/tickets` — the caller's queue (`TicketAccess.scope`): `status` (comma-separated),
///   `kind`, `overdue=true`, `dealerId`, `cursor`, `limit`; with the counts by status and overdue.
/// - `GET /v1/tickets/{id}` — one ticket with its thread; for staff, a counterfeit report's match
///   against the anti-counterfeit system (`authenticity`). Outside the caller's scope: 404.
/// - `POST …/{id}/assign` (staff; `assignee`, default the caller), `…/messages` (`body`; staff may
///   set `answers`), `…/close` (the dealer, with `rating` 1–5 once answered; staff an answered one),
///   `…/reopen` (the dealer, `reason`, within 14 days of closing). A move the lifecycle refuses is 409
///   with its reason.
/// - `GET /v1/tickets/figures` — staff: per branch, the tickets opened in `from`–`to` (dates, China
///   time; default this month): answered, mean first-response hours, overdue now, ratings.
/// Every change goes out on `hub.tickets`; the route answers once the core has it (202 while not).
enum TicketRoutes {
    /// A ticket's text and a message may be 5,000 characters (a little more gets through to be named, not cut off).
    static let limits = InputLimits(maxMessageBytes: 1 << 20, maxStringLength: 6_000, maxArrayCount: 100, maxObjectMembers: 64, maxDepth: 8)

    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.get("tickets") { request, context in try await list(request, context, services) }
        router.post("tickets") { request, context in try await open(request, context, services) }
        router.get("tickets/figures") { request, context in try await figures(request, context, services) }
        router.get("tickets/:ticketId") { _, context in
            let principal = try context.caller()
            let id = try MasterDataRoutes.pathId(context, "ticketId")
            return APIResponse.json(.ok, encoding: TicketJSON(try await visible(id, principal, services), at: services.now()))
        }
        router.post("tickets/:ticketId/assign") { request, context in try await assign(request, context, services) }
        router.post("tickets/:ticketId/messages") { request, context in try await write(request, context, services) }
        router.post("tickets/:ticketId/close") { request, context in try await close(request, context, services) }
        router.post("tickets/:ticketId/reopen") { request, context in try await reopen(request, context, services) }
    }

    static func visible(_ id: String, _ principal: Principal, _ services: APIServices) async throws -> TicketAccess.TicketView {
        guard TicketAccess.scope(of: principal) != nil else { throw APIProblem.forbidden("a \(principal.role.rawValue) has no tickets: dealers and staff do") }
        let view = try await services.database.read { reader throws(StoreError) in try TicketAccess.ticket(id, for: principal, reader) }
        guard let view else { throw APIProblem.notFound("ticket \(id)") }
        return view
    }

    // MARK: - Opening

    static func open(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        guard principal.role == .dealer || principal.role.isStaff else { throw APIProblem.forbidden("dealers and staff open tickets") }
        var fields = RequestFields(try await RequestFields.body(of: request, context: context, limits: limits))
        fields.allowOnly(["dealerId", "kind", "subject", "body", "productLine", "materialId", "orderId", "counterfeit"])
        let asked = fields.string("dealerId", maxLength: 64)
        let kind = fields.string("kind", required: true, maxLength: 40).map(TicketKind.init(rawValue:))
        if let kind, !TicketKind.known.contains(kind) { fields.fail("kind", "suggestion, complaint, product-demand or counterfeit-report") }
        let subject = fields.string("subject", required: true, maxLength: 200)
        let body = fields.string("body", required: true, maxLength: 5_000)
        let productLine = fields.string("productLine", maxLength: 40).map(ProductLine.init(rawValue:))
        if let productLine, !ProductLine.known.contains(productLine) { fields.fail("productLine", ProductLine.known.map(\.rawValue).joined(separator: ", ")) }
        let materialId = fields.string("materialId", maxLength: 64)
        if let materialId, !RequestFields.isIdentifier(materialId) { fields.fail("materialId", "not a material id") }
        let orderId = fields.string("orderId", maxLength: 64)
        if let orderId, !RequestFields.isIdentifier(orderId) { fields.fail("orderId", "not an order id") }
        var counterfeit: CounterfeitReport?
        if var report = fields.object("counterfeit") {
            report.allowOnly(["code", "boughtAt", "boughtOn", "photoReference"])
            let code = report.string("code", required: true, maxLength: 64)
            if let code, code.count < 6 || !code.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") }) {
                report.fail("code", "the code printed on the package: 6 to 64 letters, digits or -")
            }
            var boughtAt: Region?
            if var place = report.object("boughtAt") {
                place.allowOnly(["province", "city", "address"])
                let province = place.string("province", required: true, maxLength: 40)
                boughtAt = province.map { Region(province: $0, city: place.string("city", maxLength: 40), address: place.string("address", maxLength: 200)) }
                report.absorb(place)
            }
            let boughtOn = report.date("boughtOn")
            let photo = report.string("photoReference", maxLength: 500)
            fields.absorb(report)
            counterfeit = code.map { CounterfeitReport(code: $0, boughtAt: boughtAt, boughtOn: boughtOn, photoReference: photo) }
        }
        if kind == .counterfeitReport, counterfeit == nil { fields.fail("counterfeit", "a counterfeit report gives the code on the package (counterfeit.code)") }
        if kind != nil, kind != .counterfeitReport, counterfeit != nil { fields.fail("counterfeit", "only a counterfeit report carries a code") }
        try fields.check("ticket")
        guard let kind, let subject, let body else { throw APIProblem.unprocessable("the ticket is not complete") }

        let dealerId = try await subjectDealer(principal, asked: asked, services)
        let since = Timestamp(services.now().date.addingTimeInterval(-3_600))
        let (opened, unknownMaterial, orderDealer) = try await services.database.read { reader throws(StoreError) in
            (try reader.tickets.opened(byDealer: dealerId, since: since),
             try materialId.map { material throws(StoreError) in try reader.announcements.unknownMaterials([material]).isEmpty == false } ?? false,
             try orderId.flatMap { order throws(StoreError) in try reader.orderViews.view(order, at: services.now())?.dealerId })
        }
        if opened >= TicketAccess.perDealerPerHour {
            throw APIProblem.tooManyRequests("dealer \(dealerId) opened \(opened) tickets in the last hour (at most \(TicketAccess.perDealerPerHour)): add to an open ticket's thread, or try again later",
                                             retryAfter: 600)
        }
        var issues: [String] = []
        if unknownMaterial, let materialId { issues.append("materialId: \(materialId) is not known") }
        if let orderId, orderDealer != dealerId { issues.append("orderId: \(orderId) is not an order of dealer \(dealerId)") }
        guard issues.isEmpty else { throw APIProblem.unprocessable("the ticket names what the hub does not know", issues: issues) }

        let id = services.identifier("TK")
        let ticket = TicketOpened(ticketId: id, dealerId: dealerId, kind: kind, subject: subject, body: body, productLine: productLine, materialId: materialId,
                                  orderId: orderId, counterfeit: counterfeit, openedBy: principal.subject)
        return try await publish(.ticketOpened(ticket), id: id, principal, services, status: .created)
    }

    /// The dealer a ticket is for: a dealer user's own (another is refused); staff name one in their territory.
    static func subjectDealer(_ principal: Principal, asked: String?, _ services: APIServices) async throws -> String {
        if principal.role == .dealer {
            let own = principal.dealerId ?? ""
            if let asked, asked != own { throw APIProblem.unprocessable("a dealer's user opens tickets for its own dealer \(own); leave dealerId out") }
            return own
        }
        guard let asked else { throw APIProblem.unprocessable("staff name the dealer the ticket is for", issues: ["dealerId: required for staff"]) }
        let visibility = principal.dealerVisibility
        guard RequestFields.isIdentifier(asked),
              try await services.database.read({ reader throws(StoreError) in try reader.dealers.isVisible(asked, to: visibility) }) else {
            throw APIProblem.notFound("dealer \(asked)")
        }
        return asked
    }

    // MARK: - Moves

    static func assign(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        guard principal.role.isStaff else { throw APIProblem.forbidden("staff assign tickets") }
        let id = try MasterDataRoutes.pathId(context, "ticketId")
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(["assignee"])
        let assignee = fields.string("assignee", maxLength: 64) ?? principal.subject
        if !RequestFields.isIdentifier(assignee) { fields.fail("assignee", "a user id") }
        try fields.check("assignment")
        let view = try await visible(id, principal, services)
        try check(.assign, view, services)
        return try await publish(.ticketAssigned(TicketAssigned(ticketId: id, assignee: assignee, assignedBy: principal.subject)), id: id, principal, services)
    }

    static func write(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let id = try MasterDataRoutes.pathId(context, "ticketId")
        var fields = RequestFields(try await RequestFields.body(of: request, context: context, limits: limits))
        fields.allowOnly(["body", "answers"])
        let body = fields.string("body", required: true, maxLength: 5_000)
        let answers = fields.boolean("answers") ?? false
        if answers, !principal.role.isStaff { fields.fail("answers", "only staff answer a ticket") }
        try fields.check("message")
        guard let body else { throw APIProblem.unprocessable("the message is not complete") }
        let view = try await visible(id, principal, services)
        let party: TicketParty = principal.role == .dealer ? .dealer : .staff
        try check(.write(party, answers: answers), view, services)
        let reply = TicketReplied(ticketId: id, messageId: services.identifier("TM"), by: principal.subject, party: party, body: body, answers: answers)
        return try await publish(.ticketReplied(reply), id: id, principal, services)
    }

    static func close(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let id = try MasterDataRoutes.pathId(context, "ticketId")
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(["rating", "comment"])
        let rating = fields.integer("rating", range: 1...5)
        let comment = fields.string("comment", maxLength: 2_000)
        if rating != nil, principal.role != .dealer { fields.fail("rating", "only the dealer rates the answer") }
        try fields.check("closing")
        let view = try await visible(id, principal, services)
        let party: TicketParty = principal.role == .dealer ? .dealer : .staff
        try check(.close(party, rating: rating), view, services)
        return try await publish(.ticketClosed(TicketClosed(ticketId: id, by: principal.subject, party: party, rating: rating, comment: comment)), id: id, principal, services)
    }

    static func reopen(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        guard principal.role == .dealer else { throw APIProblem.forbidden("the dealer reopens its ticket") }
        let id = try MasterDataRoutes.pathId(context, "ticketId")
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(["reason"])
        let reason = fields.string("reason", required: true, maxLength: 2_000)
        try fields.check("reopening")
        guard let reason else { throw APIProblem.unprocessable("say why the ticket is reopened", issues: ["reason: required"]) }
        let view = try await visible(id, principal, services)
        try check(.reopen, view, services)
        return try await publish(.ticketReopened(TicketReopened(ticketId: id, by: principal.subject, reason: reason)), id: id, principal, services)
    }

    /// 409 with the lifecycle's reason when the move cannot be made.
    static func check(_ move: TicketLifecycle.Move, _ view: TicketAccess.TicketView, _ services: APIServices) throws(APIProblem) {
        if case .refuse(let reason) = TicketLifecycle.verdict(for: move, view.state, at: services.now()) {
            throw APIProblem.conflict("ticket \(view.summary.ticketId): \(reason)")
        }
    }

    /// Publishes the ticket's event on `hub.tickets` and answers with the ticket once the core has
    /// it (202 while it has not yet).
    static func publish(_ data: EventData, id: String, _ principal: Principal, _ services: APIServices, status: HTTPResponse.Status = .ok) async throws -> Response {
        let before = try await services.database.read { reader throws(StoreError) in try reader.tickets.ticket(id, in: .dealers(.everyone))?.summary.updatedAt }
        try await MasterDataRoutes.publishAndWait(data, subject: id, kind: "ticket", topic: services.commands.topics.tickets, catalogueTopic: TopicName.tickets,
                                                  services: services)
        let view = try await services.database.read { reader throws(StoreError) in try TicketAccess.ticket(id, for: principal, reader) }
        // Applied when the ticket is there (opening) or changed since (a move): the core's audit row can come from a concurrent move too.
        guard let view, before == nil || view.summary.updatedAt != before else {
            return APIResponse.json(.accepted, ["ticketId": id, "status": "pending"])
        }
        return APIResponse.json(status, encoding: TicketJSON(view, at: services.now()))
    }

    // MARK: - Listing

    static func list(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        guard let scope = TicketAccess.scope(of: principal) else { throw APIProblem.forbidden("a \(principal.role.rawValue) has no tickets: dealers and staff do") }
        let query = request.uri.queryParameters
        var issues: [String] = []
        let limit = Paging.limit(query["limit"], issues: &issues)
        var filter = TicketReadModel.Filter()
        if let statuses = query["status"].map(String.init) {
            filter.statuses = statuses.split(separator: ",").map { TicketStatus(rawValue: String($0)) }
            if filter.statuses.contains(where: { !TicketStatus.known.contains($0) }) { issues.append("status: \(TicketStatus.known.map(\.rawValue).joined(separator: ", "))") }
        }
        if let kind = query["kind"].map({ TicketKind(rawValue: String($0)) }) {
            filter.kind = kind
            if !TicketKind.known.contains(kind) { issues.append("kind: \(TicketKind.known.map(\.rawValue).joined(separator: ", "))") }
        }
        if let dealer = query["dealerId"].map(String.init) {
            if RequestFields.isIdentifier(dealer) { filter.dealerId = dealer } else { issues.append("dealerId: not a dealer id") }
        }
        let now = services.now()
        switch query["overdue"].map(String.init) {
        case .some("true"): filter.overdueAt = now
        case .none, .some("false"): break
        default: issues.append("overdue: true or false")
        }
        let after = query["cursor"].map(String.init)
        if let after, !RequestFields.isIdentifier(after) { issues.append("cursor: not a cursor this API gave") }
        guard issues.isEmpty else { throw APIProblem.unprocessable("the tickets' query is not valid", issues: issues) }
        let asked = filter
        let (rows, counts) = try await services.database.read { reader throws(StoreError) in
            (try reader.tickets.list(scope, asked, after: after, limit: limit + 1), try reader.tickets.counts(scope, at: now))
        }
        let page = Array(rows.prefix(limit))
        return APIResponse.json(.ok, encoding: Listing(
            tickets: page.map { TicketJSON(summary: $0, at: now) },
            counts: Dictionary(uniqueKeysWithValues: TicketStatus.known.map { ($0.rawValue, counts.byStatus[$0] ?? 0) }), overdue: counts.overdue,
            nextCursor: rows.count > limit ? page.last?.ticketId : nil))
    }

    struct Listing: Encodable {
        var tickets: [TicketJSON]
        /// Every ticket in the caller's scope by status, and how many are overdue (not this page's only).
        var counts: [String: Int]
        var overdue: Int
        var nextCursor: String?
    }

    static func figures(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        guard principal.role.isStaff, let scope = TicketAccess.scope(of: principal) else { throw APIProblem.forbidden("staff read the tickets' figures") }
        let now = services.now()
        // A period is whole local days; by default this month to today.
        let today = DayPeriod.today(now)
        let civil = CivilCalendar.date(days: Int64(today))
        var issues: [String] = []
        let period = DayPeriod.parse(query(request), defaultFrom: CivilCalendar.days(year: Int(civil.year), month: Int(civil.month), day: 1), defaultTo: today,
                                     issues: &issues)
        guard issues.isEmpty else { throw APIProblem.unprocessable("the figures' query is not valid", issues: issues) }
        let (start, end) = (period.start, period.end)
        let rows = try await services.database.read { reader throws(StoreError) in try reader.tickets.figures(scope, from: start, to: end, at: now) }
        return APIResponse.json(.ok, encoding: FiguresJSON(from: period.fromText, to: period.toText, branches: rows.map(FiguresJSON.Branch.init)))
    }

    struct FiguresJSON: Encodable {
        struct Branch: Encodable {
            var branchId: String, opened: Int, answered: Int, meanFirstResponseHours: Double?, overdue: Int, rated: Int, meanRating: Double?, counterfeitReports: Int
            init(_ figures: TicketReadModel.BranchFigures) {
                (branchId, opened, answered, overdue) = (figures.branchId, figures.opened, figures.answered, figures.overdue)
                meanFirstResponseHours = figures.meanFirstResponseHours.map { ($0 * 10).rounded() / 10 }
                (rated, counterfeitReports) = (figures.rated, figures.counterfeitReports)
                meanRating = figures.meanRating.map { ($0 * 100).rounded() / 100 }
            }
        }
        var from: String, to: String
        var branches: [Branch]
    }

    // MARK: - The answer

    struct TicketJSON: Encodable {
        struct MessageJSON: Encodable { var messageId: String, at: String, author: String, party: String, body: String, answers: Bool }
        struct AuthenticityJSON: Encodable {
            var match: String, soldToDealerId: String?
            var scans: [AuthenticityScanned], flags: [AuthenticityFlagged]
        }
        var ticketId: String, dealerId: String, dealerName: String?, branchId: String?, productLine: String?
        var kind: String, status: String, subject: String, body: String?
        var materialId: String?, orderId: String?, counterfeit: CounterfeitReport?
        var openedAt: String, openedBy: String, assignee: String?
        var waitingSince: String?, dueBy: String?, overdue: Bool
        var firstAnsweredAt: String?, closedAt: String?, rating: Int?, ratingComment: String?, reopened: Int, updatedAt: String
        var messages: [MessageJSON]?
        var authenticity: AuthenticityJSON?

        init(summary t: TicketReadModel.Summary, at now: Timestamp) {
            (ticketId, dealerId, dealerName, branchId, productLine) = (t.ticketId, t.dealerId, t.dealerName, t.branchId, t.productLine?.rawValue)
            (kind, status, subject, body) = (t.kind.rawValue, t.status.rawValue, t.subject, nil)
            (openedAt, openedBy, assignee, waitingSince) = (t.openedAt.text, t.openedBy, t.assignee, t.waitingSince?.text)
            dueBy = t.waitingSince.map { Timestamp($0.date.addingTimeInterval(TicketLifecycle.responseTarget(t.kind))).text }
            overdue = TicketLifecycle.isOverdue(t.kind, waitingSince: t.waitingSince, at: now)
            (firstAnsweredAt, closedAt, rating, ratingComment) = (t.firstAnsweredAt?.text, t.closedAt?.text, t.rating, t.ratingComment)
            (reopened, updatedAt) = (t.reopened, t.updatedAt.text)
        }

        init(_ view: TicketAccess.TicketView, at now: Timestamp) {
            self.init(summary: view.summary, at: now)
            body = view.opened.body
            (materialId, orderId, counterfeit) = (view.opened.materialId, view.opened.orderId, view.opened.counterfeit)
            messages = view.messages.map { MessageJSON(messageId: $0.messageId, at: $0.at.text, author: $0.author, party: $0.party.rawValue, body: $0.body, answers: $0.answers) }
            if let match = view.match {
                var soldTo: String?
                if case .crossRegion(let dealer) = match { soldTo = dealer }
                authenticity = AuthenticityJSON(match: match.code, soldToDealerId: soldTo, scans: view.scans, flags: view.flags)
            }
        }
    }
}
