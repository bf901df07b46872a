import Foundation
import HubContracts
import HubStore
import Hummingbird

/// The tier-1 / tier-2 business (R1): tier-2 dealers order from their tier-1 parent
/// (`POST /v1/tier2-orders`), the tier-1 dealer sees those orders and issues delivery notes
/// against them, and reads its goods-in / goods-out / on-hand ledger with its figures (`/v1/ledger`).
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
            guard let order = try await tier2Order(orderId, principal, services) else { throw APIProblem.notFound("tier-2 order \(orderId)") }
            return APIResponse.json(.ok, encoding: order)
        }
        router.post("tier2-orders") { request, context in try await submitTier2(request, context, services) }
        router.post("tier2-orders/:orderId/delivery-notes") { request, context in try await issueDeliveryNote(request, context, services) }
        router.get("ledger") { request, context in
            let principal = try context.caller()
            let query = request.uri.queryParameters
            let dealerId: String
            if principal.role == .dealer {
                dealerId = principal.dealerId ?? ""
            } else if principal.role.isStaff, let asked = query["dealerId"].map(String.init), RequestFields.isIdentifier(asked),
                      try await services.database.read({ [visibility = principal.dealerVisibility] reader throws(StoreError) in
                          try reader.dealers.isVisible(asked, to: visibility)
                      }) {
                dealerId = asked
            } else if principal.role.isStaff {
                throw APIProblem.notFound("dealer \(query["dealerId"].map(String.init) ?? "(name one with ?dealerId=)")")
            } else {
                throw APIProblem.forbidden("only dealers and staff have a ledger to read")
            }
            guard let from = query["from"].flatMap({ Timestamp(parsing: String($0)) }), let to = query["to"].flatMap({ Timestamp(parsing: String($0)) }),
                  from < to else {
                throw APIProblem.unprocessable("from and to are required, RFC 3339 UTC times with from before to (e.g. from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z)")
            }
            let ledger = try await services.database.read { reader throws(StoreError) in
                try reader.dealers.ledger(dealerId: dealerId, from: from, to: to)
            }
            return APIResponse.json(.ok, encoding: ledger)
        }
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
        guard dealer.tier == .tier2, let parent = dealer.parentDealerId else {
            throw APIProblem.forbidden("dealer \(dealerId) is not a tier-2 dealer: it orders from the company with POST /v1/orders")
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
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(["lines", "issuedAt"])
        // The server's time, or the stated one within minutes of it: the ledger is not back-dated.
        let issuedAt = ClientTime.recorded(fields.timestamp("issuedAt"), now: services.now())
        var lines: [DeliveryNoteIssued.Line] = []
        for var line in fields.objects("lines", required: true, count: 1...200) {
            line.allowOnly(["materialId", "quantity", "unitPrice", "unitCost"])
            let material = line.identifier("materialId", required: true)
            let quantity = line.decimal("quantity", required: true, positive: true)
            let price = line.decimal("unitPrice", required: true)
            let cost = line.decimal("unitCost")
            if let price, price.value < 0 { line.fail("unitPrice", "must not be negative") }
            if let cost, cost.value < 0 { line.fail("unitCost", "must not be negative") }
            fields.absorb(line)
            if let material, let quantity, let price { lines.append(.init(materialId: material, quantity: quantity, unitPrice: price, unitCost: cost)) }
        }
        try fields.check("delivery note")
        guard let order = try await tier2Order(orderId, principal, services), order.supplierDealerId == dealerId else {
            throw APIProblem.notFound("tier-2 order \(orderId)")
        }
        guard order.status == Tier2OrderStatus.submitted.rawValue else { throw APIProblem.conflict("tier-2 order \(orderId) is \(order.status): a delivery note needs a submitted order") }
        let ordered = Set(order.lines.map(\.materialId))
        let foreign = lines.enumerated().filter { !ordered.contains($0.element.materialId) }
        if !foreign.isEmpty {
            throw APIProblem.unprocessable("a delivery note delivers what the order asked for",
                                           issues: foreign.map { "lines[\($0.offset)].materialId: \($0.element.materialId) is not on order \(orderId)" })
        }
        // One note per order: issuing it again (a retry) names the same note.
        let noteId = services.identifier("DN", seed: "delivery-note|\(orderId)")
        let note = DeliveryNoteIssued(deliveryNoteId: noteId, supplierDealerId: dealerId, customerDealerId: order.dealerId, orderId: orderId,
                                      issuedAt: issuedAt, lines: lines)
        let event = try CommandIdentity.event(kind: "dn", entity: noteId, occurredAt: services.now(), subject: dealerId, data: .deliveryNoteIssued(note))
        try await services.commands.publish(event, topic: services.commands.topics.deliveryNotes, key: dealerId, catalogueTopic: EventKind.deliveryNoteIssued.topic)
        return APIResponse.json(.accepted, ["deliveryNoteId": noteId, "orderId": orderId, "issuedAt": issuedAt.text, "url": "/v1/tier2-orders/\(orderId)"])
    }
}
