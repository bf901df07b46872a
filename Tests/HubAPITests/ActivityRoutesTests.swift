import Foundation
import HTTPTypes
import HubAPI
import HubContracts
@_spi(SQL) import HubStore
import Hummingbird
import HummingbirdTesting
import KafkaTestSupport
import Testing

/// The sales force's activities over the API: who sees and changes which (a rep its own, managers
/// their dealers', dealers none), a plan carried out, a change on a stale version refused, and the
/// workload: planned against done, dealers contacted, next steps overdue, the rep's quiet dealers.
@Suite("HTTP API: the sales force's activities and workload", .serialized)
struct ActivityRoutesTests {
    static func text(_ date: Date) -> String { Timestamp(date).text }

    @Test("a rep's own activities: scope for reps, managers and dealers; a plan done on the current version; the workload counts plan, done, overdue and quiet dealers")
    func activitiesAndWorkload() async throws {
        let hub = try await APITestHub.shared.value
        // A rep of its own (R1, like D1's), so the shared hub's other suites do not touch its activities.
        let user = try await hub.addUser("rep-\(UUID().uuidString.prefix(8).lowercased())", password: "rep-pass-2026!", role: .salesRep, branchId: "BR-EAST", salesRepId: "R1")
        let rep = Principal(subject: user.userId, role: .salesRep, branchId: "BR-EAST", salesRepId: "R1")
        try await hub.application().test(.router) { client in
            func post(_ body: String, as principal: Principal = rep) async throws -> APIAnswer {
                try await client.call(.post, "/v1/activities", as: principal, hub: hub, body: body)
            }
            let now = Date()
            let visit = try await post(#"{"dealerId":"D1","kind":"visit","status":"planned","plannedFor":"\#(Self.text(now.addingTimeInterval(86_400)))","notes":"带新品样品"}"#)
            #expect(visit.status == .created && visit["version"] as? Int == 1 && visit["ownerId"] as? String == rep.subject, "\(visit.text)")
            let visitId = try #require(visit["activityId"] as? String)
            let yesterday = DayPeriodText.day(now.addingTimeInterval(-86_400))
            let call = try await post(#"{"dealerId":"D1","kind":"call","status":"done","doneAt":"\#(Self.text(now.addingTimeInterval(-3_600)))","outcome":"催货款","nextStep":{"action":"寄对账单","due":"\#(yesterday)"}}"#)
            #expect(call.status == .created && call["status"] as? String == "done", "\(call.text)")
            let callId = try #require(call["activityId"] as? String)

            // Bad input is named; a dealer outside the rep's scope is not found.
            let bad = try await post(#"{"dealerId":"D1","kind":"lunch","status":"planned"}"#)
            #expect(bad.status == .unprocessableContent && bad.text.contains("kind:") && bad.text.contains("plannedFor:"), "\(bad.text)")
            let future = try await post(#"{"dealerId":"D1","kind":"call","status":"done","doneAt":"\#(Self.text(now.addingTimeInterval(86_400)))"}"#)
            #expect(future.status == .unprocessableContent && future.text.contains("doneAt:"), "\(future.text)")
            #expect(try await post(#"{"dealerId":"D3","kind":"call","status":"done"}"#).status == .notFound)

            // Who sees it: the rep and its managers; another rep, another branch and dealers do not.
            for (principal, status) in [(rep, HTTPResponse.Status.ok), (APITestHub.eastManager, .ok), (APITestHub.admin, .ok),
                                        (APITestHub.rep2, .notFound), (APITestHub.northManager, .notFound), (APITestHub.d1, .forbidden), (APITestHub.carrier, .forbidden)] {
                let answer = try await client.call(.get, "/v1/activities/\(visitId)", as: principal, hub: hub)
                #expect(answer.status == status, "\(principal.subject): \(answer.text)")
            }
            let managerList = try await client.call(.get, "/v1/activities?dealerId=D1&ownerId=\(rep.subject)", as: APITestHub.eastManager, hub: hub)
            #expect(Set((managerList["activities"] as? [[String: Any]] ?? []).compactMap { $0["activityId"] as? String }) == [visitId, callId], "\(managerList.text)")
            #expect((try await client.call(.get, "/v1/activities", as: APITestHub.rep2, hub: hub)["activities"] as? [[String: Any]] ?? [])
                .allSatisfy { $0["ownerId"] as? String == APITestHub.rep2.subject })

            // Only its owner changes it, on the version it read.
            let managerChange = try await client.call(.put, "/v1/activities/\(visitId)", as: APITestHub.eastManager, hub: hub, body: #"{"version":1,"status":"cancelled"}"#)
            #expect(managerChange.status == .forbidden, "\(managerChange.text)")
            let done = try await client.call(.put, "/v1/activities/\(visitId)", as: rep, hub: hub,
                                             body: #"{"version":1,"status":"done","outcome":"同意试销 20 箱","place":{"lat":31.23,"lon":121.47,"name":"仓库"},"nextStep":{"action":"发合同","due":"\#(yesterday)"}}"#)
            #expect(done.status == .ok && done["version"] as? Int == 2 && done["status"] as? String == "done" && done["notes"] as? String == "带新品样品", "\(done.text)")
            let stale = try await client.call(.put, "/v1/activities/\(visitId)", as: rep, hub: hub, body: #"{"version":1,"outcome":"x"}"#)
            #expect(stale.status == .conflict && stale.text.contains("version 2"), "\(stale.text)")

            // The workload from yesterday to the day after tomorrow: the visit planned and done, the call done unplanned; one
            // dealer contacted; the call's next step followed by the visit, the visit's own overdue; D1 contacted, the rep's other dealers not.
            let from = DayPeriodText.day(now.addingTimeInterval(-86_400)), to = DayPeriodText.day(now.addingTimeInterval(2 * 86_400))
            let workload = try await client.call(.get, "/v1/activities/workload?from=\(from)&to=\(to)", as: rep, hub: hub)
            let people = try #require(workload["people"] as? [[String: Any]], "\(workload.text)")
            #expect(people.count == 1, "a rep sees its own: \(workload.text)")
            let mine = try #require(people.first)
            #expect([mine["planned"], mine["plannedDone"], mine["done"], mine["dealersContacted"], mine["overdueNextSteps"]].map { $0 as? Int } == [1, 1, 2, 1, 1], "\(mine)")
            let assigned = try #require(mine["assignedDealers"] as? Int)
            #expect(assigned >= 1 && mine["dealersNotContacted"] as? Int == assigned - 1, "\(mine)")
            let team = try await client.call(.get, "/v1/activities/workload?from=\(from)&to=\(to)", as: APITestHub.eastManager, hub: hub)
            #expect((team["people"] as? [[String: Any]] ?? []).contains { $0["ownerId"] as? String == rep.subject && $0["done"] as? Int == 2 }, "\(team.text)")
            // Rolled up: the team's total is its people's sum, and so is the sum of its branches'.
            let members = team["people"] as? [[String: Any]] ?? []
            let total = try #require(team["total"] as? [String: Any], "\(team.text)")
            let branches = try #require(team["byBranch"] as? [[String: Any]], "\(team.text)")
            for field in ["planned", "plannedDone", "done", "dealersContacted", "overdueNextSteps"] {
                let sum = members.reduce(0) { $0 + ($1[field] as? Int ?? 0) }
                #expect(total[field] as? Int == sum && branches.reduce(0) { $0 + ($1[field] as? Int ?? 0) } == sum, "\(field): \(team.text)")
            }
            let north = try await client.call(.get, "/v1/activities/workload?from=\(from)&to=\(to)", as: APITestHub.northManager, hub: hub)
            #expect(!(north["people"] as? [[String: Any]] ?? []).contains { $0["ownerId"] as? String == rep.subject }, "\(north.text)")
            #expect(try await client.call(.get, "/v1/activities/workload?quietDays=0", as: rep, hub: hub).status == .unprocessableContent)
            // The dealers at risk are read within the caller's scope: a rep's own dealers (R1's), never another's.
            let atRisk = try await client.call(.get, "/v1/dealers/at-risk", as: APITestHub.rep2, hub: hub)
            #expect(atRisk.status == .ok && (atRisk["dealers"] as? [[String: Any]] ?? []).allSatisfy { $0["dealerId"] as? String == "D3" }, "\(atRisk.text)")
            #expect(try await client.call(.get, "/v1/dealers/at-risk", as: APITestHub.d1, hub: hub).status == .forbidden)
        }
    }
}

/// China dates for the tests' queries.
enum DayPeriodText {
    static func day(_ date: Date) -> String {
        let shifted = date.addingTimeInterval(8 * 3_600)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day], from: shifted)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }
}
