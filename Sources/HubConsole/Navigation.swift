import Foundation
import HubAPI

/// The header's links, by role: a dealer its home, orders, new order (tier-1 dealers, who order
/// from the company) and catalogue; staff the order board and the orders in their scope.
enum Navigation {
    static func items(for principal: Principal, current: String, language: ConsoleLanguage) -> [[String: Any]] {
        let links: [(String, String)]
        switch principal.role {
        case .dealer:
            links = [("/", "home"), ("/orders", "orders"), ("/orders/new", "newOrder"), ("/catalogue", "catalogue")]
        case .carrier:
            links = [("/", "home")]
        default:
            links = [("/", "board"), ("/orders", "allOrders")]
        }
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
