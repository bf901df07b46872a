import Foundation
import HubAPI
import HubContracts
@_spi(SQL) import HubStore
import Hummingbird
import HummingbirdTesting
import Kafka
import KafkaTestSupport
import Testing

/// Permission groups and warehouses administered through the API: one path with the ERP's (an
/// event on the topic, the core applies it once), audited, versioned, scoped.
@Suite("HTTP API: administering permission groups and warehouses", .serialized)
struct MasterDataAdministrationTests {
    static func unique(_ stem: String) -> String { "\(stem)-\(UUID().uuidString.prefix(6).uppercased())" }

    /// The route answers 200 only once the core applied the change, so the dealer's next read
    /// already shows it (how long that takes is a benchmark's question, not this test's).
    @Test("a group created through the API changes a dealer's catalogue, prices and stock at once, goes out on hub.permission-groups, and is audited")
    func groupChangesWhatADealerSees() async throws {
        let hub = try await APITestHub.shared.value
        let groupId = Self.unique("PG-API")
        try await hub.application().test(.router) { client in
            let before = try await client.call(.get, "/v1/catalogue", as: APITestHub.d3, hub: hub)
            let materialsBefore = Set((before["materials"] as? [[String: Any]] ?? []).compactMap { $0["materialId"] as? String })
            #expect(!materialsBefore.contains("M1"), "D3 does not see the automotive M1 before: \(materialsBefore)")

            // M1 granted by material, not by product line: the product-line managers' view of D3 (other suites, same hub) stays as it was.
            let body = #"{"version":0,"name":"华北汽车油 试点","dealerIds":["D3"],"materialIds":["M1"],"priceListId":"PL1","stockLocations":[{"warehouseId":"WH1"}]}"#
            let created = try await client.call(.put, "/v1/permission-groups/\(groupId)", as: APITestHub.admin, hub: hub, body: body)
            #expect(created.status == .ok, "\(created.text)")
            #expect(created["version"] as? Int == 1 && created["dealerIds"] as? [String] == ["D3"])
            let catalogue = try await client.call(.get, "/v1/catalogue", as: APITestHub.d3, hub: hub)
            let prices = try await client.call(.get, "/v1/prices?materialId=M1", as: APITestHub.d3, hub: hub)
            let stock = try await client.call(.get, "/v1/stock?materialId=M1", as: APITestHub.d3, hub: hub)
            #expect(Set((catalogue["materials"] as? [[String: Any]] ?? []).compactMap { $0["materialId"] as? String }).contains("M1"))
            #expect((prices["prices"] as? [[String: Any]])?.first?["unitPrice"] as? String == "100.00", "\(prices.text)")
            #expect(((stock["stock"] as? [[String: Any]]) ?? []).contains { $0["warehouseId"] as? String == "WH1" }, "\(stock.text)")

            let stale = try await client.call(.put, "/v1/permission-groups/\(groupId)", as: APITestHub.admin, hub: hub, body: body)
            #expect(stale.status == .conflict && stale.isProblem)
            let audit = try await client.call(.get, "/v1/audit?subjectKind=permission-group&subjectId=\(groupId)", as: APITestHub.admin, hub: hub)
            let entry = (audit["entries"] as? [[String: Any]])?.first
            #expect(entry?["action"] as? String == "permission-group.created" && entry?["actor"] as? String == APITestHub.admin.subject)
            #expect((entry?["after"] as? [String: String])?["dealerIds"] == "D3")
        }
        // An independent consumer of the topic sees the group as the API published it.
        let reader = try TestBroker.consumer(topics: [hub.prefix + TopicName.permissionGroups])
        let deadline = ContinuousClock.now + .seconds(30)
        var found: PermissionGroupUpserted?
        while found == nil, ContinuousClock.now < deadline {
            for message in try await TestBroker.collect(1, from: reader, timeout: .seconds(30)) {
                let event = try CanonicalEvent.decode(message.value ?? [])
                if let group = event.data.payload(as: PermissionGroupUpserted.self), group.groupId == groupId { found = group }
            }
        }
        await reader.close()
        #expect(found?.changedBy == APITestHub.admin.subject && found?.dealerIds == ["D3"])
    }

