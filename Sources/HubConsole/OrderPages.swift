import Foundation
import HubAPI
import HubContracts
import HubStore
import Hummingbird

/// An order as a row of a list.
enum OrderRows {
    static func summary(_ order: OrderReadModel.Summary, _ language: ConsoleLanguage) -> [String: Any] {
        ["orderId": order.orderId, "dealerId": order.dealerId, "status": order.status, "statusLabel": StatusLabels.order(order.status, language),
         "total": ConsoleFormat.money(order.total), "submittedAt": ConsoleFormat.time(order.submittedAt, language),
         "updatedAt": ConsoleFormat.time(order.updatedAt, language), "erpNumber": order.erpOrderNumber ?? "—",
         "rating": order.meanMark.map { "★ " + $0 } ?? "—"]
    }
}

/// A dealer's and staff's orders: the list (by status, paged), an order's page (lines, the ERP's
/// confirmation, shipments with the truck on a map, live; receipt, rating and cancellation), and
/// the order form (spot or made-to-order lines; the core's decision shown when it comes).
extension Console {
    func orderList(_ request: Request, _ visitor: ConsoleVisitor) async throws -> Page {
        guard visitor.principal.role != .carrier else { throw APIProblem.forbidden("carriers see shipments, not orders") }
        let query = request.uri.queryParameters
        var filter = OrderReadModel.Filter()
        filter.limit = 50
        let status = query["status"].map(String.init).flatMap { text in OrderStatus.known.first { $0.rawValue == text } }
        filter.status = status
        // The orders behind a dealer's figures (its figures page links here); another's dealer lists nothing.
        filter.dealerId = query["dealerId"].map(String.init).flatMap { RequestFields.isIdentifier($0) ? $0 : nil }
        if let cursor = query["cursor"].map(String.init) { filter.after = OrderCursor(token: cursor)?.position }
        let visibility = visitor.principal.dealerVisibility
        let final = filter
        let page = try await services.database.read { reader throws(StoreError) in try reader.orders.list(final, visibleTo: visibility) }
        let language = visitor.language
        var statusQuery = ""
        if let status { statusQuery = "status=\(status.rawValue)&" }
        if let dealerId = final.dealerId { statusQuery += "dealerId=\(dealerId)&" }
        return Page(template: "orders", title: ConsoleText.text(visitor.isDealer ? "orders" : "allOrders", language), context: [
            "orders": page.orders.map { OrderRows.summary($0, language) }, "empty": page.orders.isEmpty,
            "statuses": OrderStatus.known.map { ["value": $0.rawValue, "label": StatusLabels.order($0.rawValue, language), "selected": $0 == status] },
            "next": page.next.map { "/orders?\(statusQuery)cursor=\(OrderCursor(position: $0).token)" } ?? "",
            "showDealer": !visitor.isDealer,
        ], live: true)
    }

