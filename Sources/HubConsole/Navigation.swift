import Foundation
import HubAPI

/// The header's links, by role: a tier-1 dealer its home, orders, new order, catalogue, its tier-2
/// dealers' orders, its books and its dealers; a tier-2 dealer its orders to its tier-1 dealer;
/// staff the order board, the orders, the dealers and the tier-2 orders in their scope; those who
/// administer accounts or master data those pages too.
enum Navigation {
    static func items(for visitor: ConsoleVisitor, current: String, language: ConsoleLanguage) -> [[String: Any]] {
        var links: [(String, String)]
        switch visitor.principal.role {
        case .dealer where visitor.ordersFromParent:
            links = [("/", "home"), ("/tier2-orders", "myTier2Orders"), ("/tier2-orders/new", "newTier2Order"), ("/dealers", "myDealer")]
        case .dealer:
            links = [("/", "home"), ("/orders", "orders"), ("/orders/new", "newOrder"), ("/catalogue", "catalogue"),
                     ("/tier2-orders", "tier2Orders"), ("/ledger", "ledger"), ("/flows", "flows"), ("/dealers", "myDealers")]
            if let dealerId = visitor.principal.dealerId { links.append(("/analytics/dealers/\(dealerId)", "myFigures")) }
        case .carrier:
            links = [("/", "myShipments"), ("/scorecards/carriers", "scorecards")]
        default:
            links = [("/", "board"), ("/orders", "allOrders"), ("/shipments", "trucks"), ("/dealers", "dealers"), ("/tier2-orders", "tier2Orders"), ("/flows", "flows")]
            if [.admin, .branchManager].contains(visitor.principal.role) { links.append(("/analytics", "analytics")) }
            links.append(("/scorecards/dealers", "scorecards"))
            links.append(("/risk", "riskyCustomers"))
            if ActivityAccess.scope(of: visitor.principal) != nil { links.insert(("/activities", visitor.principal.role == .salesRep ? "myDay" : "activities"), at: 1) }
        }
        if visitor.principal.role == .dealer || visitor.principal.role.isStaff { links += [("/announcements", "announcements"), ("/surveys", "surveys"), ("/tickets", "tickets")] }
        if UserAdministration.reach(of: visitor.principal) != .none { links.append(("/users", "users")) }
        if (try? MasterDataReach.of(visitor.principal)) != nil { links += [("/permission-groups", "permissionGroups"), ("/warehouses", "warehouses")] }
        if visitor.principal.role == .admin { links += [("/audit", "auditLog"), ("/operations", "operations")] }
        return links.map { href, key in
            ["href": href, "label": ConsoleText.text(key, language), "current": href == current]
        }
    }
}

/// The order and shipment statuses' names, for the page's script (live updates write them).
enum StatusLabels {
    static func json(_ language: ConsoleLanguage) -> String {
        var labels: [String: String] = [:]
        for (key, text) in ConsoleText.strings(language) where key.hasPrefix("status.") || key.hasPrefix("shipment.") {
            labels[key] = text
        }
        guard let data = try? JSONSerialization.data(withJSONObject: labels, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func order(_ status: String, _ language: ConsoleLanguage) -> String {
        ConsoleText.table["status." + status].map { language == .chinese ? $0.zh : $0.en } ?? status
    }

    static func shipment(_ status: String, _ language: ConsoleLanguage) -> String {
        (ConsoleText.table["shipment." + status] ?? ConsoleText.table["status." + status]).map { language == .chinese ? $0.zh : $0.en } ?? status
    }
}
