import Foundation
import HubAPI
import Hummingbird
import HummingbirdTesting
import Testing

/// Flows (流向) end to end: dealers' systems upload sell-through records, the dealer-systems
/// adapter maps them, the core keeps them, and `GET /v1/sell-through` shows each caller exactly
/// what its scope and its permission groups' flows allow.
@Suite("HTTP API: sell-through records (flows) by scope and by the groups' flows", .serialized)
struct SellThroughRoutesTests {
    @Test("uploaded records reach the core; each caller sees its scope; a group's flows let a tier-1 dealer see its tier-2 dealers' records of the group's catalogue")
    func flowsByScope() async throws {
        let hub = try await APITestHub.shared.value
        let stem = "ST-\(UUID().uuidString.prefix(6).uppercased())"
        try await hub.application().test(.router) { client in
            func upload(_ dealer: Principal, _ records: [(id: String, material: String, kind: String, province: String)]) async throws {
                let lines = records.map {
                    #"{"recordId":"\#(stem)-\#($0.id)","materialId":"\#($0.material)","quantity":"12","soldAt":"2026-11-29 10:15:00","customerKind":"\#($0.kind)","province":"\#($0.province)"}"#
                }
                let answer = try await client.call(.post, "/v1/dealer-system/sell-through", as: dealer, hub: hub,
                                                   body: #"{"dealerId":"\#(dealer.dealerId ?? "")","records":[\#(lines.joined(separator: ","))]}"#)
                #expect(answer.status == .accepted, "\(answer.text)")
            }
            // D2 (tier-2 of D1) sold the automotive M1 and the industrial M3; D1 sold M1 to D2; D3 sold M3.
            try await upload(APITestHub.d2, [("A", "M1", "end-customer", "江苏"), ("B", "M3", "end-customer", "江苏")])
            try await upload(APITestHub.d1, [("C", "M1", "tier2", "江苏")])
            try await upload(APITestHub.d3, [("D", "M3", "key-account", "北京")])

            func seen(_ principal: Principal, _ query: String = "") async throws -> Set<String> {
                let answer = try await client.call(.get, "/v1/sell-through?limit=200\(query)", as: principal, hub: hub)
                #expect(answer.status == .ok, "\(answer.text)")
                return Set((answer["records"] as? [[String: Any]] ?? []).compactMap { $0["recordId"] as? String }
                    .filter { $0.hasPrefix(stem) }.map { String($0.dropFirst(stem.count + 1)) })
            }
            let arrived = try await hub.untilCore { try await seen(APITestHub.system) == ["A", "B", "C", "D"] }
            #expect(arrived, "the four records reached the core through the dealer-systems adapter")

            let scopes: [(String, Principal, Set<String>)] = [
                ("admin", APITestHub.admin, ["A", "B", "C", "D"]),
                ("east branch manager", APITestHub.eastManager, ["A", "B", "C"]),
                ("north branch manager", APITestHub.northManager, ["D"]),
                ("上海 area manager", APITestHub.shanghaiArea, ["C"]),
                ("rep R1", APITestHub.rep1, ["C"]),
                ("rep R2", APITestHub.rep2, ["D"]),
                ("automotive product-line manager", DealerDirectoryTests.automotiveLines, ["C"]),
                ("tier-1 D1, before its group's flows reach further", APITestHub.d1, ["C"]),
                ("tier-2 D2", APITestHub.d2, ["A", "B"]),
                ("tier-1 D3", APITestHub.d3, ["D"]),
            ]
            for (who, principal, expected) in scopes {
                #expect(try await seen(principal) == expected, "\(who)")
            }
            #expect(try await client.call(.get, "/v1/sell-through", as: APITestHub.carrier, hub: hub).status == .forbidden)

            // The east branch manager widens PG1's flows: D1 now sees D2's records of PG1's catalogue (the automotive line), not D2's M3.
            let read = try await client.call(.get, "/v1/permission-groups/PG1", as: APITestHub.admin, hub: hub)
            let version = try #require(read["version"] as? Int)
            #expect((read["flows"] as? [String: Any])?["reach"] as? String == "own", "\(read.text)")
            let group = #"{"name":"华东汽车油","dealerIds":["D1"],"productLines":["automotive-packaged"],"priceListId":"PL1","stockLocations":[{"warehouseId":"WH1"}]"#
            let bad = try await client.call(.put, "/v1/permission-groups/PG1", as: APITestHub.eastManager, hub: hub,
                                            body: group + #","version":\#(version),"flows":{"reach":"everyone","colour":1}}"#)
            let issues = bad["issues"] as? [String] ?? []
            #expect(bad.status == .unprocessableContent && issues.contains { $0.hasPrefix("flows.reach:") } && issues.contains { $0.hasPrefix("flows.colour:") }, "\(bad.text)")
            let widened = try await client.call(.put, "/v1/permission-groups/PG1", as: APITestHub.eastManager, hub: hub,
                                                body: group + #","version":\#(version),"flows":{"reach":"own-and-tier2"}}"#)
            #expect(widened.status == .ok && (widened["flows"] as? [String: Any])?["reach"] as? String == "own-and-tier2", "\(widened.text)")
            #expect(try await seen(APITestHub.d1) == ["A", "C"], "D1 with PG1 reaching its tier-2 dealers")
            #expect(try await seen(APITestHub.d2) == ["A", "B"], "a tier-2 dealer still sees only its own")
            #expect(try await seen(APITestHub.d3) == ["D"])
            #expect(try await seen(APITestHub.d1, "&dealerId=D2") == ["A"], "filtered to D2's records")
            #expect(try await seen(APITestHub.d1, "&customerKind=tier2") == ["C"])

            // A change that does not name the flows keeps them (the ERP's groups never carry them).
            let renamed = try await client.call(.put, "/v1/permission-groups/PG1", as: APITestHub.admin, hub: hub,
                                                body: group + #","version":\#(version + 1)}"#)
            #expect(renamed.status == .ok && (renamed["flows"] as? [String: Any])?["reach"] as? String == "own-and-tier2", "\(renamed.text)")
            let audit = try await client.call(.get, "/v1/audit?subjectKind=permission-group&subjectId=PG1", as: APITestHub.admin, hub: hub)
            let change = (audit["entries"] as? [[String: Any]] ?? []).first { ($0["actor"] as? String) == APITestHub.eastManager.subject }
            #expect((change?["before"] as? [String: String])?["flows"] == "own" && (change?["after"] as? [String: String])?["flows"] == "own-and-tier2", "\(audit.text)")
        }
    }

    @Test("paging and filters: a cursor walks the list without repeats; a bad query is 422 naming each field")
    func pagingAndFilters() async throws {
        let hub = try await APITestHub.shared.value
        let stem = "SP-\(UUID().uuidString.prefix(6).uppercased())"
        try await hub.application().test(.router) { client in
            let records = (1...5).map { index in
                #"{"recordId":"\#(stem)-\#(index)","materialId":"M3","quantity":"\#(index)","soldAt":"2026-10-0\#(index)T08:00:00Z","customerKind":"quick-lube","province":"河北"}"#
            }
            let answer = try await client.call(.post, "/v1/dealer-system/sell-through", as: APITestHub.d3, hub: hub,
                                               body: #"{"dealerId":"D3","records":[\#(records.joined(separator: ","))]}"#)
            #expect(answer.status == .accepted, "\(answer.text)")
            func page(_ query: String) async throws -> (ids: [String], next: String?) {
                let answer = try await client.call(.get, "/v1/sell-through?dealerId=D3&customerKind=quick-lube&province=%E6%B2%B3%E5%8C%97\(query)", as: APITestHub.d3, hub: hub)
                #expect(answer.status == .ok, "\(answer.text)")
                let ids = (answer["records"] as? [[String: Any]] ?? []).compactMap { $0["recordId"] as? String }.filter { $0.hasPrefix(stem) }
                return (ids, answer["nextCursor"] as? String)
            }
            #expect(try await hub.untilCore { try await page("").ids.count == 5 }, "the five records reached the core")
            var walked: [String] = []
            var cursor: String?
            repeat {
                let next = try await page("&limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                walked += next.ids
                cursor = next.next
            } while cursor != nil
            #expect(walked == (1...5).reversed().map { "\(stem)-\($0)" }, "newest recorded first, each once")
            let october = try await page("&from=2026-10-02T00:00:00Z&to=2026-10-04T00:00:00Z")
            #expect(Set(october.ids) == ["\(stem)-2", "\(stem)-3"], "sold from the 2nd to before the 4th")

            let bad = try await client.call(.get, "/v1/sell-through?from=yesterday&customerKind=friend&cursor=abc&limit=0&dealerId=%20", as: APITestHub.d3, hub: hub)
            let issues = bad["issues"] as? [String] ?? []
            #expect(bad.status == .unprocessableContent && bad.isProblem, "\(bad.text)")
            for field in ["from:", "customerKind:", "cursor:", "limit:", "dealerId:"] {
                #expect(issues.contains { $0.hasPrefix(field) }, "\(field) named in \(issues)")
            }
        }
    }
}
