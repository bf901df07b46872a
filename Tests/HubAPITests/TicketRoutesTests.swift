import Foundation
import HubAPI
import HubContracts
import Hummingbird
import HummingbirdTesting
import Testing

/// Tickets (R6) through the API, on the shared test hub (a real broker and core): a dealer files,
/// its branch works it to an answer, the dealer rates and reopens it; staff of another territory,
/// other dealers and carriers never see it; a counterfeit report shows staff its match against the
/// anti-counterfeit system; a flood of tickets is refused.
///
/// Each test uses dealers no other suite opens tickets for: D1 the workflow, D3 the counterfeit
/// report, D2 the flood (its hour's allowance is spent by that test alone).
@Suite("HTTP API: tickets", .serialized)
struct TicketRoutesTests {
    static func ids(_ answer: APIAnswer) -> [String] {
        (answer["tickets"] as? [[String: Any]] ?? []).compactMap { $0["ticketId"] as? String }
    }

    @Test("a complaint: opened by the dealer, in its branch's queue, assigned, answered, rated, reopened; everyone else 404; bad moves 409")
    func workflow() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let body = #"{"kind":"complaint","subject":"到货漏油","body":"三箱外包装破损，<script>alert(1)</script>","materialId":"M1"}"#
            let opened = try await client.call(.post, "/v1/tickets", as: APITestHub.d1, hub: hub, body: body)
            #expect(opened.status == .created, "\(opened.text)")
            let id = try #require(opened["ticketId"] as? String)
            #expect(opened["status"] as? String == "received" && opened["branchId"] as? String == "BR-EAST" && opened["productLine"] as? String == "automotive-packaged")
            #expect(opened["overdue"] as? Bool == false && opened["dueBy"] is String, "a complaint is due within a day: \(opened.text)")

            // Who sees it: the dealer, its branch, its area, its rep, the automotive line's manager, admin; nobody else.
            for principal in [APITestHub.d1, APITestHub.eastManager, APITestHub.shanghaiArea, APITestHub.rep1, APITestHub.admin,
                              Principal(subject: "U-PLM-AUTO", role: .productLineManager, productLines: ["automotive-packaged"])] {
                #expect(try await client.call(.get, "/v1/tickets/\(id)", as: principal, hub: hub).status == .ok, "\(principal.subject)")
            }
            for principal in [APITestHub.d2, APITestHub.d3, APITestHub.northManager, APITestHub.rep2,
                              Principal(subject: "U-PLM-BULK", role: .productLineManager, productLines: ["bulk"])] {
                #expect(try await client.call(.get, "/v1/tickets/\(id)", as: principal, hub: hub).status == .notFound, "\(principal.subject) sees another's ticket")
                #expect(!Self.ids(try await client.call(.get, "/v1/tickets", as: principal, hub: hub)).contains(id), "\(principal.subject) lists it")
                #expect(try await client.call(.post, "/v1/tickets/\(id)/messages", as: principal, hub: hub, body: #"{"body":"x"}"#).status == .notFound)
            }
            #expect(try await client.call(.get, "/v1/tickets/\(id)", as: APITestHub.carrier, hub: hub).status == .forbidden)

            let queue = try await client.call(.get, "/v1/tickets?status=received&kind=complaint", as: APITestHub.eastManager, hub: hub)
            #expect(Self.ids(queue).contains(id) && ((queue["counts"] as? [String: Int])?["received"] ?? 0) >= 1, "\(queue.text)")

