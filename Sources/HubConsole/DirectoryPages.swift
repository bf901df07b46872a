import Foundation
import HubAPI
import HubContracts
import HubDomain
import HubStore
import Hummingbird

/// The dealer directory (R1) and a dealer's page: staff search the dealers of their scope; a
/// tier-1 dealer finds itself and its tier-2 dealers, a tier-2 dealer itself. A dealer's page has
/// its tier-2 dealers, credit limit, open order value and the credit left, last order, and its
/// orders this month and year.
extension Console {
    static let directoryPageSize = 50

    func directoryReader(_ visitor: ConsoleVisitor) throws -> DealerDirectory.Reader {
        if visitor.isDealer, let dealerId = visitor.principal.dealerId { return .dealer(dealerId) }
        guard visitor.isStaff else { throw APIProblem.forbidden("a carrier has no dealer directory") }
        return .staff(visitor.principal.dealerVisibility)
    }

    func dealerDirectory(_ request: Request, _ visitor: ConsoleVisitor) async throws -> Page {
        let reader = try directoryReader(visitor)
        let query = request.uri.queryParameters
        var filter = DealerDirectory.Filter()
        filter.text = query["q"].map(String.init).flatMap { $0.isEmpty || $0.count > 60 ? nil : $0 }
        filter.province = query["province"].map(String.init).flatMap { $0.isEmpty || $0.count > 20 ? nil : $0 }
        filter.tier = query["tier"].map(String.init).flatMap { DealerTier.known.map(\.rawValue).contains($0) ? $0 : nil }
        filter.limit = Self.directoryPageSize
        filter.offset = max(0, min(Int(query["offset"].map(String.init) ?? "") ?? 0, 1_000_000))
        let chosen = filter
        let found = try await services.database.read { store throws(StoreError) in try store.dealerDirectory.search(chosen, as: reader) }
        let language = visitor.language
        func link(offset: Int) -> String {
            var parts = ["offset=\(offset)"]
            if let text = chosen.text { parts.append("q=" + ConsoleResponse.queryEscaped(text)) }
            if let province = chosen.province { parts.append("province=" + ConsoleResponse.queryEscaped(province)) }
            if let tier = chosen.tier { parts.append("tier=" + tier) }
            return "/dealers?" + parts.joined(separator: "&")
        }
        return Page(template: "dealers", title: ConsoleText.text(visitor.isDealer ? (visitor.ordersFromParent ? "myDealer" : "myDealers") : "dealers", language), context: [
            "dealers": found.entries.map { Self.entry($0, language) }, "empty": found.entries.isEmpty,
            "found": ConsoleText.text("found", language).replacingOccurrences(of: "{n}", with: "\(found.total)"),
            "q": chosen.text ?? "", "province": chosen.province ?? "",
            "tiers": DealerTier.known.map { ["value": $0.rawValue, "label": ConsoleText.text("tier.\($0.rawValue)", language), "selected": chosen.tier == $0.rawValue] },
            "next": chosen.offset + Self.directoryPageSize < found.total ? link(offset: chosen.offset + Self.directoryPageSize) : "",
            "previous": chosen.offset > 0 ? link(offset: max(0, chosen.offset - Self.directoryPageSize)) : "",
        ])
    }

    static func entry(_ entry: DealerDirectory.Entry, _ language: ConsoleLanguage) -> [String: Any] {
        var fields: [String: Any] = [
            "dealerId": entry.dealerId, "name": entry.name, "tier": ConsoleText.text(entry.tier, language),
            "branch": entry.branchId, "where": entry.province + (entry.city.map { " " + $0 } ?? ""), "salesRep": entry.salesRepId ?? "—",
            "status": ConsoleText.text("dealerStatus." + entry.status, language), "groups": entry.groups.joined(separator: ", "),
            "classes": entry.customerClasses.map { ConsoleText.text("line." + $0.productLine.rawValue, language) + " " + $0.customerClass }.joined(separator: ", "),
        ]
        // Only a tier-2 dealer has a parent: the template shows the link only when the key is there.
        if let parent = entry.parentDealerId { fields["parent"] = parent }
        return fields
    }

    func dealerPage(_ dealerId: String, _ visitor: ConsoleVisitor) async throws -> Page {
        let reader = try directoryReader(visitor)
        guard RequestFields.isIdentifier(dealerId),
              let page = try await services.database.read({ store throws(StoreError) in try store.dealerDirectory.page(dealerId, as: reader) }) else {
            throw APIProblem.notFound("dealer \(dealerId)")
        }
        let language = visitor.language
        var context = Self.entry(page.dealer, language)
        context["creditLimit"] = ConsoleFormat.money(page.creditLimit, currency: page.currency)
        context["openOrderValue"] = ConsoleFormat.money(page.openOrderValue, currency: page.currency)
        context["openOrders"] = page.openOrders
        context["openInvoiceValue"] = ConsoleFormat.money(page.openInvoiceValue, currency: page.currency)
        context["availableCredit"] = ConsoleFormat.money(page.availableCredit, currency: page.currency)
        context["lastOrder"] = page.lastOrder.map { order -> [String: Any] in
            ["orderId": order.orderId, "statusLabel": StatusLabels.order(order.status, language), "total": order.total.map { ConsoleFormat.money($0) } ?? "—",
             "submittedAt": ConsoleFormat.time(order.submittedAt, language)]
        } ?? false
        let activity = CustomerActivity.of(lastOrderAt: page.lastOrder.flatMap { Timestamp(parsing: $0.submittedAt)?.date }, now: Date())
        context["activity"] = ConsoleText.text("activity." + activity.state.rawValue, language)
            + (activity.days.map { " · " + ConsoleText.text("daysSinceOrder", language).replacingOccurrences(of: "{n}", with: "\($0)") } ?? "")
        context["activityState"] = activity.state.rawValue
        context["thisMonth"] = "\(page.thisMonth.orders) · \(ConsoleFormat.money(page.thisMonth.value, currency: page.currency))"
        context["thisYear"] = "\(page.thisYear.orders) · \(ConsoleFormat.money(page.thisYear.value, currency: page.currency))"
        context["tier2Dealers"] = page.tier2Dealers.map { Self.entry($0, language) }
        context["hasTier2"] = !page.tier2Dealers.isEmpty
        context["isTier1"] = page.dealer.tier == DealerTier.tier1.rawValue
        context["staff"] = visitor.isStaff
        return Page(template: "dealer", title: page.dealer.name, context: context)
    }
}
