import Foundation
import HubAPI
import HubContracts
@_spi(SQL) import HubStore
import Hummingbird
import HummingbirdTesting
import Testing

/// Surveys (R6) through the API, on the shared test hub: published to an audience, answered once
/// per dealer, results by group and as formula-safe CSV — and an anonymous survey's respondent
/// shown by no staff route and kept nowhere.
@Suite("HTTP API: surveys", .serialized)
struct SurveyRoutesTests {
    static let questions = #"[{"kind":"scale","text":"发货速度"},{"kind":"recommend","text":"推荐意愿"},{"kind":"single","text":"主要客户","options":["车队","修理厂"]},{"kind":"text","text":"建议","required":false}]"#

    @Test("an anonymous survey: D1 and D3 answer, D2 is not asked; nobody answers twice; no staff route and no row names a respondent; CSV is formula-safe")
    func anonymous() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let closes = Timestamp(Date().addingTimeInterval(7 * 86_400)).text
            let body = #"{"kind":"satisfaction","title":"季度满意度","questions":\#(Self.questions),"audience":{"tiers":["tier1"],"permissionGroups":["PG1","PG2"]},"closesAt":"\#(closes)","anonymous":true}"#
            let created = try await client.call(.post, "/v1/surveys", as: APITestHub.admin, hub: hub, body: body)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(created["surveyId"] as? String)

            let listed = try await client.call(.get, "/v1/surveys", as: APITestHub.d1, hub: hub)
            let mine = (listed["surveys"] as? [[String: Any]])?.first { $0["surveyId"] as? String == id }
            #expect(mine?["responded"] as? Bool == false && mine?["audience"] == nil, "\(listed.text)")
            #expect(try await client.call(.get, "/v1/surveys/\(id)", as: APITestHub.d2, hub: hub).status == .notFound, "D2 is not in the audience")