    @Test("a dealer's groups set from the dealer's side: each group touched is published and applied; the ERP's memberships stay; another branch's dealer is 404")
    func memberships() async throws {
        let hub = try await APITestHub.shared.value
        let groupId = Self.unique("PG-MEM")
        try await hub.application().test(.router) { client in
            // An empty group (no catalogue of its own): D2's catalogue, which other suites read, stays as it is.
            let created = try await client.call(.put, "/v1/permission-groups/\(groupId)", as: APITestHub.admin, hub: hub,
                                                body: #"{"version":0,"name":"会员测试","dealerIds":[],"priceListId":"PL1"}"#)
            #expect(created.status == .ok, "\(created.text)")
            let joined = try await client.call(.put, "/v1/dealers/D2/groups", as: APITestHub.eastManager, hub: hub, body: #"{"groupIds":["\#(groupId)"]}"#)
            #expect(joined.status == .ok && (joined["groupIds"] as? [String])?.contains(groupId) == true && joined["changed"] as? [String] == [groupId], "\(joined.text)")
            let group = try await client.call(.get, "/v1/permission-groups/\(groupId)", as: APITestHub.admin, hub: hub)
            #expect(group["dealerIds"] as? [String] == ["D2"] && group["version"] as? Int == 2, "the group's own list holds the dealer: \(group.text)")
            let audit = try await client.call(.get, "/v1/audit?subjectKind=permission-group&subjectId=\(groupId)", as: APITestHub.admin, hub: hub)
            #expect((audit["entries"] as? [[String: Any]])?.first?["actor"] as? String == APITestHub.eastManager.subject)

            let left = try await client.call(.put, "/v1/dealers/D2/groups", as: APITestHub.admin, hub: hub, body: #"{"groupIds":[]}"#)
            #expect(left.status == .ok && (left["groupIds"] as? [String])?.contains(groupId) == false, "\(left.text)")

            let erp = try await client.call(.put, "/v1/dealers/D1/groups", as: APITestHub.admin, hub: hub, body: #"{"groupIds":[]}"#)
            #expect(erp.status == .unprocessableContent && (erp["issues"] as? [String])?.first?.contains("PG1 is given by the ERP") == true, "\(erp.text)")
            let held = try await client.call(.get, "/v1/dealers/D1/groups", as: APITestHub.admin, hub: hub)
            #expect(held["groupIds"] as? [String] == ["PG1"] && held["fromERP"] as? [String] == ["PG1"], "\(held.text)")

            #expect(try await client.call(.get, "/v1/dealers/D3/groups", as: APITestHub.eastManager, hub: hub).status == .notFound)
            let unknown = try await client.call(.put, "/v1/dealers/D2/groups", as: APITestHub.admin, hub: hub, body: #"{"groupIds":["PG-NOPE"],"colour":1}"#)
            #expect(unknown.status == .unprocessableContent && (unknown["issues"] as? [String])?.contains { $0.hasPrefix("colour:") } == true)
            let missing = try await client.call(.put, "/v1/dealers/D2/groups", as: APITestHub.admin, hub: hub, body: #"{"groupIds":["PG-NOPE"]}"#)
            #expect(missing.status == .unprocessableContent && (missing["issues"] as? [String]) == ["groupIds: group PG-NOPE is not known"], "\(missing.text)")
        }
    }

    @Test("what a group names must exist; a branch manager's groups hold only its branch's dealers; another branch's group is 404")
    func refusals() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let unknown = try await client.call(.put, "/v1/permission-groups/\(Self.unique("PG-BAD"))", as: APITestHub.admin, hub: hub,
                                                body: #"{"version":0,"name":"x","dealerIds":["D-NOPE"],"materialIds":["M-NOPE"],"priceListId":"PL-NOPE","stockLocations":[{"warehouseId":"WH-NOPE"}],"colour":"red"}"#)
            #expect(unknown.status == .unprocessableContent && (unknown["issues"] as? [String])?.contains { $0.hasPrefix("colour:") } == true)
            let missing = try await client.call(.put, "/v1/permission-groups/\(Self.unique("PG-BAD"))", as: APITestHub.admin, hub: hub,
                                                body: #"{"version":0,"name":"x","dealerIds":["D-NOPE"],"materialIds":["M-NOPE"],"priceListId":"PL-NOPE","stockLocations":[{"warehouseId":"WH-NOPE"}]}"#)
            let issues = (missing["issues"] as? [String] ?? []).joined(separator: "\n")
            #expect(missing.status == .unprocessableContent && ["dealerIds:", "materialIds:", "priceListId:", "stockLocations:"].allSatisfy { issues.contains($0) }, "\(issues)")
            // A region's group holds thousands of dealers: the list is read whole (up to 60,000), each id checked.
            let many = (0..<1_500).map { "\"D-NOPE-\($0)\"" }.joined(separator: ",")
            let large = try await client.call(.put, "/v1/permission-groups/\(Self.unique("PG-BIG"))", as: APITestHub.admin, hub: hub,
                                              body: #"{"version":0,"name":"x","dealerIds":[\#(many)],"priceListId":"PL1"}"#)
            #expect(large.status == .unprocessableContent && (large["issues"] as? [String])?.first == "dealerIds: dealer D-NOPE-0 is not known", "\(large.status) \(large.text.prefix(300))")
            let foreign = try await client.call(.put, "/v1/permission-groups/\(Self.unique("PG-EAST"))", as: APITestHub.eastManager, hub: hub,
                                                body: #"{"version":0,"name":"东区","dealerIds":["D1","D3"],"priceListId":"PL1"}"#)
            #expect(foreign.status == .unprocessableContent && (foreign["issues"] as? [String])?.contains { $0.contains("D3") } == true)
            #expect(try await client.call(.get, "/v1/permission-groups/PG2", as: APITestHub.eastManager, hub: hub).status == .notFound)
            #expect(try await client.call(.get, "/v1/permission-groups/PG1", as: APITestHub.eastManager, hub: hub).status == .ok)
            #expect(try await client.call(.get, "/v1/permission-groups", as: APITestHub.d1, hub: hub).status == .forbidden)
            func listed(_ principal: Principal) async throws -> Set<String> {
                let list = try await client.call(.get, "/v1/permission-groups", as: principal, hub: hub)
                return Set((list["groups"] as? [[String: Any]] ?? []).compactMap { $0["groupId"] as? String })
            }
            let eastGroups = try await listed(APITestHub.eastManager), allGroups = try await listed(APITestHub.admin)
            #expect(eastGroups.contains("PG1") && !eastGroups.contains("PG2") && allGroups.isSuperset(of: ["PG1", "PG2"]), "east \(eastGroups), all \(allGroups)")
            let erp = try await client.call(.patch, "/v1/dealers/D1", as: APITestHub.admin, hub: hub, body: #"{"name":"改名"}"#)
            #expect(erp.status == .conflict && (erp["detail"] as? String)?.contains("ERP owns") == true)
        }
    }

    @Test("warehouses: created and changed at their version, a branch manager only its branch's, audited")
    func warehouses() async throws {
        let hub = try await APITestHub.shared.value
        let warehouseId = Self.unique("WH-API")
        try await hub.application().test(.router) { client in
            let created = try await client.call(.put, "/v1/warehouses/\(warehouseId)", as: APITestHub.eastManager, hub: hub,
                                                body: #"{"version":0,"name":"苏州前置仓","plantId":"P1011","branchId":"BR-EAST","province":"江苏","city":"苏州"}"#)
            #expect(created.status == .ok && created["version"] as? Int == 1, "\(created.text)")
            let moved = try await client.call(.put, "/v1/warehouses/\(warehouseId)", as: APITestHub.eastManager, hub: hub,
                                              body: #"{"version":1,"name":"苏州前置仓","plantId":"P1011","branchId":"BR-NORTH","province":"江苏"}"#)
            #expect(moved.status == .unprocessableContent, "a branch manager cannot give its warehouse away")
            let renamed = try await client.call(.put, "/v1/warehouses/\(warehouseId)", as: APITestHub.admin, hub: hub,
                                                body: #"{"version":1,"name":"苏州一号仓","plantId":"P1011","branchId":"BR-EAST","province":"江苏","city":"苏州"}"#)
            #expect(renamed.status == .ok && renamed["name"] as? String == "苏州一号仓" && renamed["version"] as? Int == 2)
            let audit = try await client.call(.get, "/v1/audit?subjectKind=warehouse&subjectId=\(warehouseId)", as: APITestHub.admin, hub: hub)
            #expect((audit["entries"] as? [[String: Any]])?.compactMap { $0["action"] as? String } == ["warehouse.changed", "warehouse.created"])
            #expect(try await client.call(.get, "/v1/warehouses/WH2", as: APITestHub.eastManager, hub: hub).status == .notFound)
        }
    }

    @Test("contracts: branch staff adjust one at its version, audited, and the dealer's contracted volume follows; another branch's, a dealer and bad fields refused")
    func contracts() async throws {
        let hub = try await APITestHub.shared.value
        let contractId = Self.unique("K-API")
        try await hub.application().test(.router) { client in
            func contracted() async throws -> String? {
                try await client.call(.get, "/v1/analytics/dealers/D1?from=2031-01-01&to=2031-12-31", as: APITestHub.eastManager, hub: hub)["contractedVolume"] as? String
            }
            let before = try #require(try await contracted())
            let body = { (version: Int, litres: String) in
                #"{"version":\#(version),"dealerId":"D1","productLine":"automotive-packaged","validFrom":"2031-01-01","validTo":"2031-12-31","contractedLitres":"\#(litres)"}"#
            }
            let created = try await client.call(.put, "/v1/contracts/\(contractId)", as: APITestHub.eastManager, hub: hub, body: body(0, "36500"))
            #expect(created.status == .ok && created["version"] as? Int == 1 && created["contractedLitres"] as? String == "36500", "\(created.text)")
            let adjusted = try await client.call(.put, "/v1/contracts/\(contractId)", as: APITestHub.admin, hub: hub, body: body(1, "40000"))
            #expect(adjusted.status == .ok && adjusted["version"] as? Int == 2, "\(adjusted.text)")
            let stale = try await client.call(.put, "/v1/contracts/\(contractId)", as: APITestHub.eastManager, hub: hub, body: body(1, "1"))
            #expect(stale.status == .conflict && stale.isProblem)
            let after = try #require(try await contracted())
            #expect(Decimal(string: after)! - Decimal(string: before)! == 40_000, "the year's figures count the adjusted contract: \(before) → \(after)")
            let audit = try await client.call(.get, "/v1/audit?subjectKind=contract&subjectId=\(contractId)", as: APITestHub.admin, hub: hub)
            let entries = try #require(audit["entries"] as? [[String: Any]])
            #expect(entries.compactMap { $0["action"] as? String } == ["contract.changed", "contract.created"])
            #expect((entries.first?["before"] as? [String: Any])?["contractedLitres"] as? String == "36500"
                    && (entries.first?["after"] as? [String: Any])?["contractedLitres"] as? String == "40000", "\(audit.text)")
            let listed = try await client.call(.get, "/v1/contracts?dealerId=D1", as: APITestHub.d1, hub: hub)
            #expect((listed["contracts"] as? [[String: Any]])?.contains { $0["contractId"] as? String == contractId } == true, "the dealer sees its contracts")

            for (principal, status) in [(APITestHub.northManager, HTTPResponse.Status.notFound), (APITestHub.d1, .forbidden), (APITestHub.rep1, .forbidden)] {
                let answer = try await client.call(.put, "/v1/contracts/\(contractId)", as: principal, hub: hub, body: body(2, "1"))
                #expect(answer.status == status, "\(principal.subject): \(answer.status)")
            }
            #expect(try await client.call(.get, "/v1/contracts/\(contractId)", as: APITestHub.northManager, hub: hub).status == .notFound)
            #expect(try await client.call(.get, "/v1/contracts?dealerId=D1", as: APITestHub.d3, hub: hub).status == .notFound)
            let otherBranch = try await client.call(.put, "/v1/contracts/\(Self.unique("K-API"))", as: APITestHub.eastManager, hub: hub,
                                                    body: #"{"version":0,"dealerId":"D3","productLine":"industrial-packaged","validFrom":"2031-01-01","validTo":"2031-12-31","contractedLitres":"5"}"#)
            #expect(otherBranch.status == .unprocessableContent && otherBranch.text.contains("another branch"))
            let bad = try await client.call(.put, "/v1/contracts/\(Self.unique("K-API"))", as: APITestHub.admin, hub: hub,
                                            body: #"{"version":0,"dealerId":"D1","productLine":"engine","validFrom":"2031-02-01","validTo":"2031-01-01","status":"maybe"}"#)
            #expect(bad.status == .unprocessableContent, "\(bad.text)")
            for field in ["productLine:", "validTo:", "contractedLitres:", "status:"] { #expect(bad.text.contains(field), "names \(field): \(bad.text)") }
        }
    }
}
