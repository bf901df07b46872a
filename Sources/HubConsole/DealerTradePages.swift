import Foundation
import HubAPI
import HubContracts
import HubDomain
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
        return Page(template: "tier2-orders", title: ConsoleText.text(visitor.ordersFromParent ? "myTier2Orders" : "tier2Orders", language), context: [
            "orders": shown.map { Self.tier2Row($0, language) }, "empty": shown.isEmpty,
            "statuses": Tier2OrderStatus.known.map { ["value": $0.rawValue, "label": StatusLabels.order($0.rawValue, language), "selected": $0 == status] },
            "next": orders.count > 50 ? "/tier2-orders?\(status.map { "status=\($0.rawValue)&" } ?? "")after=\(shown.last?.orderId ?? "")" : "",
            "canOrder": visitor.ordersFromParent,
        ], live: true)
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
        guard let (order, deliveries) = try await services.database.read({ reader throws(StoreError) -> (Tier2OrderRecord, [Tier2Delivery])? in
            guard let order = try reader.dealers.tier2Orders(visibleTo: visibility, orderId: orderId, limit: 1).first else { return nil }
            return (order, try reader.books.deliveries(of: orderId))
        }) else { throw APIProblem.notFound("tier-2 order \(orderId)") }
        let language = visitor.language
        var context = Self.tier2Row(order, language)
        context["submittedBy"] = order.submittedBy
        context["updatedAt"] = ConsoleFormat.time(order.updatedAt, language)
        // What is left to deliver of each line: the delivery form offers it.
        let fulfilment = Tier2Fulfilment(ordered: order.lines.map { ($0.materialId, $0.quantity.value) },
                                         delivered: deliveries.flatMap(\.lines).map { ($0.materialId, $0.quantity.value) })
        var left = fulfilment.outstanding
        context["orderLines"] = order.lines.map { line -> [String: Any] in
            let outstanding = min(left[line.materialId] ?? 0, line.quantity.value)
            left[line.materialId, default: 0] -= outstanding
            return ["lineNo": line.lineNo, "materialId": line.materialId, "quantity": line.quantity.text, "outstanding": DecimalNumber(outstanding).text,
                    "unitPrice": line.unitPrice.map { ConsoleFormat.money($0.text) } ?? "—", "priceValue": line.unitPrice?.text ?? ""]
        }
        let isSupplier = visitor.isDealer && visitor.principal.dealerId == order.supplierDealerId
        let isBuyer = visitor.isDealer && visitor.principal.dealerId == order.dealerId
        let status = Tier2OrderStatus(rawValue: order.status)
        context["reason"] = order.reason ?? ""
        context["deliveries"] = deliveries.map { delivery -> [String: Any] in
            ["deliveryNoteId": delivery.deliveryNoteId, "issuedAt": ConsoleFormat.time(delivery.issuedAt.text, language),
             "lines": delivery.lines.map { "\($0.materialId) × \($0.quantity.text) @ \(ConsoleFormat.money($0.unitPrice.text))" }.joined(separator: "; "),
             "receivedAt": delivery.receivedAt.map { ConsoleFormat.time($0.text, language) } ?? "",
             "canReceive": isBuyer && delivery.receivedAt == nil]
        }
        context["hasDeliveries"] = !deliveries.isEmpty
        // The tier-1 dealer answers a submitted order and serves it in one or more notes; the buyer cancels before any.
        context["canAnswer"] = isSupplier && status == .submitted
        context["canReject"] = isSupplier && status.isOpenUnserved
        context["canDeliver"] = isSupplier && status.takesDeliveries
        context["canCancel"] = isBuyer && status.isOpenUnserved
        return Page(template: "tier2-order", title: "\(ConsoleText.text("tier2Order", language)) \(orderId)", context: context, live: true)
    }

    func tier2OrderForm(_ visitor: ConsoleVisitor) throws -> Page {
        guard visitor.ordersFromParent else { throw APIProblem.forbidden("tier-2 orders are placed by tier-2 dealers") }
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
        let (report, documents, prices) = try await services.database.read { reader throws(StoreError) in
            (try reader.books.report(dealerId: dealerId, from: from, to: to), try reader.books.documents(dealerId: dealerId, limit: 20),
             try reader.books.prices(dealerId: dealerId, limit: 200))
        }
        let language = visitor.language
        let monthText = String(format: "%04d-%02d", month.year, month.month)
        let money = { (text: String) in ConsoleFormat.money(text) }
        let moved = report.materials.filter { $0.openingQuantity != "0" || $0.closingQuantity != "0" || $0.purchases != "0.00" || $0.sales != "0.00"
            || $0.adjustments != "0.00" || $0.returnsToCompany != "0.00" || $0.soldQuantity != "0" || $0.purchasedQuantity != "0" }
        return Page(template: "ledger", title: "\(ConsoleText.text("ledger", language)) · \(dealerId)", context: [
            "dealerId": dealerId, "month": monthText, "staff": visitor.isStaff,
            "csv": "/v1/ledger?month=\(monthText)&format=csv" + (visitor.isStaff ? "&dealerId=\(dealerId)" : ""),
            "lines": moved.map { line -> [String: Any] in
                ["materialId": line.materialId, "name": line.name ?? "", "opening": line.openingQuantity, "quantityIn": line.purchasedQuantity,
                 "quantityOut": line.soldQuantity, "adjusted": line.adjustedQuantity, "onHand": line.closingQuantity, "closingValue": money(line.closingValue),
                 "averageCost": line.averageCost.map(money) ?? "—", "purchases": money(line.purchases), "sales": money(line.sales),
                 "costOfSales": money(line.costOfSales), "grossMargin": money(line.grossMargin), "marginRate": line.grossMarginRate.map { "\($0)%" } ?? "—"]
            },
            "empty": moved.isEmpty,
            "customers": report.customers.map { customer -> [String: Any] in
                ["customerId": customer.customerId, "name": customer.name ?? customer.customerId,
                 "kind": ConsoleText.text("customerKind.\(customer.kind ?? "end-customer")", language), "sales": money(customer.sales),
                 "grossMargin": money(customer.grossMargin), "payments": money(customer.payments), "receivable": money(customer.receivable),
                 "days0to30": money(customer.days0to30), "days31to60": money(customer.days31to60), "days61to90": money(customer.days61to90),
                 "over90": money(customer.over90), "overdue": customer.over90 != "0.00"]
            },
            "hasCustomers": !report.customers.isEmpty,
            "totals": ["openingValue": money(report.totals.openingValue), "purchases": money(report.totals.purchases),
                       "returnsToCompany": money(report.totals.returnsToCompany), "sales": money(report.totals.sales),
                       "costOfSales": money(report.totals.costOfSales), "grossMargin": money(report.totals.grossMargin),
                       "marginRate": report.totals.grossMarginRate.map { "\($0)%" } ?? "—", "adjustments": money(report.totals.adjustments),
                       "closingValue": money(report.totals.closingValue), "payments": money(report.totals.payments),
                       "receivables": money(report.totals.receivables), "receivablesOver90": money(report.totals.receivablesOver90),
                       "payables": report.payables.map(money) ?? "—"],
            "purchases": money(report.totals.purchases), "sales": money(report.totals.sales), "grossMargin": money(report.totals.grossMargin),
            "documents": documents.map { document -> [String: Any] in
                ["entryId": document.entryId, "at": ConsoleFormat.time(document.at, language),
                 "kind": ConsoleText.text("bookKind.\(document.kind)", language), "customer": document.customer?.name ?? document.customer?.customerId ?? "",
                 "summary": document.amount.map(money) ?? document.lines.map { "\($0.materialId) × \($0.quantity.text)" }.joined(separator: "; "),
                 "refused": document.status == "refused", "reason": document.reason ?? ""]
            },
            "hasDocuments": !documents.isEmpty,
            "prices": prices.map { price -> [String: Any] in
                ["customer": price.customerId ?? ConsoleText.text("bookPriceList", language), "materialId": price.materialId, "name": price.name ?? "",
                 "unitPrice": money(price.unitPrice), "setBy": price.setBy, "setAt": ConsoleFormat.time(price.setAt, language)]
            },
            "hasPrices": !prices.isEmpty,
            // A dealer writes its own books here (its administrator its prices); staff only read them.
            "canRecord": visitor.isDealer,
            "canPrice": visitor.isDealer && visitor.principal.dealerAdmin,
            "saleKinds": [BookEntryKind.sale, .customerReturn].map { ["value": $0.rawValue, "label": ConsoleText.text("bookKind.\($0.rawValue)", language)] },
            "stockKinds": [BookEntryKind.stockCount, .returnToCompany].map { ["value": $0.rawValue, "label": ConsoleText.text("bookKind.\($0.rawValue)", language)] },
            "customerKinds": [BookCustomerKind.endCustomer, .quickLube, .keyAccount, .tier2Dealer].map {
                ["value": $0.rawValue, "label": ConsoleText.text("customerKind.\($0.rawValue)", language)]
            },
            "paymentLabel": ConsoleText.text("bookKind.payment", language),
            "saleKey": "console-" + UUID().uuidString.lowercased(), "stockKey": "console-" + UUID().uuidString.lowercased(),
            "paymentKey": "console-" + UUID().uuidString.lowercased(),
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
