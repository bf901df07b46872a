import Foundation
import HubContracts
import HubDomain
import HubStore
import Hummingbird

/// The tier-1 / tier-2 business (R1) as a workflow: a tier-2 dealer orders from its tier-1 parent
/// (`POST /v1/tier2-orders`) and may cancel before anything is served (`…/cancel`); the tier-1
/// dealer accepts or rejects it with a reason (`…/accept`, `…/reject`) and serves it in one or more
/// delivery notes (`…/delivery-notes`, each within what was ordered and not yet delivered, and within
/// its stock); the tier-2 dealer confirms each note's receipt (`…/delivery-notes/{id}/receipt`), which
/// books the goods in on its own books. Both see the order's status and notes on `GET …/{orderId}`.
enum DealerTradeRoutes {
    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.get("tier2-orders") { request, context in
            let principal = try context.caller()
            guard principal.role != .carrier else { throw APIProblem.forbidden("a carrier has no tier-2 orders") }
            let query = request.uri.queryParameters
            var issues: [String] = []
            let limit = Paging.limit(query["limit"], issues: &issues)
            let status = query["status"].map { Tier2OrderStatus(rawValue: String($0)) }
            if let status, !Tier2OrderStatus.known.contains(status) {
                issues.append("status: must be \(Tier2OrderStatus.known.map(\.rawValue).joined(separator: ", "))")
            }
            let after = query["cursor"].map(String.init)
            if let after, !RequestFields.isIdentifier(after) { issues.append("cursor: not a cursor this API gave") }
            if !issues.isEmpty { throw APIProblem.unprocessable("the query is not valid: \(issues.joined(separator: "; "))", issues: issues) }
            let visibility = principal.dealerVisibility
            let orders = try await services.database.read { reader throws(StoreError) in
                try reader.dealers.tier2Orders(visibleTo: visibility, status: status, after: after, limit: limit + 1)
            }
            let page = Array(orders.prefix(limit))
            return APIResponse.json(.ok, encoding: Tier2Page(orders: page, nextCursor: orders.count > limit ? page.last?.orderId : nil))
        }
        router.get("tier2-orders/:orderId") { _, context in
            let principal = try context.caller()
            let orderId = try OrderRoutes.orderParameter(context)
            guard var order = try await tier2Order(orderId, principal, services) else { throw APIProblem.notFound("tier-2 order \(orderId)") }
            order.deliveries = try await services.database.read { reader throws(StoreError) in try reader.books.deliveries(of: orderId) }
            return APIResponse.json(.ok, encoding: order)
        }
        router.post("tier2-orders") { request, context in try await submitTier2(request, context, services) }
        router.post("tier2-orders/:orderId/delivery-notes") { request, context in try await issueDeliveryNote(request, context, services) }
        router.post("tier2-orders/:orderId/accept") { request, context in try await decide(request, context, services, accepting: true) }
        router.post("tier2-orders/:orderId/reject") { request, context in try await decide(request, context, services, accepting: false) }
        router.post("tier2-orders/:orderId/cancel") { request, context in try await cancel(request, context, services) }
        router.post("tier2-orders/:orderId/delivery-notes/:deliveryNoteId/receipt") { request, context in try await receive(request, context, services) }
    }

    struct Tier2Page: Encodable { var orders: [Tier2OrderRecord]; var nextCursor: String? }

    static func tier2Order(_ orderId: String, _ principal: Principal, _ services: APIServices) async throws(APIProblem) -> Tier2OrderRecord? {
        let visibility = principal.dealerVisibility
        return try await services.database.read { reader throws(StoreError) in
            try reader.dealers.tier2Orders(visibleTo: visibility, orderId: orderId, limit: 1).first
        }
    }

    static func submitTier2(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        guard principal.role == .dealer, let dealerId = principal.dealerId else {
            throw APIProblem.forbidden("tier-2 orders are submitted by tier-2 dealer users")
        }
        let idempotencyKey = try IdempotencyKey.of(request)
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(["supplierDealerId", "lines"])
        let supplier = fields.identifier("supplierDealerId")
        var lines: [Tier2OrderSubmitted.Line] = []
        for (index, var line) in fields.objects("lines", required: true, count: 1...200).enumerated() {
            line.allowOnly(["materialId", "quantity", "unitPrice"])
            let material = line.identifier("materialId", required: true)
            let quantity = line.decimal("quantity", required: true, positive: true)
            let price = line.decimal("unitPrice")
            if let price, price.value < 0 { line.fail("unitPrice", "must not be negative") }
            fields.absorb(line)
            if let material, let quantity { lines.append(.init(lineNo: index + 1, materialId: material, quantity: quantity, unitPrice: price)) }
        }
        try fields.check("tier-2 order")
        let materials = Set(lines.map(\.materialId))
        let (dealer, known) = try await services.database.read { reader throws(StoreError) in
            (try reader.dealers.dealer(dealerId), try reader.catalogue.existing(materials))
        }
        guard let dealer else { throw APIProblem.unprocessable("dealer \(dealerId) is not known to the hub yet") }
        guard dealer.tier.ordersFromParent(hasParent: dealer.parentDealerId != nil), let parent = dealer.parentDealerId else {
            throw APIProblem.forbidden("dealer \(dealerId) (\(dealer.tier.rawValue)) has no tier-1 dealer supplying it: it orders from the company with POST /v1/orders")
        }
        if let supplier, supplier != parent {
            throw APIProblem.unprocessable("tier-2 dealer \(dealerId) orders from its tier-1 dealer \(parent), not from \(supplier)")
        }
        let unknown = lines.enumerated().filter { !known.contains($0.element.materialId) }
        if !unknown.isEmpty {
            throw APIProblem.unprocessable("some materials are not known", issues: unknown.map { "lines[\($0.offset)].materialId: \($0.element.materialId) is not a material" })
        }
        let orderId = services.identifier("T2", seed: idempotencyKey.map { "tier2|\(principal.subject)|\(dealerId)|\($0.text)" })
        var order = Tier2OrderSubmitted(orderId: orderId, dealerId: dealerId, supplierDealerId: parent, lines: lines, submittedBy: principal.subject)
        if let idempotencyKey {
            let digest = try IdempotencyKey.digest(of: order)
            order.requestDigest = digest
            if let earlier = try await tier2Order(orderId, principal, services) {
                let stored = try await services.database.read { reader throws(StoreError) in try reader.dealers.tier2RequestDigest(of: orderId) }
                try idempotencyKey.check(stored: stored, requested: digest, object: "tier-2 order \(orderId)") { earlier.lines == lines }
                return APIResponse.json(.ok, encoding: earlier, headers: [.location: "/v1/tier2-orders/\(orderId)", .idempotentReplayed: "true"])
            }
        }
        let event = try CommandIdentity.event(kind: "t2", entity: orderId, occurredAt: services.now(), subject: orderId, data: .tier2OrderSubmitted(order))
        try await services.commands.publish(event, topic: services.commands.topics.tier2Orders, key: orderId, catalogueTopic: EventKind.tier2OrderSubmitted.topic)
        return APIResponse.json(.accepted, ["orderId": orderId, "supplierDealerId": parent, "status": "submitted", "url": "/v1/tier2-orders/\(orderId)"])
            .withLocation("/v1/tier2-orders/\(orderId)")
    }

    static func issueDeliveryNote(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let orderId = try OrderRoutes.orderParameter(context)
        guard principal.role == .dealer, let dealerId = principal.dealerId else {
            throw APIProblem.forbidden("delivery notes are issued by the tier-1 dealer the order is addressed to")
        }
        let idempotencyKey = try IdempotencyKey.of(request)
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(["lines", "issuedAt"])
        // The server's time, or the stated one within minutes of it: the books are not back-dated.
        let issuedAt = ClientTime.recorded(fields.timestamp("issuedAt"), now: services.now())
        var asked: [(material: String?, quantity: DecimalNumber?, price: DecimalNumber?)] = []
        for var line in fields.objects("lines", required: true, count: 1...200) {
            line.allowOnly(["materialId", "quantity", "unitPrice"])
            let material = line.identifier("materialId", required: true)
            let quantity = line.decimal("quantity", required: true, positive: true)
            let price = line.decimal("unitPrice")
            if let price, price.value < 0 || price.value > BookQuantity.maximumUnitPrice { line.fail("unitPrice", "must be 0 to \(BookQuantity.maximumUnitPrice)") }
            if let quantity, quantity.value > BookQuantity.maximumUnits { line.fail("quantity", "must be at most \(BookQuantity.maximumUnits)") }
            fields.absorb(line)
            asked.append((material, quantity, price))
        }
        try fields.check("delivery note")
        guard let order = try await tier2Order(orderId, principal, services), order.supplierDealerId == dealerId else {
            throw APIProblem.notFound("tier-2 order \(orderId)")
        }
        let status = Tier2OrderStatus(rawValue: order.status)
        guard status.takesDeliveries else {
            throw APIProblem.conflict("tier-2 order \(orderId) is \(order.status): a delivery note needs an order submitted, accepted or partly delivered")
        }
        // A price left out is the one the tier-2 dealer ordered at.
        var lines: [DeliveryNoteIssued.Line] = []
        var issues: [String] = []
        for (index, line) in asked.enumerated() {
            guard let material = line.material, let quantity = line.quantity else { continue }
            guard let price = line.price ?? order.lines.first(where: { $0.materialId == material })?.unitPrice else {
                issues.append("lines[\(index)].unitPrice: is required (the order names no price for \(material))")
                continue
            }
            lines.append(.init(materialId: material, quantity: quantity, unitPrice: price))
        }
        if !issues.isEmpty { throw APIProblem.unprocessable("the request does not make a valid delivery note", issues: issues) }
        let delivered = try await services.database.read { reader throws(StoreError) in try reader.books.deliveries(of: orderId) }
        let fulfilment = Tier2Fulfilment(ordered: order.lines.map { ($0.materialId, $0.quantity.value) },
                                         delivered: delivered.flatMap(\.lines).map { ($0.materialId, $0.quantity.value) })
        if case .failure(let misfits) = fulfilment.delivering(lines.map { ($0.materialId, $0.quantity.value) }) {
            throw APIProblem.unprocessable("a delivery note delivers what the order asked for and is not yet delivered", issues: misfits.all.map(\.description))
        }
        try await BookRoutes.checkAgainstBooks(kind: .sale, lines: lines.map { .init(materialId: $0.materialId, quantity: $0.quantity, unitPrice: $0.unitPrice) },
                                               dealerId: dealerId, services)
        // A retry with the same Idempotency-Key names the same note (the core books a note once); without one, each is new.
        let noteId = services.identifier("DN", seed: idempotencyKey.map { "delivery-note|\(orderId)|\($0.text)" })
        let note = DeliveryNoteIssued(deliveryNoteId: noteId, supplierDealerId: dealerId, customerDealerId: order.dealerId, orderId: orderId,
                                      issuedAt: issuedAt, lines: lines)
        let event = try CommandIdentity.event(kind: "dn", entity: noteId, occurredAt: services.now(), subject: dealerId, data: .deliveryNoteIssued(note))
        try await services.commands.publish(event, topic: services.commands.topics.deliveryNotes, key: dealerId, catalogueTopic: EventKind.deliveryNoteIssued.topic)
        return APIResponse.json(.accepted, ["deliveryNoteId": noteId, "orderId": orderId, "issuedAt": issuedAt.text, "url": "/v1/tier2-orders/\(orderId)"])
    }

    /// The tier-1 dealer's answer: accept, or reject with a reason (before anything is delivered).
    static func decide(_ request: Request, _ context: APIRequestContext, _ services: APIServices, accepting: Bool) async throws -> Response {
        let principal = try context.caller()
        let orderId = try OrderRoutes.orderParameter(context)
        guard principal.role == .dealer, let dealerId = principal.dealerId else {
            throw APIProblem.forbidden("a tier-2 order is answered by the tier-1 dealer it is addressed to")
        }
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(accepting ? [] : ["reason"])
        let reason = accepting ? nil : fields.string("reason", required: true, maxLength: 500)
        try fields.check(accepting ? "acceptance" : "rejection")
        guard let order = try await tier2Order(orderId, principal, services), order.supplierDealerId == dealerId else {
            throw APIProblem.notFound("tier-2 order \(orderId)")
        }
        let status = Tier2OrderStatus(rawValue: order.status)
        guard status == .submitted || (!accepting && status == .accepted) else {
            throw APIProblem.conflict("tier-2 order \(orderId) is \(order.status): " + (accepting ? "only a submitted order is accepted" : "only an order nothing was delivered of is rejected"))
        }
        let decided = Tier2OrderDecided(orderId: orderId, supplierDealerId: dealerId, reason: reason, decidedBy: principal.subject)
        let event = try CommandIdentity.event(kind: accepting ? "t2a" : "t2r", entity: orderId, occurredAt: services.now(), subject: orderId,
                                              data: accepting ? .tier2OrderAccepted(decided) : .tier2OrderRejected(decided))
        try await services.commands.publish(event, topic: services.commands.topics.tier2Orders, key: orderId, catalogueTopic: EventKind.tier2OrderAccepted.topic)
        return APIResponse.json(.accepted, ["orderId": orderId, "status": accepting ? "accepted" : "rejected", "url": "/v1/tier2-orders/\(orderId)"])
    }

    /// The tier-2 dealer cancels its order before anything is delivered.
    static func cancel(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let orderId = try OrderRoutes.orderParameter(context)
        guard principal.role == .dealer, let dealerId = principal.dealerId else { throw APIProblem.forbidden("a tier-2 order is cancelled by the dealer that placed it") }
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(["reason"])
        let reason = fields.string("reason", maxLength: 500) ?? "cancelled by the dealer"
        try fields.check("cancellation")
        guard let order = try await tier2Order(orderId, principal, services), order.dealerId == dealerId else { throw APIProblem.notFound("tier-2 order \(orderId)") }
        guard Tier2OrderStatus(rawValue: order.status).isOpenUnserved else {
            throw APIProblem.conflict("tier-2 order \(orderId) is \(order.status): only an order nothing was delivered of can be cancelled")
        }
        let event = try CommandIdentity.event(kind: "t2c", entity: orderId, occurredAt: services.now(), subject: orderId,
                                              data: .tier2OrderCancelled(OrderCancelled(orderId: orderId, reason: reason, cancelledBy: principal.subject)))
        try await services.commands.publish(event, topic: services.commands.topics.tier2Orders, key: orderId, catalogueTopic: EventKind.tier2OrderCancelled.topic)
        return APIResponse.json(.accepted, ["orderId": orderId, "status": "cancelled", "url": "/v1/tier2-orders/\(orderId)"])
    }

    /// The tier-2 dealer confirms it received a delivery note's goods (booked in on its books).
    static func receive(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let orderId = try OrderRoutes.orderParameter(context)
        guard let noteId = context.parameters.get("deliveryNoteId"), RequestFields.isIdentifier(noteId) else { throw APIProblem.notFound("delivery note") }
        guard principal.role == .dealer, let dealerId = principal.dealerId else { throw APIProblem.forbidden("a delivery is received by the dealer it was delivered to") }
        guard let order = try await tier2Order(orderId, principal, services), order.dealerId == dealerId else { throw APIProblem.notFound("tier-2 order \(orderId)") }
        let deliveries = try await services.database.read { reader throws(StoreError) in try reader.books.deliveries(of: orderId) }
        guard let delivery = deliveries.first(where: { $0.deliveryNoteId == noteId }) else {
            throw APIProblem.notFound("delivery note \(noteId) of tier-2 order \(orderId) (a new note takes a moment to be booked)")
        }
        if let received = delivery.receivedAt {
            return APIResponse.json(.ok, ["orderId": orderId, "deliveryNoteId": noteId, "receivedAt": received.text])
        }
        let receivedAt = services.now()
        let received = Tier2OrderReceived(orderId: orderId, deliveryNoteId: noteId, dealerId: dealerId, receivedAt: receivedAt, receivedBy: principal.subject)
        let event = try CommandIdentity.event(kind: "t2rcv", entity: noteId, occurredAt: receivedAt, subject: orderId, data: .tier2OrderReceived(received))
        try await services.commands.publish(event, topic: services.commands.topics.tier2Orders, key: orderId, catalogueTopic: EventKind.tier2OrderReceived.topic)
        return APIResponse.json(.accepted, ["orderId": orderId, "deliveryNoteId": noteId, "receivedAt": receivedAt.text, "url": "/v1/tier2-orders/\(orderId)"])
    }
}