            let bad = try await client.call(.post, "/v1/surveys/\(id)/responses", as: APITestHub.d1, hub: hub,
                                            body: #"{"answers":[{"questionId":"q1","score":7},{"questionId":"q2","score":9}]}"#)
            #expect(bad.status == .unprocessableContent && bad.text.contains("answers.q1") && bad.text.contains("answers.q3"), "\(bad.text)")
            let answer1 = #"{"answers":[{"questionId":"q1","score":5},{"questionId":"q2","score":10},{"questionId":"q3","choices":[0]},{"questionId":"q4","text":"=HYPERLINK(\"http://x\",\"点我\")"}]}"#
            #expect(try await client.call(.post, "/v1/surveys/\(id)/responses", as: APITestHub.d1, hub: hub, body: answer1).status == .accepted)
            let answer3 = #"{"answers":[{"questionId":"q1","score":3},{"questionId":"q2","score":6},{"questionId":"q3","choices":[1]}]}"#
            #expect(try await client.call(.post, "/v1/surveys/\(id)/responses", as: APITestHub.d3, hub: hub, body: answer3).status == .accepted)

            var results = APIAnswer(status: .ok, headers: [:], text: "{}")
            let counted = try await hub.untilCore {
                results = try await client.call(.get, "/v1/surveys/\(id)/results", as: APITestHub.admin, hub: hub)
                return (results["groups"] as? [[String: Any]])?.first?["responses"] as? Int == 2
            }
            #expect(counted, "\(results.text)")
            #expect(try await client.call(.get, "/v1/surveys/\(id)/response", as: APITestHub.d1, hub: hub).status == .ok, "D1's response is kept")
            #expect(try await client.call(.get, "/v1/surveys/\(id)/response", as: APITestHub.d2, hub: hub).status == .notFound)
            let again = try await client.call(.post, "/v1/surveys/\(id)/responses", as: APITestHub.d1, hub: hub, body: answer1)
            #expect(again.status == .conflict, "one response per dealer: \(again.text)")
            let seen = try await client.call(.get, "/v1/surveys", as: APITestHub.d1, hub: hub)
            #expect((seen["surveys"] as? [[String: Any]])?.first { $0["surveyId"] as? String == id }?["responded"] as? Bool == true)

            // No staff route names a respondent, and nothing is kept that could.
            for by in ["all", "branch", "tier", "product-line"] {
                for format in ["json", "csv"] {
                    let answer = try await client.call(.get, "/v1/surveys/\(id)/results?by=\(by)&format=\(format)", as: APITestHub.admin, hub: hub)
                    #expect(answer.status == .ok)
                    // The survey's own random id may hold "D1" by chance: it is no respondent.
                    let shown = answer.text.replacingOccurrences(of: id, with: "SURVEY")
                    for respondent in ["D1", "D3", APITestHub.d1.subject, APITestHub.d3.subject, "上海一级", "北京一级"] {
                        #expect(!shown.contains(respondent), "\(by) \(format) shows \(respondent)")
                    }
                }
            }
            let byBranch = try await client.call(.get, "/v1/surveys/\(id)/results?by=branch", as: APITestHub.admin, hub: hub)
            #expect((byBranch["groups"] as? [Any])?.isEmpty == true && byBranch["suppressedGroups"] as? Int == 2,
                    "one respondent per branch: each branch's group would name its dealer — left out: \(byBranch.text)")
            let rows = try await hub.rows("SELECT dealer_id, user_id FROM survey_responses WHERE survey_id = ?", .text(id))
            #expect(rows.count == 2 && rows.allSatisfy { $0.isNull(0) && $0.isNull(1) })
            let csv = try await client.call(.get, "/v1/surveys/\(id)/results?format=csv", as: APITestHub.admin, hub: hub)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8" && csv.text.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\""), "\(csv.text)")

            #expect(try await client.call(.get, "/v1/surveys/\(id)/results", as: APITestHub.d1, hub: hub).status == .forbidden)
            #expect(try await client.call(.post, "/v1/surveys/\(id)/close", as: APITestHub.eastManager, hub: hub).status == .notFound,
                    "a branch manager does not close the company's")
            let closed = try await client.call(.post, "/v1/surveys/\(id)/close", as: APITestHub.admin, hub: hub)
            #expect(closed.status == .ok && closed["open"] as? Bool == false, "\(closed.text)")
            #expect(try await client.call(.get, "/v1/surveys/\(id)", as: APITestHub.d3, hub: hub).status == .notFound, "closed: no longer asked")
        }
    }

    @Test("a branch manager's survey stays in its branch; another branch's staff do not see it; bad surveys are named field by field")
    func branchSurvey() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let closes = Timestamp(Date().addingTimeInterval(86_400)).text
            let created = try await client.call(.post, "/v1/surveys", as: APITestHub.eastManager, hub: hub,
                                                body: #"{"kind":"product-demand","title":"明年需求","questions":[{"kind":"multiple","text":"增加哪些","options":["A","B"]}],"closesAt":"\#(closes)"}"#)
            #expect(created.status == .created && (created["audience"] as? [String: Any])?["branches"] as? [String] == ["BR-EAST"], "\(created.text)")
            let id = try #require(created["surveyId"] as? String)
            #expect(try await client.call(.get, "/v1/surveys/\(id)", as: APITestHub.northManager, hub: hub).status == .notFound)
            #expect(try await client.call(.get, "/v1/surveys/\(id)", as: APITestHub.d3, hub: hub).status == .notFound)
            #expect(try await client.call(.get, "/v1/surveys/\(id)", as: APITestHub.d2, hub: hub).status == .ok, "D2 is BR-EAST's")
            let bad = try await client.call(.post, "/v1/surveys", as: APITestHub.admin, hub: hub,
                                            body: #"{"kind":"x","title":"","questions":[{"kind":"single","text":"q","options":["only"]}],"closesAt":"2020-01-01T00:00:00Z"}"#)
            #expect(bad.status == .unprocessableContent && ["kind", "title", "questions[0].options", "closesAt"].allSatisfy(bad.text.contains), "\(bad.text)")
        }
    }
}
