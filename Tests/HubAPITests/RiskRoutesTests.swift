import Foundation
import HubAPI
@_spi(SQL) import HubStore
import Hummingbird
import HummingbirdTesting
import Testing

/// Risky customers over HTTP, against the test hub's real core: who reads and who decides, as a
/// matrix; a review kept, audited and read back by the dealer itself; what may not follow what.
/// (A hold refusing an order and its release: `RiskRulesTests`, through the core's rules — a hold
/// here would refuse the other suites' orders of the shared hub.)
@Suite("HTTP API: risky customers reviewed by branch staff")
struct RiskRoutesTests {
    @Test("read in scope, decided by branch staff in scope; a warning kept and audited; the dealer reads its own standing only; bad outcomes named")
    func reviewMatrix() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            // Who reads D3 (north branch, rep R2).
            let readers: [(Principal, HTTPResponse.Status)] = [
                (APITestHub.admin, .ok), (APITestHub.northManager, .ok), (APITestHub.rep2, .ok), (APITestHub.eastManager, .notFound),
                (APITestHub.shanghaiArea, .notFound), (APITestHub.rep1, .notFound), (APITestHub.d3, .ok), (APITestHub.d1, .notFound),
                (APITestHub.carrier, .forbidden), (APITestHub.system, .forbidden),
            ]
            for (principal, status) in readers {
                let answer = try await client.call(.get, "/v1/risk/dealers/D3", as: principal, hub: hub)
                #expect(answer.status == status, "\(principal.subject) reads D3: \(answer.status) \(answer.text.prefix(160))")
            }
            // Who decides: a sales rep, a dealer, a product-line manager may not; the east branch's manager does not reach D3.
            let body = #"{"outcome":"warning","reason":"窜货提醒：已约谈"}"#
            let deciders: [(Principal, HTTPResponse.Status)] = [
                (APITestHub.rep2, .forbidden), (APITestHub.d3, .forbidden), (APITestHub.eastManager, .notFound), (APITestHub.shanghaiArea, .notFound),
                (Principal(subject: "U-PLM", role: .productLineManager, productLines: ["industrial-packaged"]), .forbidden),
            ]
            for (principal, status) in deciders {
                let answer = try await client.call(.post, "/v1/risk/dealers/D3/reviews", as: principal, hub: hub, body: body)
                #expect(answer.status == status, "\(principal.subject) decides on D3: \(answer.status) \(answer.text.prefix(160))")
            }
            let bad = try await client.call(.post, "/v1/risk/dealers/D3/reviews", as: APITestHub.northManager, hub: hub, body: #"{"outcome":"fine","reason":" ","extra":1}"#)
            #expect(bad.status == .unprocessableContent, "\(bad.text)")
            for field in ["outcome: one of", "reason:", "extra:"] { #expect(bad.text.contains(field), "names \(field): \(bad.text)") }

            let warned = try await client.call(.post, "/v1/risk/dealers/D3/reviews", as: APITestHub.northManager, hub: hub, body: body)
            #expect(warned.status == .created, "\(warned.text)")
            let standing = try #require(warned["standing"] as? [String: Any], "\(warned.text)")
            #expect(standing["outcome"] as? String == "warning" && standing["reviewedBy"] as? String == APITestHub.northManager.subject)
            #expect(warned["refusesOrders"] as? Bool == false && (warned["reviews"] as? [Any])?.isEmpty == false)
            let released = try await client.call(.post, "/v1/risk/dealers/D3/reviews", as: APITestHub.admin, hub: hub, body: #"{"outcome":"released","reason":"x"}"#)
            #expect(released.status == .unprocessableContent && released.text.contains("the dealer has neither"), "only a hold or block is released: \(released.text)")

            let own = try await client.call(.get, "/v1/risk/dealers/D3", as: APITestHub.d3, hub: hub)
            #expect(own["outcome"] as? String == "warning" && own["reason"] as? String == "窜货提醒：已约谈" && own["refusesOrders"] as? Bool == false, "\(own.text)")
            #expect(own["flags"] == nil && own["reviews"] == nil, "a dealer reads why, not the staff's evidence: \(own.text)")
            let audited = try await hub.rows("SELECT action, actor FROM audit_log WHERE subject_kind = 'dealer-risk' AND subject_id = 'D3'")
            #expect(audited.contains { $0.string(0) == "dealer-risk.warning" }, "\(audited.map { $0.string(0) })")

            let list = try await client.call(.get, "/v1/risk/dealers?status=all", as: APITestHub.northManager, hub: hub)
            let rows = try #require(list["dealers"] as? [[String: Any]], "\(list.text)")
            #expect(rows.contains { $0["dealerId"] as? String == "D3" && $0["status"] as? String == "reviewed" }, "\(list.text)")
            #expect(rows.allSatisfy { $0["branchId"] as? String == "BR-NORTH" }, "a branch manager's list is its branch's")
            let east = try await client.call(.get, "/v1/risk/dealers?status=all", as: APITestHub.eastManager, hub: hub)
            #expect(!((east["dealers"] as? [[String: Any]]) ?? []).contains { $0["dealerId"] as? String == "D3" })
            #expect(try await client.call(.get, "/v1/risk/dealers?status=odd", as: APITestHub.admin, hub: hub).status == .unprocessableContent)
            #expect(try await client.call(.get, "/v1/risk/dealers", as: APITestHub.d3, hub: hub).status == .forbidden)
        }
    }
}
