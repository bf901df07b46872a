import Foundation
import HubContracts
import HubDomain
import HubStore
import Hummingbird

/// `/v1/orders`: submit (spot and made-to-order lines, idempotent under `Idempotency-Key`), list,
/// get, cancel, confirm receipt, rate, and track. Commands go to `hub.orders.commands`; the core
/// decides; the answer carries its decision when it comes within the configured wait.
enum OrderRoutes {
    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        // A submission and the follow-up commands read several times and wait for the core's
        // decision: on one read connection's queue, each read starts without crossing threads.
        router.post("orders") { request, context in try await services.database.pinned { try await submit(request, context, services) } }
        router.get("orders") { request, context in try await list(request, context, services) }
        router.get("orders/:orderId") { _, context in
            let principal = try context.caller()
            let orderId = try orderParameter(context)
            let visibility = principal.dealerVisibility
            guard let view = try await services.database.read({ reader throws(StoreError) in try reader.orders.view(orderId, visibleTo: visibility) }) else {
                throw APIProblem.notFound("order \(orderId)")
            }
            return APIResponse.json(.ok, encoding: view)
        }
        router.get("orders/:orderId/tracking") { _, context in
            let principal = try context.caller()
            let orderId = try orderParameter(context)
            let visibility = principal.dealerVisibility
            guard let tracking = try await services.database.read({ reader throws(StoreError) in try reader.orders.tracking(orderId, visibleTo: visibility) }) else {
                throw APIProblem.notFound("order \(orderId)")
            }
            return APIResponse.json(.ok, encoding: tracking)
        }
        router.post("orders/:orderId/cancel") { request, context in
            try await follow(request, context, services, move: .cancel, staffMay: true) { fields, principal, orderId in
                guard let reason = fields.string("reason", required: true, maxLength: 200) else { return nil }
                return .orderCancel(OrderCancellation(orderId: orderId, reason: reason, requestedBy: principal.subject))
            }
        }
        router.post("orders/:orderId/receipt") { request, context in
            try await follow(request, context, services, move: .receive, staffMay: false) { fields, principal, orderId in
                // The server's time, or the stated one within minutes of it: receipts are not back-dated.
                let receivedAt = ClientTime.recorded(fields.timestamp("receivedAt"), now: services.now())
                return .orderConfirmReceipt(OrderReceipt(orderId: orderId, receivedAt: receivedAt, receivedBy: principal.subject))
            }
        }
        router.post("orders/:orderId/rating") { request, context in
            try await follow(request, context, services, move: .rate, staffMay: false) { fields, principal, orderId in
                let product = fields.integer("productQuality", required: true, range: 1...5)
                let dispatch = fields.integer("dispatchSpeed", required: true, range: 1...5)
                let service = fields.integer("serviceQuality", required: true, range: 1...5)
                let comment = fields.string("comment", maxLength: 2000)
                guard let product, let dispatch, let service else { return nil }
                return .orderRate(OrderRating(orderId: orderId, ratedBy: principal.subject, productQuality: product, dispatchSpeed: dispatch,
                                              serviceQuality: service, comment: comment))
            }
        }
    }

    static func orderParameter(_ context: APIRequestContext) throws(APIProblem) -> String {
        guard let orderId = context.parameters.get("orderId"), RequestFields.isIdentifier(orderId) else {
            throw APIProblem.notFound("that order")
        }
        return orderId
    }

    // MARK: - Submit

    static func submit(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let received = ContinuousClock.now
        let principal = try context.caller()
        guard principal.role == .dealer || principal.role.isStaff else {
            throw APIProblem.forbidden("a \(principal.role.rawValue) cannot submit orders; dealers and staff can")
        }
        if principal.role == .dealer, let own = principal.dealerId,
           try await services.database.read({ reader throws(StoreError) in try reader.dealers.dealer(own)?.tier }) == .tier2 {
            throw APIProblem.forbidden("dealer \(own) is a tier-2 dealer: it orders from its tier-1 dealer with POST /v1/tier2-orders")
        }
        let idempotencyKey = try IdempotencyKey.of(request)
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(["dealerId", "lines", "requestedDeliveryDate", "deliveryAddress", "note"])
        let requestedDealer = fields.identifier("dealerId", required: principal.role.isStaff)
        var lines: [OrderLine] = []
        var lineNumbers = Set<Int>()
        for (index, var line) in fields.objects("lines", required: true, count: 1...200).enumerated() {
            line.allowOnly(["lineNo", "materialId", "quantity", "kind", "requestedDate"])
            let lineNo = line.integer("lineNo", range: 1...999) ?? index + 1
            if !lineNumbers.insert(lineNo).inserted { line.fail("lineNo", "\(lineNo) is used by another line") }
            let material = line.identifier("materialId", required: true)
            let quantity = line.decimal("quantity", required: true, positive: true)
            let kindText = line.string("kind", maxLength: 20) ?? LineKind.spot.rawValue
            let kind = LineKind(rawValue: kindText)
            if kind != .spot && kind != .madeToOrder { line.fail("kind", "must be spot or made-to-order (got \(kindText))") }
            let requestedDate = line.date("requestedDate")
            fields.absorb(line)
            if let material, let quantity {
                lines.append(OrderLine(lineNo: lineNo, materialId: material, quantity: quantity, kind: kind, requestedDate: requestedDate))
            }
        }
        let deliveryDate = fields.date("requestedDeliveryDate")
        var address: Region?
        if var region = fields.object("deliveryAddress") {
            region.allowOnly(["province", "city", "address"])
            let province = region.string("province", required: true, maxLength: 40)
            let city = region.string("city", maxLength: 40)
            let street = region.string("address", maxLength: 200)
            fields.absorb(region)
            address = province.map { Region(province: $0, city: city, address: street) }
        }
        let note = fields.string("note", maxLength: 2000)
        try fields.check("order")

        let dealerId: String
        if principal.role == .dealer {
            dealerId = principal.dealerId ?? ""
            if let requestedDealer, requestedDealer != dealerId {
                throw APIProblem.unprocessable("a dealer user orders for its own dealer \(dealerId); leave dealerId out")
            }
        } else {
            dealerId = requestedDealer ?? ""
        }
        let materials = Set(lines.map(\.materialId))
        let visibility = principal.dealerVisibility
        let (dealer, visible, grants) = try await services.database.read { reader throws(StoreError) in
            (try reader.dealers.dealer(dealerId), try reader.dealers.isVisible(dealerId, to: visibility),
             try reader.orderDecisions.context(dealerId: dealerId, materialIds: materials, pricedAt: services.now()))
        }
        guard visible, let dealer else {
            if principal.role == .dealer { throw APIProblem.unprocessable("dealer \(dealerId) is not known to the hub yet (its customer master has not arrived)") }
            throw APIProblem.notFound("dealer \(dealerId)")
        }
        guard dealer.tier.ordersFromCompany(hasParent: dealer.parentDealerId != nil) else {
            throw APIProblem.forbidden("dealer \(dealerId) (\(dealer.tier.rawValue)) orders from its tier-1 dealer \(dealer.parentDealerId ?? "") with POST /v1/tier2-orders")
        }
        let outside = lines.enumerated().filter { !grants.grantedMaterials.contains($0.element.materialId) }
        if !outside.isEmpty {
            throw APIProblem.unprocessable("some materials are not in the catalogue of dealer \(dealerId)",
                                           issues: outside.map { "lines[\($0.offset)].materialId: \($0.element.materialId) is not in your catalogue" })
        }

        let orderId = services.identifier("O", seed: idempotencyKey.map { "order|\(principal.subject)|\(dealerId)|\($0.text)" })
        var submission = OrderSubmission(orderId: orderId, dealerId: dealerId, lines: lines, requestedDeliveryDate: deliveryDate, deliveryAddress: address,
                                         note: note, submittedBy: principal.subject, channel: principal.role.isStaff ? .staff : .api)
        if let idempotencyKey {
            submission.requestDigest = try IdempotencyKey.digest(of: submission)
            if let earlier = try await existingView(orderId, principal, services) {
                try await Self.checkBinding(idempotencyKey, earlier, submission, services)
                return decisionResponse(earlier, status: .ok, replayed: true)
            }
        }
        let before = try await services.watch.current()
        let event = try CommandIdentity.event(kind: "submit", entity: orderId, occurredAt: services.now(), subject: orderId, data: .orderSubmit(submission))
        let timers = services.submitTimers
        let checked = timers.finished(.checks, since: received)
        try await services.commands.publish(event, topic: services.commands.topics.orderCommands, key: orderId, catalogueTopic: EventKind.orderSubmit.topic)
        let published = timers.finished(.publish, since: checked)
        let decided = try await awaitView(orderId, principal, services, after: before, newerThan: nil)
        timers.finished(.decision, since: published)
        if let view = decided {
            // Another request with the same key may have made the order first.
            if let idempotencyKey { try await Self.checkBinding(idempotencyKey, view, submission, services) }
            return decisionResponse(view, status: .created, replayed: false)
        }
        return APIResponse.json(.accepted, ["orderId": orderId, "status": "submitted", "url": "/v1/orders/\(orderId)",
                                            "detail": "the core has not decided yet; GET the url or follow /v1/orders/updates"])
            .withLocation("/v1/orders/\(orderId)")
    }

    /// Refuses a submission whose key made the order `view` of another request.
    static func checkBinding(_ key: IdempotencyKey, _ view: OrderView, _ submission: OrderSubmission, _ services: APIServices) async throws(APIProblem) {
        let orderId = view.orderId
        let stored = try await services.database.read { reader throws(StoreError) in try reader.orders.requestDigest(of: orderId) }
        try key.check(stored: stored, requested: submission.requestDigest ?? "", object: "order \(orderId)") { sameOrder(view, submission) }
    }

    /// Whether a stored order is the one this submission describes (same lines, in the same order):
    /// what decides for an order made before request digests were kept.
    static func sameOrder(_ view: OrderView, _ submission: OrderSubmission) -> Bool {
        view.dealerId == submission.dealerId && view.lines.count == submission.lines.count
            && zip(view.lines, submission.lines).allSatisfy { $0.lineNo == $1.lineNo && $0.materialId == $1.materialId && $0.quantity == $1.quantity && $0.kind == $1.kind }
    }

    static func decisionResponse(_ view: OrderView, status: HTTPResponse.Status, replayed: Bool) -> Response {
        var headers: HTTPFields = [.location: "/v1/orders/\(view.orderId)"]
        if replayed { headers[.idempotentReplayed] = "true" }
        return APIResponse.json(status, encoding: view, headers: headers)
    }

    static func existingView(_ orderId: String, _ principal: Principal, _ services: APIServices) async throws(APIProblem) -> OrderView? {
        let visibility = principal.dealerVisibility
        return try await services.database.read { reader throws(StoreError) in try reader.orders.view(orderId, visibleTo: visibility) }
    }

    /// Waits (at most the decision wait) for the order to exist, or to be newer than `version`.
    static func awaitView(_ orderId: String, _ principal: Principal, _ services: APIServices, after sequence: Int64, newerThan version: Int?) async throws(APIProblem) -> OrderView? {
        let deadline = ContinuousClock.now + services.decisionWait
        var seen = sequence
        while true {
            if let view = try await existingView(orderId, principal, services), view.version > (version ?? 0) { return view }
            let remaining = deadline - .now
            guard remaining > .zero else { return nil }
            seen = await services.watch.wait(after: seen, key: orderId, timeout: remaining)
        }
    }

    // MARK: - Cancel, receipt, rating

    /// A command that moves an existing order: found in the caller's scope, allowed by the
    /// order's lifecycle now (else 409 saying why), published, and answered with the new view
    /// when the core applies it within the wait (else 202).
    static func follow(_ request: Request, _ context: APIRequestContext, _ services: APIServices, move: OrderMove, staffMay: Bool,
                       command: (inout RequestFields, Principal, String) -> EventData?) async throws -> Response {
        try await services.database.pinned { try await followPinned(request, context, services, move: move, staffMay: staffMay, command: command) }
    }

    private static func followPinned(_ request: Request, _ context: APIRequestContext, _ services: APIServices, move: OrderMove, staffMay: Bool,
                                     command: (inout RequestFields, Principal, String) -> EventData?) async throws -> Response {
        let principal = try context.caller()
        let orderId = try orderParameter(context)
        guard principal.role == .dealer || (staffMay && principal.role.isStaff) else {
            throw APIProblem.forbidden(staffMay ? "only the order's dealer and staff can do this" : "only the order's dealer can do this")
        }
        let body = request.headers[.contentLength] == "0" ? [:] : try await RequestFields.body(of: request, context: context)
        var fields = RequestFields(body)
        let made = command(&fields, principal, orderId)
        try fields.check("request")
        guard let made else { throw APIProblem.unprocessable("the request is not valid") }
        let visibility = principal.dealerVisibility
        guard let order = try await services.database.read({ reader throws(StoreError) in try reader.orders.visible(orderId, to: visibility) }) else {
            throw APIProblem.notFound("order \(orderId)")
        }
        switch OrderLifecycle.verdict(for: move, current: order.status) {
        case .apply:
            break
        case .ignore(let why):
            throw APIProblem.conflict("order \(orderId) is \(order.status): \(why)")
        case .hold(let waitingFor):
            throw APIProblem.conflict("order \(orderId) is \(order.status): it must be \(waitingFor) first")
        }
        let before = try await services.watch.current()
        let action = made.type.split(separator: ".").last.map(String.init) ?? made.type
        let event = try CommandIdentity.event(kind: action, entity: orderId, occurredAt: services.now(), subject: orderId, data: made)
        try await services.commands.publish(event, topic: services.commands.topics.orderCommands, key: orderId, catalogueTopic: made.kind?.topic ?? TopicName.orderCommands)
        if let view = try await awaitView(orderId, principal, services, after: before, newerThan: order.version) {
            return APIResponse.json(.ok, encoding: view)
        }
        return APIResponse.json(.accepted, ["orderId": orderId, "url": "/v1/orders/\(orderId)", "detail": "sent; the core has not applied it yet"])
            .withLocation("/v1/orders/\(orderId)")
    }

    // MARK: - List

    static func list(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let query = request.uri.queryParameters
        var filter = OrderReadModel.Filter()
        var issues: [String] = []
        if let status = query["status"].map(String.init) {
            let known = OrderStatus.known.map(\.rawValue)
            if known.contains(status) { filter.status = OrderStatus(rawValue: status) } else { issues.append("status: must be one of \(known.joined(separator: ", "))") }
        }
        if let dealer = query["dealerId"].map(String.init) {
            if RequestFields.isIdentifier(dealer) { filter.dealerId = dealer } else { issues.append("dealerId: not an identifier") }
        }
        for (name, keyPath) in [("submittedFrom", \OrderReadModel.Filter.submittedFrom), ("submittedTo", \OrderReadModel.Filter.submittedTo)] {
            if let text = query[Substring(name)].map(String.init) {
                if let time = Timestamp(parsing: text) { filter[keyPath: keyPath] = time } else { issues.append("\(name): not an RFC 3339 time in UTC") }
            }
        }
        filter.limit = Paging.limit(query["limit"], issues: &issues)
        if let cursor = query["cursor"].map(String.init) {
            if let parsed = OrderCursor(token: cursor) { filter.after = parsed.position } else { issues.append("cursor: not a cursor this API gave") }
        }
        if !issues.isEmpty { throw APIProblem.unprocessable("the query is not valid: \(issues.joined(separator: "; "))", issues: issues) }
        let (finalFilter, visibility) = (filter, principal.dealerVisibility)
        let page = try await services.database.read { reader throws(StoreError) in try reader.orders.list(finalFilter, visibleTo: visibility) }
        var body: [String: any Sendable] = ["orders": page.orders.map(Self.summaryObject)]
        if let next = page.next { body["nextCursor"] = OrderCursor(position: next).token }
        return APIResponse.json(.ok, body)
    }

    static func summaryObject(_ summary: OrderReadModel.Summary) -> [String: any Sendable] {
        var object: [String: any Sendable] = ["orderId": summary.orderId, "dealerId": summary.dealerId, "status": summary.status, "version": summary.version,
                                              "submittedAt": summary.submittedAt, "updatedAt": summary.updatedAt]
        if let total = summary.total { object["total"] = ["amount": total.amount.text, "currency": total.currency] }
        if let erp = summary.erpOrderNumber { object["erpOrderNumber"] = erp }
        if let promised = summary.promisedDate { object["promisedDate"] = promised }
        return object
    }
}

/// `limit` on list routes: 1 to 200, 50 when absent.
enum Paging {
    static func limit(_ text: Substring?, issues: inout [String]) -> Int {
        guard let text else { return 50 }
        guard let limit = Int(text), (1...200).contains(limit) else { issues.append("limit: must be 1 to 200"); return 50 }
        return limit
    }
}

extension Response {
    func withLocation(_ location: String) -> Response {
        var response = self
        response.headers[.location] = location
        return response
    }
}