            let closeEarly = try await client.call(.post, "/v1/tickets/\(id)/close", as: APITestHub.eastManager, hub: hub, body: "{}")
            #expect(closeEarly.status == .conflict && closeEarly.text.contains("answer it first"), "\(closeEarly.text)")
            let assigned = try await client.call(.post, "/v1/tickets/\(id)/assign", as: APITestHub.eastManager, hub: hub, body: "{}")
            #expect(assigned.status == .ok && assigned["status"] as? String == "assigned" && assigned["assignee"] as? String == "U-BM-EAST", "\(assigned.text)")
            let dealerAnswers = try await client.call(.post, "/v1/tickets/\(id)/messages", as: APITestHub.d1, hub: hub, body: #"{"body":"x","answers":true}"#)
            #expect(dealerAnswers.status == .unprocessableContent && dealerAnswers.text.contains("answers"))
            let answered = try await client.call(.post, "/v1/tickets/\(id)/messages", as: APITestHub.eastManager, hub: hub,
                                                 body: #"{"body":"已安排补发三箱，明天到。","answers":true}"#)
            #expect(answered.status == .ok && answered["status"] as? String == "answered" && answered["firstAnsweredAt"] is String, "\(answered.text)")
            let rated = try await client.call(.post, "/v1/tickets/\(id)/close", as: APITestHub.d1, hub: hub, body: #"{"rating":4,"comment":"满意"}"#)
            #expect(rated.status == .ok && rated["status"] as? String == "closed" && rated["rating"] as? Int == 4, "\(rated.text)")
            #expect(try await client.call(.post, "/v1/tickets/\(id)/messages", as: APITestHub.d1, hub: hub, body: #"{"body":"还有"}"#).status == .conflict,
                    "closed: write only after reopening")
            #expect(try await client.call(.post, "/v1/tickets/\(id)/reopen", as: APITestHub.eastManager, hub: hub, body: #"{"reason":"r"}"#).status == .forbidden)
            let reopened = try await client.call(.post, "/v1/tickets/\(id)/reopen", as: APITestHub.d1, hub: hub, body: #"{"reason":"补发的也漏油。"}"#)
            #expect(reopened.status == .ok && reopened["status"] as? String == "in-progress" && reopened["rating"] == nil && reopened["reopened"] as? Int == 1,
                    "\(reopened.text)")
            let thread = (reopened["messages"] as? [[String: Any]] ?? []).compactMap { $0["body"] as? String }
            #expect(thread == ["已安排补发三箱，明天到。", "补发的也漏油。"])
            #expect(reopened["body"] as? String == "三箱外包装破损，<script>alert(1)</script>", "kept as the text it is")
            #expect(reopened["authenticity"] == nil, "not a counterfeit report")
            let audit = try await client.call(.get, "/v1/audit?subjectKind=ticket&subjectId=\(id)", as: APITestHub.admin, hub: hub)
            #expect((audit["entries"] as? [[String: Any]])?.compactMap { $0["action"] as? String }
                    == ["ticket.reopened", "ticket.closed", "ticket.answered", "ticket.assigned", "ticket.opened"])

            let figures = try await client.call(.get, "/v1/tickets/figures", as: APITestHub.eastManager, hub: hub)
            let east = (figures["branches"] as? [[String: Any]])?.first { $0["branchId"] as? String == "BR-EAST" }
            #expect(figures.status == .ok && (east?["opened"] as? Int ?? 0) >= 1 && (east?["answered"] as? Int ?? 0) >= 1, "\(figures.text)")
            #expect((figures["branches"] as? [[String: Any]])?.contains { $0["branchId"] as? String == "BR-NORTH" } != true, "only the manager's branch")

            // The branch scorecard shows them beside the figures (not scored unless weighted).
            _ = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub, body: #"{"lines":[{"materialId":"M1","quantity":"1"}]}"#)
            var card = APIAnswer(status: .ok, headers: [:], text: "{}")
            let shown = try await hub.untilCore {
                card = try await client.call(.get, "/v1/scorecards/branches", as: APITestHub.eastManager, hub: hub)
                let row = (card["rows"] as? [[String: Any]])?.first { $0["id"] as? String == "BR-EAST" }
                let opened = (row?["measures"] as? [String: Any])?["ticketsOpened"] as? String
                return (opened.flatMap { Int($0) } ?? 0) >= 1
            }
            #expect(shown, "\(card.text.prefix(600))")
            let eastRow = (card["rows"] as? [[String: Any]])?.first { $0["id"] as? String == "BR-EAST" }
            let measures = eastRow?["measures"] as? [String: Any]
            #expect(measures?["ticketFirstResponseHours"] is String, "answered: its first-response hours: \(card.text.prefix(600))")
            #expect((card["measures"] as? [[String: Any]])?.first { $0["name"] as? String == "ticketsOpened" }?["weight"] as? Int == 0)
        }
    }

    @Test("a counterfeit report: staff see the anti-counterfeit system's flag for the code, the dealer does not; a report without a code is named")
    func counterfeit() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let code = "CF" + UUID().uuidString.prefix(8).uppercased()
            let missing = try await client.call(.post, "/v1/tickets", as: APITestHub.d3, hub: hub, body: #"{"kind":"counterfeit-report","subject":"假货","body":"b"}"#)
            #expect(missing.status == .unprocessableContent && missing.text.contains("counterfeit"), "\(missing.text)")
            let body = #"{"kind":"counterfeit-report","subject":"疑似假冒","body":"路边店购得","materialId":"M3","counterfeit":{"code":"\#(code)","boughtAt":{"province":"河北","city":"保定"},"boughtOn":"2026-11-28"}}"#
            let opened = try await client.call(.post, "/v1/tickets", as: APITestHub.d3, hub: hub, body: body)
            #expect(opened.status == .created, "\(opened.text)")
            let id = try #require(opened["ticketId"] as? String)

            let flag = AuthenticityFlagged(code: code, scanId: "SCAN-\(code)", reason: .counterfeit, scanRegion: Region(province: "河北", city: "保定"))
            let event = CanonicalEvent(id: "flag-\(code)", source: "adapter-anticounterfeit", occurredAt: Timestamp(Date()), subject: code, data: .authenticityFlagged(flag))
            try await hub.services.commands.publish(event, topic: hub.prefix + TopicName.authenticity, key: code, catalogueTopic: TopicName.authenticity)
            var seen = APIAnswer(status: .ok, headers: [:], text: "{}")
            let matched = try await hub.untilCore {
                seen = try await client.call(.get, "/v1/tickets/\(id)", as: APITestHub.northManager, hub: hub)
                return (seen["authenticity"] as? [String: Any])?["match"] as? String == "confirmed"
            }
            #expect(matched, "\(seen.text)")
            #expect(((seen["authenticity"] as? [String: Any])?["flags"] as? [Any])?.count == 1)
            let dealer = try await client.call(.get, "/v1/tickets/\(id)", as: APITestHub.d3, hub: hub)
            #expect(dealer.status == .ok && dealer["authenticity"] == nil, "the dealer sees the answer, not the system's record")
            #expect((dealer["counterfeit"] as? [String: Any])?["code"] as? String == code)
        }
    }

    @Test("more than 10 tickets an hour from one dealer are refused with 429 and when to try again")
    func flood() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            for index in 0..<TicketAccess.perDealerPerHour {
                let answer = try await client.call(.post, "/v1/tickets", as: APITestHub.d2, hub: hub, body: #"{"kind":"suggestion","subject":"建议 \#(index)","body":"b"}"#)
                #expect(answer.status == .created, "\(index): \(answer.text)")
            }
            let refused = try await client.call(.post, "/v1/tickets", as: APITestHub.d2, hub: hub, body: #"{"kind":"suggestion","subject":"再一条","body":"b"}"#)
            #expect(refused.status == .tooManyRequests && refused.headers[.retryAfter] != nil && refused.isProblem, "\(refused.text)")
            let other = try await client.call(.post, "/v1/tickets", as: APITestHub.d2, hub: hub,
                                              body: #"{"kind":"suggestion","subject":"x","body":"\#(String(repeating: "长", count: 5_001))"}"#)
            #expect(other.status == .unprocessableContent || other.status == .tooManyRequests)
            let tooLong = try await client.call(.post, "/v1/tickets", as: APITestHub.d1, hub: hub,
                                                body: #"{"kind":"suggestion","subject":"x","body":"\#(String(repeating: "长", count: 5_001))"}"#)
            #expect(tooLong.status == .unprocessableContent && tooLong.text.contains("body"), "\(tooLong.text)")
        }
    }
}
