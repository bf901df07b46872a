import Foundation
import HubAPI
import HubContracts
import HubStore
import Hummingbird

/// The trade between dealers (R1): tier-2 orders (a tier-2 dealer its own, to its tier-1 dealer; a
/// tier-1 dealer those sent to it, with the delivery note it issues; staff those in scope), the
/// tier-2 order form, and a tier-1 dealer's books by month (goods in and out, on hand, purchases,
/// sales, cost of sales and margin).
extension Console {
    func tier2Orders(_ request: Request, _ visitor: ConsoleVisitor) async throws -> Page {
        guard visitor.principal.role != .carrier else { throw APIProblem.forbidden("a carrier has no tier-2 orders") }
        let query = request.uri.queryParameters
        let status = query["status"].map(String.init).flatMap { text in Tier2OrderStatus.known.first { $0.rawValue == text } }
        let after = query["after"].map(String.init).flatMap { RequestFields.isIdentifier($0) ? $0 : nil }
        let visibility = visitor.principal.dealerVisibility
        let orders = try await services.database.read { reader throws(StoreError) in
            try reader.dealers.tier2Orders(visibleTo: visibility, status: status, after: after, limit: 51)
        }
        let language = visitor.language
        let shown = orders.prefix(50)
        return Page(template: "tier2-orders", title: ConsoleText.text(visitor.isTier2 ? "myTier2Orders" : "tier2Orders", language), context: [
            "orders": shown.map { Self.tier2Row($0, language) }, "empty": shown.isEmpty,
            "statuses": Tier2OrderStatus.known.map { ["value": $0.rawValue, "label": StatusLabels.order($0.rawValue, language), "selected": $0 == status] },
            "next": orders.count > 50 ? "/tier2-orders?\(status.map { "status=\($0.rawValue)&" } ?? "")after=\(shown.last?.orderId ?? "")" : "",
            "canOrder": visitor.isTier2,
        ])
    }

    static func tier2Row(_ order: Tier2OrderRecord, _ language: ConsoleLanguage) -> [String: Any] {
        let total = order.lines.reduce(Decimal(0)) { sum, line in sum + line.quantity.value * (line.unitPrice?.value ?? 0) }
        return ["orderId": order.orderId, "dealerId": order.dealerId, "supplierDealerId": order.supplierDealerId, "status": order.status,
                "statusLabel": StatusLabels.order(order.status, language), "submittedAt": ConsoleFormat.time(order.submittedAt, language),
                "lines": order.lines.count, "total": total == 0 ? "—" : ConsoleFormat.money("\(total)")]
    }

    func tier2OrderPage(_ orderId: String, _ visitor: ConsoleVisitor) async throws -> Page {
        guard RequestFields.isIdentifier(orderId), visitor.principal.role != .carrier else { throw APIProblem.notFound("tier-2 order") }
        let visibility = visitor.principal.dealerVisibility
        guard let order = try await services.database.read({ reader throws(StoreError) in
            try reader.dealers.tier2Orders(visibleTo: visibility, orderId: orderId, limit: 1).first
        }) else { throw APIProblem.notFound("tier-2 order \(orderId)") }
        let language = visitor.language
        var context = Self.tier2Row(order, language)
        context["submittedBy"] = order.submittedBy
        context["updatedAt"] = ConsoleFormat.time(order.updatedAt, language)
        context["orderLines"] = order.lines.map { line -> [String: Any] in
            ["lineNo": line.lineNo, "materialId": line.materialId, "quantity": line.quantity.text,
             "unitPrice": line.unitPrice.map { ConsoleFormat.money($0.text) } ?? "—", "priceValue": line.unitPrice?.text ?? ""]
        }
        // The tier-1 dealer the order was sent to delivers it: a delivery note with its prices (and, if it keeps them, costs).
        context["canDeliver"] = visitor.isDealer && visitor.principal.dealerId == order.supplierDealerId && order.status == Tier2OrderStatus.submitted.rawValue
        return Page(template: "tier2-order", title: "\(ConsoleText.text("tier2Order", language)) \(orderId)", context: context)
    }