    func orderPage(_ orderId: String, _ visitor: ConsoleVisitor) async throws -> Page {
        guard RequestFields.isIdentifier(orderId) else { throw APIProblem.notFound("order") }
        let visibility = visitor.principal.dealerVisibility
        let found = try await services.database.read { reader throws(StoreError) in
            (try reader.orders.view(orderId, visibleTo: visibility), try reader.orders.tracking(orderId, visibleTo: visibility))
        }
        guard let view = found.0 else { throw APIProblem.notFound("order \(orderId)") }
        let language = visitor.language
        let status = view.status.rawValue
        let shipments = found.1?.shipments ?? []
        let isOwner = visitor.isDealer && visitor.principal.dealerId == view.dealerId
        let mapData: [[String: Any]] = shipments.compactMap { shipment in
            guard let position = shipment.position else { return nil }
            return ["shipmentId": shipment.shipmentId, "plate": shipment.plate ?? "", "lat": position.lat, "lon": position.lon,
                    "track": shipment.track.reversed().map { [$0.lat, $0.lon] }]
        }
        let mapJSON = (try? JSONSerialization.data(withJSONObject: mapData)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        return Page(template: "order", title: "\(ConsoleText.text("order", language)) \(orderId)", context: [
            "orderId": orderId, "dealerId": view.dealerId, "status": status, "statusLabel": StatusLabels.order(status, language),
            "version": view.version, "total": ConsoleFormat.money(view.total), "erpNumber": view.erpOrderNumber ?? "—",
            "promised": view.promisedDate?.description ?? "—", "updatedAt": ConsoleFormat.time(view.updatedAt, language),
            "lines": view.lines.map { line -> [String: Any] in
                ["lineNo": line.lineNo, "materialId": line.materialId, "quantity": line.quantity.text,
                 "kind": ConsoleText.text(line.kind == .madeToOrder ? "madeToOrder" : "spot", language),
                 "unitPrice": line.unitPrice.map { ConsoleFormat.money($0.text) } ?? "—", "confirmed": line.confirmedQuantity?.text ?? "—",
                 "promotionId": line.promotionId as Any]
            },
            "rejections": (view.rejections ?? []).map { ["line": $0.lineNo.map(String.init) ?? "—", "message": $0.message, "code": $0.code.rawValue] },
            "rejected": !(view.rejections ?? []).isEmpty,
            "shipments": shipments.map { shipment -> [String: Any] in
                ["shipmentId": shipment.shipmentId, "statusLabel": StatusLabels.shipment(shipment.status, language), "carrierId": shipment.carrierId,
                 "plate": shipment.plate ?? "—", "driver": shipment.driverName ?? "—", "phone": shipment.driverPhone ?? "—",
                 "dispatchedAt": ConsoleFormat.time(shipment.dispatchedAt, language), "eta": ConsoleFormat.time(shipment.eta, language),
                 "late": shipment.late]
            },
            "hasShipments": !shipments.isEmpty, "mapData": mapJSON, "hasMap": assets.hasMap && !mapData.isEmpty,
            "canReceive": isOwner && status == "delivered", "canRate": isOwner && status == "received",
            "canCancel": (isOwner || visitor.isStaff) && ["submitted", "accepted", "confirmed", "scheduled"].contains(status),
            "scores": [1, 2, 3, 4, 5],
            "rating": view.rating.map { Self.rating($0, language) } ?? false,
        ], live: true)
    }

    func orderForm(_ visitor: ConsoleVisitor) async throws -> Page {
        guard visitor.ordersFromCompany, let dealerId = visitor.principal.dealerId else {
            throw APIProblem.forbidden("orders to the company are placed by tier-1 dealers; a tier-2 dealer orders from its tier-1 dealer")
        }
        let (materials, prices, stock) = try await granted(to: dealerId)
        let priceBy = Dictionary(prices.map { ($0.materialId, $0) }, uniquingKeysWith: { first, _ in first })
        var available: [String: Decimal] = [:]
        for row in stock { available[row.materialId, default: 0] += Decimal(string: row.available) ?? 0 }
        let language = visitor.language
        return Page(template: "order-form", title: ConsoleText.text("newOrder", language), context: [
            "dealerId": dealerId,
            // One key per form: a double click, or sending again after a lost answer, is the same order.
            "idempotencyKey": "console-" + UUID().uuidString.lowercased(),
            "materials": materials.map { material -> [String: Any] in
                ["materialId": material.materialId, "name": material.name,
                 "price": Self.shownPrice(priceBy[material.materialId]) + (priceBy[material.materialId]?.promotion == nil ? "" : " (" + ConsoleText.text("promoPrice", language) + ")"),
                 "available": available[material.materialId].map { "\($0)" } ?? "0"]
            },
            "empty": materials.isEmpty,
        ])
    }

    /// The order's rating as its page shows it: each of the four dimensions with its mark (stars and the
    /// number), the receipt's speed with its hours; a dimension not rated yet says so.
    static func rating(_ rating: OrderView.Rating, _ language: ConsoleLanguage) -> [String: Any] {
        func mark(_ key: String, _ score: Int?, _ note: String = "") -> [String: Any] {
            let shown = score.map { String(repeating: "★", count: $0) + String(repeating: "☆", count: 5 - $0) + " \($0)/5" } ?? ConsoleText.text("notRated", language)
            return ["label": ConsoleText.text(key, language), "mark": shown + note]
        }
        let hours = rating.receiptHours.map { " · " + ConsoleText.text("receiptHours", language).replacingOccurrences(of: "{h}", with: $0.text) } ?? ""
        return ["marks": [mark("productQuality", rating.productQuality), mark("dispatchSpeed", rating.dispatchSpeed),
                          mark("serviceQuality", rating.serviceQuality), mark("receiptSpeed", rating.receiptSpeed, hours)],
                "comment": rating.comment ?? ""]
    }
}
