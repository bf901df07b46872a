import Foundation
import HubAPI
@_spi(SQL) import HubStore
import Hummingbird
import HummingbirdTesting
import Testing

/// The dealer directory against the test company: D1 (tier 1, BR-EAST, 上海, rep R1, group PG1 —
/// automotive), its tier-2 dealer D2 (BR-EAST, 江苏), D3 (tier 1, BR-NORTH, 北京, rep R2, PG2 —
/// industrial).
@Suite("HTTP API: the dealer directory, scope by scope")
struct DealerDirectoryTests {
    static let automotiveLines = Principal(subject: "U-PLM-AUTO", role: .productLineManager, productLines: ["automotive-packaged"])

    @Test("each caller finds exactly the dealers of its scope, and another's dealer page is 404")
    func scopes() async throws {
        let hub = try await APITestHub.shared.value
        let cases: [(String, Principal, Set<String>)] = [
            ("admin", APITestHub.admin, ["D1", "D2", "D3"]),
            ("east branch manager", APITestHub.eastManager, ["D1", "D2"]),
            ("上海 area manager", APITestHub.shanghaiArea, ["D1"]),
            ("automotive product-line manager", Self.automotiveLines, ["D1"]),
            ("rep R1", APITestHub.rep1, ["D1"]),
            ("tier-1 D1", APITestHub.d1, ["D1", "D2"]),
            ("tier-2 D2", APITestHub.d2, ["D2"]),
            ("tier-1 D3", APITestHub.d3, ["D3"]),
        ]
        try await hub.application().test(.router) { client in
            for (name, caller, expected) in cases {
                let listing = try await client.call(.get, "/v1/dealers?limit=500", as: caller, hub: hub)
                #expect(listing.status == .ok, "\(name): \(listing.text)")
                let found = Set((listing["dealers"] as? [[String: Any]] ?? []).compactMap { $0["dealerId"] as? String }).intersection(["D1", "D2", "D3"])
                #expect(found == expected, "\(name) finds \(found.sorted())")
                for dealer in ["D1", "D2", "D3"] {
                    let page = try await client.call(.get, "/v1/dealers/\(dealer)", as: caller, hub: hub)
                    #expect(page.status == (expected.contains(dealer) ? .ok : .notFound), "\(name) opens \(dealer): \(page.status)")
                }
            }
            #expect(try await client.call(.get, "/v1/dealers", as: APITestHub.carrier, hub: hub).status == .forbidden)
            let filtered = try await client.call(.get, "/v1/dealers?parentDealerId=D1&tier=tier2", as: APITestHub.admin, hub: hub)
            #expect((filtered["dealers"] as? [[String: Any]])?.compactMap { $0["dealerId"] as? String } == ["D2"])
            let named = try await client.call(.get, "/v1/dealers?q=%E5%8C%97%E4%BA%AC", as: APITestHub.admin, hub: hub)  // 北京
            #expect((named["dealers"] as? [[String: Any]])?.compactMap { $0["dealerId"] as? String }.contains("D3") == true)
            func ids(_ query: String) async throws -> [String] {
                let answer = try await client.call(.get, "/v1/dealers?\(query)", as: APITestHub.admin, hub: hub)
                return (answer["dealers"] as? [[String: Any]] ?? []).compactMap { $0["dealerId"] as? String }.filter { ["D1", "D2", "D3"].contains($0) }
            }
            #expect(try await ids("customerClass=A") == ["D1", "D3"], "class A in any line")
            #expect(try await ids("customerClass=A&productLine=automotive-packaged") == ["D1"], "class A in the automotive line")
            #expect(try await ids("productLine=automotive-packaged") == ["D1", "D3"], "buys the automotive line")
            let bad = try await client.call(.get, "/v1/dealers?tier=3&groupId=a%20b", as: APITestHub.admin, hub: hub)
            #expect(bad.status == .unprocessableContent && (bad["issues"] as? [String])?.count == 2)
        }
    }

    @Test("a dealer's page: its tier-2 dealers, groups, credit limit, and open order value as the orders table sums it")
    func page() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let page = try await client.call(.get, "/v1/dealers/D1", as: APITestHub.eastManager, hub: hub)
            #expect(page.status == .ok)
            let dealer = try #require(page["dealer"] as? [String: Any])
            #expect(dealer["name"] as? String == "上海一级" && dealer["tier"] as? String == "tier1" && (dealer["groups"] as? [String]) == ["PG1"])
            let classes = (dealer["customerClasses"] as? [[String: String]]) ?? []
            #expect(classes == [["productLine": "automotive-packaged", "customerClass": "A"]], "the ERP's class per line is kept: \(classes)")
            #expect((page["tier2Dealers"] as? [[String: Any]])?.compactMap { $0["dealerId"] as? String } == ["D2"])
            #expect(page["creditLimit"] as? String == "1000000.00" && page["currency"] as? String == "CNY")
            let open = try await hub.rows("SELECT total FROM orders WHERE dealer_id = 'D1' AND status IN ('accepted','confirmed','scheduled','produced','allocated','dispatched')")
            let expected = open.reduce(Decimal(0)) { $0 + (Decimal(string: $1.string(0) ?? "0") ?? 0) }
            #expect(Decimal(string: page["openOrderValue"] as? String ?? "") == expected, "open value \(page["openOrderValue"] ?? "-") vs \(expected)")
            #expect(Decimal(string: page["availableCredit"] as? String ?? "") == 1_000_000 - expected)
            #expect(page["openOrders"] as? Int == open.count)
            let tier2 = try await client.call(.get, "/v1/dealers/D2", as: APITestHub.d1, hub: hub)
            #expect((tier2["dealer"] as? [String: Any])?["parentDealerId"] as? String == "D1" && (tier2["tier2Dealers"] as? [Any])?.isEmpty == true)
        }
    }
}