    func tier2OrderForm(_ visitor: ConsoleVisitor) throws -> Page {
        guard visitor.isTier2 else { throw APIProblem.forbidden("tier-2 orders are placed by tier-2 dealers") }
        return Page(template: "tier2-order-form", title: ConsoleText.text("newTier2Order", visitor.language), context: [
            "idempotencyKey": "console-" + UUID().uuidString.lowercased(),
        ])
    }

    /// A tier-1 dealer's books for a month (China time): `?month=2026-11`, this month by default;
    /// staff name the dealer (`?dealerId=`), within their scope.
    func ledger(_ request: Request, _ visitor: ConsoleVisitor) async throws -> Page {
        let query = request.uri.queryParameters
        let dealerId: String
        guard visitor.isDealer || visitor.isStaff else { throw APIProblem.forbidden("a carrier keeps no dealer's books") }
        if visitor.isDealer, let own = visitor.principal.dealerId {
            dealerId = own
        } else if let asked = query["dealerId"].map(String.init), RequestFields.isIdentifier(asked) {
            let visibility = visitor.principal.dealerVisibility
            guard try await services.database.read({ reader throws(StoreError) in try reader.dealers.isVisible(asked, to: visibility) }) else {
                throw APIProblem.notFound("dealer \(asked)")
            }
            dealerId = asked
        } else {
            throw APIProblem.notFound("a dealer's books (name the dealer)")
        }
        let month = Self.month(query["month"].map(String.init)) ?? Self.month(of: Date())
        let (from, to) = Self.bounds(of: month)
        let ledger = try await services.database.read { reader throws(StoreError) in try reader.dealers.ledger(dealerId: dealerId, from: from, to: to) }
        let language = visitor.language
        return Page(template: "ledger", title: "\(ConsoleText.text("ledger", language)) · \(dealerId)", context: [
            "dealerId": dealerId, "month": String(format: "%04d-%02d", month.year, month.month), "staff": visitor.isStaff,
            "lines": ledger.lines.map { line -> [String: Any] in
                ["materialId": line.materialId, "quantityIn": line.quantityIn, "quantityOut": line.quantityOut, "onHand": line.onHand,
                 "purchases": ConsoleFormat.money(line.purchases), "sales": ConsoleFormat.money(line.sales),
                 "costOfSales": ConsoleFormat.money(line.costOfSales), "grossMargin": ConsoleFormat.money(line.grossMargin)]
            },
            "empty": ledger.lines.isEmpty,
            "purchases": ConsoleFormat.money(ledger.purchases), "sales": ConsoleFormat.money(ledger.sales), "grossMargin": ConsoleFormat.money(ledger.grossMargin),
        ])
    }

    /// `2026-11` → (2026, 11); nil for anything else.
    static func month(_ text: String?) -> (year: Int, month: Int)? {
        guard let text, text.count == 7, text.dropFirst(4).first == "-", let year = Int(text.prefix(4)), let month = Int(text.suffix(2)),
              (2000...2100).contains(year), (1...12).contains(month) else { return nil }
        return (year, month)
    }

    static func month(of date: Date) -> (year: Int, month: Int) {
        let days = Int64((date.timeIntervalSince1970 + Double(ConsoleFormat.chinaOffsetSeconds)) / 86_400)
        let civil = CivilCalendar.date(days: days)
        return (Int(civil.year), Int(civil.month))
    }

    /// The month's first instant and the next month's, China time, as UTC timestamps.
    static func bounds(of month: (year: Int, month: Int)) -> (Timestamp, Timestamp) {
        func start(_ year: Int, _ month: Int) -> Timestamp {
            let seconds = Double(CivilCalendar.days(year: year, month: month, day: 1)) * 86_400 - Double(ConsoleFormat.chinaOffsetSeconds)
            return Timestamp(Date(timeIntervalSince1970: seconds))
        }
        let next = month.month == 12 ? (month.year + 1, 1) : (month.year, month.month + 1)
        return (start(month.year, month.month), start(next.0, next.1))
    }
}
