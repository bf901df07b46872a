import Foundation
import HubAPI
import HubContracts
import Hummingbird
import HummingbirdTesting
import Testing

/// Announcements (R5) through the API, on the shared test hub (a real broker and core): published
/// by staff to an audience, seen by exactly the dealers it reaches, read and acknowledged, counted
/// by branch, scoped like everything else.
///
/// The hub's dealers: D1 (BR-EAST, 上海, tier 1, automotive class A, group PG1), D2 (BR-EAST, 江苏,
/// tier 2), D3 (BR-NORTH, 北京, tier 1, industrial A and automotive C, group PG2). Other suites add a
/// simulated company to the same hub (its dealers in the same branches, its groups named PG-…):
/// what is counted here is narrowed to the fixture's dealers by their groups or by name.
@Suite("HTTP API: announcements", .serialized)
struct AnnouncementRoutesTests {
    static func ids(_ answer: APIAnswer) -> [String] {
        (answer["announcements"] as? [[String: Any]] ?? []).compactMap { $0["announcementId"] as? String }
    }

    @Test("a policy for tier-1 dealers of two groups: D1 and D3 see it, D2 does not (404); read and acknowledged count by branch; withdrawn, nobody sees it")
    func policyLife() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let body = #"{"kind":"policy","title":"2027 年度返利政策","body":"请阅读。<script>alert(1)</script>","requiresAcknowledgement":true,"audience":{"tiers":["tier1"],"permissionGroups":["PG1","PG2"]}}"#
            let created = try await client.call(.post, "/v1/announcements", as: APITestHub.admin, hub: hub, body: body)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created["announcementId"] as? String)
            #expect(created["state"] as? String == "in-force" && created["version"] as? Int == 1)
            #expect((created["body"] as? String)?.contains("<script>") == true, "kept as the text it is; the console shows it as text")

            #expect(Self.ids(try await client.call(.get, "/v1/announcements", as: APITestHub.d1, hub: hub)).contains(id))
            #expect(Self.ids(try await client.call(.get, "/v1/announcements", as: APITestHub.d3, hub: hub)).contains(id))
            #expect(!Self.ids(try await client.call(.get, "/v1/announcements", as: APITestHub.d2, hub: hub)).contains(id))
            #expect(try await client.call(.get, "/v1/announcements/\(id)", as: APITestHub.d2, hub: hub).status == .notFound)
            #expect(try await client.call(.post, "/v1/announcements/\(id)/read", as: APITestHub.d2, hub: hub).status == .notFound)
            let inbox = try await client.call(.get, "/v1/announcements?unread=true&limit=1", as: APITestHub.d1, hub: hub)
            #expect((inbox["unread"] as? Int ?? 0) >= 1 && Self.ids(inbox).count == 1, "unread counts every page: \(inbox.text)")
            let seenByDealer = try await client.call(.get, "/v1/announcements/\(id)", as: APITestHub.d1, hub: hub)
            #expect(seenByDealer["audience"] == nil && seenByDealer["publishedBy"] == nil, "a dealer sees neither the audience nor who published it")
            #expect(seenByDealer["read"] as? Bool == false)

            #expect(try await client.call(.post, "/v1/announcements/\(id)/acknowledge", as: APITestHub.d1, hub: hub).status == .accepted)
            #expect(try await client.call(.post, "/v1/announcements/\(id)/read", as: APITestHub.d3, hub: hub).status == .accepted)
            var readership = APIAnswer(status: .ok, headers: [:], text: "{}")
            let counted = try await hub.untilCore {
                readership = try await client.call(.get, "/v1/announcements/\(id)/readership", as: APITestHub.admin, hub: hub)
                return readership["read"] as? Int == 2 && readership["acknowledged"] as? Int == 1
            }
            #expect(counted, "\(readership.text)")
            #expect(readership["reached"] as? Int == 2)
            let branches = readership["branches"] as? [[String: Any]] ?? []
            #expect(branches.first { $0["branchId"] as? String == "BR-EAST" }?["acknowledged"] as? Int == 1)
            #expect(branches.first { $0["branchId"] as? String == "BR-NORTH" }?["read"] as? Int == 1)
            let east = try await client.call(.get, "/v1/announcements/\(id)/readership", as: APITestHub.eastManager, hub: hub)
            #expect(east["reached"] as? Int == 1, "a branch manager counts its branch's dealers: \(east.text)")
            let unread = try await client.call(.get, "/v1/announcements?unread=true", as: APITestHub.d1, hub: hub)
            #expect(!Self.ids(unread).contains(id), "acknowledged is read")

            let changedBody = #"{"version":1,"kind":"policy","title":"2027 年度返利政策（修订）","body":"修订版。","requiresAcknowledgement":true,"audience":{"tiers":["tier1"],"permissionGroups":["PG1","PG2"]}}"#
            let changed = try await client.call(.put, "/v1/announcements/\(id)", as: APITestHub.admin, hub: hub, body: changedBody)
            #expect(changed.status == .ok && changed["version"] as? Int == 2 && changed["title"] as? String == "2027 年度返利政策（修订）", "\(changed.text)")
            #expect(try await client.call(.put, "/v1/announcements/\(id)", as: APITestHub.admin, hub: hub, body: changedBody).status == .conflict, "version 1 is stale")
            #expect(try await client.call(.put, "/v1/announcements/\(id)", as: APITestHub.eastManager, hub: hub, body: changedBody).status == .notFound,
                    "a branch manager does not change the company's")
            #expect(try await client.call(.get, "/v1/announcements/\(id)", as: APITestHub.d1, hub: hub)["acknowledged"] as? Bool == true,
                    "a dealer's acknowledgement stays with the announcement across versions")
            #expect(try await client.call(.post, "/v1/announcements/\(id)/withdraw", as: APITestHub.eastManager, hub: hub, body: "{}").status == .notFound,
                    "a branch manager does not withdraw the company's")
            let withdrawn = try await client.call(.post, "/v1/announcements/\(id)/withdraw", as: APITestHub.admin, hub: hub, body: #"{"reason":"政策调整"}"#)
            #expect(withdrawn.status == .ok && withdrawn["state"] as? String == "withdrawn", "\(withdrawn.text)")
            #expect(!Self.ids(try await client.call(.get, "/v1/announcements", as: APITestHub.d1, hub: hub)).contains(id))
            #expect(try await client.call(.get, "/v1/announcements/\(id)", as: APITestHub.d1, hub: hub).status == .notFound)
            let audit = try await client.call(.get, "/v1/audit?subjectKind=announcement&subjectId=\(id)", as: APITestHub.admin, hub: hub)
            #expect((audit["entries"] as? [[String: Any]])?.compactMap { $0["action"] as? String } == ["announcement.withdrawn", "announcement.changed", "announcement.created"])
        }
    }

    // Its price is on M3, which no fixture dealer in BR-EAST is granted: the other suites' orders on the shared hub keep their list prices.
    @Test("a branch manager's promotion stays in its branch; another branch's staff and dealers do not see it; its prices name known materials")
    func branchPromotion() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let until = Timestamp(Date().addingTimeInterval(30 * 86_400)).text
            let body = """
                {"kind":"promotion","title":"华东冬季促销","body":"**M1** 促销价","expiresAt":"\(until)",
                 "promotionPrices":[{"materialId":"M3","price":"45.00"}],"links":[{"title":"细则","url":"https://example.com/promo?id=1&x=2"}]}
                """
            let created = try await client.call(.post, "/v1/announcements", as: APITestHub.eastManager, hub: hub, body: body)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created["announcementId"] as? String)
            #expect((created["audience"] as? [String: Any])?["branches"] as? [String] == ["BR-EAST"], "no branch chosen: the manager's own")
            #expect(created["branchId"] as? String == "BR-EAST")
            #expect(Self.ids(try await client.call(.get, "/v1/announcements", as: APITestHub.d1, hub: hub)).contains(id))
            #expect(Self.ids(try await client.call(.get, "/v1/announcements", as: APITestHub.d2, hub: hub)).contains(id), "tier 2 too: no tier chosen")
            #expect(!Self.ids(try await client.call(.get, "/v1/announcements", as: APITestHub.d3, hub: hub)).contains(id))
            #expect(try await client.call(.get, "/v1/announcements/\(id)", as: APITestHub.northManager, hub: hub).status == .notFound)
            #expect(try await client.call(.get, "/v1/announcements/\(id)/readership", as: APITestHub.northManager, hub: hub).status == .notFound)
            #expect(Self.ids(try await client.call(.get, "/v1/announcements", as: APITestHub.eastManager, hub: hub)).contains(id))
            #expect(try await client.call(.post, "/v1/announcements/\(id)/acknowledge", as: APITestHub.d1, hub: hub).status == .unprocessableContent,
                    "a promotion asks for no acknowledgement")

            let outside = try await client.call(.post, "/v1/announcements", as: APITestHub.eastManager, hub: hub,
                                                body: #"{"kind":"brand","title":"品牌","body":"x","audience":{"branches":["BR-NORTH"],"dealers":["D3"]}}"#)
            #expect(outside.status == .unprocessableContent && outside.text.contains("audience.branches") && outside.text.contains("audience.dealers"), "\(outside.text)")
            for (principal, status) in [(APITestHub.d1, HTTPResponse.Status.forbidden), (APITestHub.rep1, .forbidden), (APITestHub.carrier, .forbidden)] {
                let answer = try await client.call(.post, "/v1/announcements", as: principal, hub: hub, body: #"{"kind":"brand","title":"t","body":"b"}"#)
                #expect(answer.status == status, "\(principal.subject): \(answer.status)")
            }
        }
    }

    @Test("a promotion's price: the dealer it reaches sees it in /v1/prices and its order is priced by it, naming it; others do not; withdrawn, it stops")
    func promotionPrice() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let until = Timestamp(Date().addingTimeInterval(86_400)).text
            let body = """
                {"kind":"promotion","title":"北京工业油限时价","body":"M3 限时 45 元","expiresAt":"\(until)","audience":{"dealers":["D3"]},
                 "promotionPrices":[{"materialId":"M3","price":"45.00"}]}
                """
            let created = try await client.call(.post, "/v1/announcements", as: APITestHub.northManager, hub: hub, body: body)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created["announcementId"] as? String)
            func promotion(as principal: Principal, _ query: String = "") async throws -> [String: Any]? {
                let prices = try await client.call(.get, "/v1/prices?materialId=M3" + query, as: principal, hub: hub)
                #expect(prices.status == .ok, "\(prices.text)")
                return (prices["prices"] as? [[String: Any]])?.first?["promotion"] as? [String: Any]
            }
            let seen = try await promotion(as: APITestHub.d3)
            #expect(seen?["announcementId"] as? String == id && seen?["unitPrice"] as? String == "45", "\(String(describing: seen))")
            #expect(try await promotion(as: APITestHub.northManager, "&dealerId=D3")?["announcementId"] as? String == id, "staff see the dealer's price")

            let order = try await client.call(.post, "/v1/orders", as: APITestHub.d3, hub: hub, body: #"{"lines":[{"materialId":"M3","quantity":"4"}]}"#)
            #expect(order.status == .created, "\(order.text)")
            let line = (order["lines"] as? [[String: Any]])?.first
            #expect(line?["unitPrice"] as? String == "45" && line?["promotionId"] as? String == id, "\(order.text)")
            #expect((order["total"] as? [String: Any])?["amount"] as? String == "180")

            #expect(try await client.call(.post, "/v1/announcements/\(id)/withdraw", as: APITestHub.northManager, hub: hub, body: "{}").status == .ok)
            #expect(try await promotion(as: APITestHub.d3) == nil, "withdrawn, the list price stands")
            let after = try await client.call(.post, "/v1/orders", as: APITestHub.d3, hub: hub, body: #"{"lines":[{"materialId":"M3","quantity":"4"}]}"#)
            let afterLine = (after["lines"] as? [[String: Any]])?.first
            #expect(afterLine?["unitPrice"] as? String == "50" && afterLine?["promotionId"] == nil, "\(after.text)")
        }
    }

    @Test("bad announcements are refused naming each field; the audience preview counts the dealers in the caller's scope")
    func badInputAndPreview() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let bad = try await client.call(.post, "/v1/announcements", as: APITestHub.admin, hub: hub, body: """
                {"kind":"rumour","title":"","body":"x","requiresAcknowledgement":true,"expiresAt":"2020-01-01T00:00:00Z",
                 "links":[{"title":"x","url":"javascript:alert(1)"}],"promotionPrices":[{"materialId":"M1","price":"-1"}],
                 "audience":{"tiers":["tier3"],"productLines":["engine"]},"colour":"red"}
                """)
            #expect(bad.status == .unprocessableContent, "\(bad.text)")
            for field in ["kind:", "title:", "expiresAt:", "links[0].url:", "promotionPrices[0].price:", "audience.tiers:", "audience.productLines:", "colour:"] {
                #expect(bad.text.contains(field), "names \(field): \(bad.text)")
            }
            let unknownMaterial = try await client.call(.post, "/v1/announcements", as: APITestHub.admin, hub: hub,
                                                        body: #"{"kind":"new-product","title":"新品","body":"x","materialIds":["M-NOPE"]}"#)
            #expect(unknownMaterial.status == .unprocessableContent && unknownMaterial.text.contains("M-NOPE"), "\(unknownMaterial.text)")

            let groups = try await client.call(.post, "/v1/announcements/audience-preview", as: APITestHub.admin, hub: hub,
                                               body: #"{"audience":{"permissionGroups":["PG1","PG2"]}}"#)
            #expect(groups["dealers"] as? Int == 2 && (groups["branches"] as? [[String: Any]])?.count == 2, "\(groups.text)")
            let automotiveA = try await client.call(.post, "/v1/announcements/audience-preview", as: APITestHub.admin, hub: hub,
                                                    body: #"{"audience":{"productLines":["automotive-packaged"],"customerClasses":["A"],"permissionGroups":["PG1","PG2"]}}"#)
            #expect(automotiveA["dealers"] as? Int == 1, "D1 is A in automotive; D3 is C there: \(automotiveA.text)")
            let named = try await client.call(.post, "/v1/announcements/audience-preview", as: APITestHub.eastManager, hub: hub,
                                              body: #"{"audience":{"dealers":["D1","D2","D3"]}}"#)
            #expect(named["dealers"] as? Int == 2, "dealers named alone stay those dealers, counted in the manager's branch: \(named.text)")
            let east = try await client.call(.post, "/v1/announcements/audience-preview", as: APITestHub.eastManager, hub: hub, body: "{}")
            #expect((east["branches"] as? [[String: Any]])?.compactMap { $0["branchId"] as? String } == ["BR-EAST"], "everyone, for a branch manager, is its branch: \(east.text)")
            #expect(try await client.call(.post, "/v1/announcements/audience-preview", as: APITestHub.d1, hub: hub, body: "{}").status == .forbidden)
        }
    }
}
