import Foundation
import Simulator
import Testing

/// The simulated company's work on its dealers' tickets: who does what, in which order, and where
/// each ticket ends — what `make demo`'s summary shows by status.
@Suite("simulator: the branches answer the tickets dealers file")
struct EngagementScriptTests {
    static let company = Company.generate(seed: 11, tier1: 60, tier2: 60, materials: 60)

    func filed(_ script: inout EngagementScript) throws -> [EngagementScript.FiledTicket] {
        try script.tickets(fakeCodes: ["FAKE1", "FAKE2"]).enumerated().map { index, call in
            let fields = try #require(try JSONSerialization.jsonObject(with: Data(call.body)) as? [String: Any])
            return .init(ticketId: "TK-\(index)", dealerId: try #require(call.dealerId), kind: fields["kind"] as? String ?? "", subject: fields["subject"] as? String ?? "")
        }
    }

    func body(_ step: EngagementScript.TicketStep) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(step.body))) as? [String: Any] ?? [:]
    }

    @Test("each ticket is taken by its dealer's branch, answered, then closed by its dealer with a rating — but a queue's worth stays open")
    func followUps() throws {
        var script = EngagementScript(company: Self.company, run: "T")
        let tickets = try filed(&script)
        let plans = script.followUps(of: tickets, matches: ["TK-8": "confirmed", "TK-10": "not-scanned"])
        #expect(plans.count == tickets.count)
        let ends = plans.map { $0.last?.leadsTo ?? "received" }
        #expect(ends == ["assigned", "closed", "received", "closed", "in-progress", "closed", "closed", "received", "closed", "closed", "closed"],
                "suggestions: one only assigned, one waiting; the second complaint reopened; one product-demand request waiting")
        for (ticket, steps) in zip(tickets, plans) where !steps.isEmpty {
            let branch = try #require(script.branchId(ofDealer: ticket.dealerId))
            #expect(steps[0].actor == .branchService(branchId: branch) && steps[0].path == "/v1/tickets/\(ticket.ticketId)/assign")
            for step in steps.dropFirst() {
                let expected: EngagementScript.TicketStep.Actor = step.path.hasSuffix("/messages") ? .branchService(branchId: branch) : .dealer(ticket.dealerId)
                #expect(step.actor == expected, "\(step.path)")
            }
            if let closing = steps.first(where: { $0.path.hasSuffix("/close") }) {
                let rating = try #require(body(closing)["rating"] as? Int)
                #expect((1...5).contains(rating))
                #expect(steps.contains { $0.path.hasSuffix("/messages") && body($0)["answers"] as? Bool == true }, "a rating only after an answer")
            }
        }
        // A counterfeit report is answered by what the anti-counterfeit system says of its code.
        let answers = plans.map { $0.first { $0.path.hasSuffix("/messages") }.flatMap { body($0)["body"] as? String } ?? "" }
        #expect(answers[8].contains("判定为假冒") && answers[10].contains("尚无扫描记录"), "\(answers[8]) / \(answers[10])")
    }

    @Test("the same company and run make the same work")
    func deterministic() throws {
        var first = EngagementScript(company: Self.company, run: "T")
        var second = EngagementScript(company: Self.company, run: "T")
        let tickets = try filed(&first)
        _ = try filed(&second)
        let a = first.followUps(of: tickets, matches: [:]).map { $0.map { $0.path + String(decoding: $0.body, as: UTF8.self) } }
        let b = second.followUps(of: tickets, matches: [:]).map { $0.map { $0.path + String(decoding: $0.body, as: UTF8.self) } }
        #expect(a == b)
    }
}
