import AsyncHTTPClient
import Foundation
import HubAPI
import HubCommandLine
import HubServer
import NIOCore
import Simulator

/// The simulated company's engagement at the start of a business run (`EngagementScript`), over
/// the hub's API: the company's promotion and survey (as an administrator), dealers' answers and
/// tickets (each as its dealer), and the fake cans consumers scan (on the anti-counterfeit
/// system's topic) that some tickets report. Returns one line for the run's log, and the work on
/// the tickets filed: each branch's customer service answering them and the dealers closing or
/// reopening theirs, while the business runs (its own line when done).
enum EngagementRun {
    struct Started {
        var line: String
        var answering: Task<String, Never>
    }

    /// The hub's API as the simulated company's people call it.
    struct Caller: Sendable {
        var baseURL: String
        var admin: String
        var api: HubConfiguration.APISection
        var tokens: DealerTokens

        func token(_ principal: EngagementScript.TicketStep.Actor?) throws -> String {
            switch principal {
            case nil: return admin
            case .dealer(let dealerId): return tokens.token(for: dealerId)
            case .branchService(let branchId):
                return try api.issueToken(for: Principal(subject: DemoUsers.serviceUserId(branchId), role: .branchManager, branchId: branchId), lifetime: 3_600)
            }
        }

        /// POSTs `body` to `path` as `token`, or GETs it without one.
        func call(_ path: String, token: String, body: [UInt8]? = nil) async throws -> (status: Int, json: [String: Any]) {
            var request = HTTPClientRequest(url: baseURL + path)
            request.headers.add(name: "Authorization", value: "Bearer " + token)
            if let body {
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: body))
            }
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:])
        }

        /// Reads `path` as `token` until `done` says the hub shows what was asked (at most `attempts` × 200 ms); the last answer.
        func until(_ path: String, token: String, attempts: Int = 100, _ done: ([String: Any]) -> Bool) async throws -> [String: Any]? {
            for _ in 0..<attempts {
                let answer = try await call(path, token: token)
                if answer.status == 200, done(answer.json) { return answer.json }
                try await Task.sleep(for: .milliseconds(200))
            }
            return nil
        }
    }

    static func run(company: Company, runId: String, baseURL: String, api: HubConfiguration.APISection, tokens: DealerTokens,
                    sink: any MessageSink, now: Date = Date()) async throws -> Started {
        var script = EngagementScript(company: company, run: runId)
        let caller = Caller(baseURL: baseURL, admin: try api.issueToken(for: Principal(subject: "U-simulator-admin", role: .admin), lifetime: 3_600),
                            api: api, tokens: tokens)
        func call(_ call: EngagementScript.Call) async throws -> (status: Int, json: [String: Any]) {
            try await caller.call(call.path, token: call.dealerId.map(tokens.token(for:)) ?? caller.admin, body: call.body)
        }
        let (codes, scans) = script.fakeScans(at: now, count: 3)
        try await sink.send(scans)
        let promotion = try await call(script.promotion(now: now))
        guard promotion.status == 201 || promotion.status == 202, let announcementId = promotion.json["announcementId"] as? String else {
            throw EngagementRunError("publishing the promotion answered \(promotion.status): \(promotion.json["detail"] ?? "")")
        }
        let survey = try await call(script.survey(now: now))
        guard survey.status == 201 || survey.status == 202, let surveyId = survey.json["surveyId"] as? String else {
            throw EngagementRunError("publishing the survey answered \(survey.status): \(survey.json["detail"] ?? "")")
        }
        // The survey's answers wait for the core to hold the survey (a dealer answers what it can see).
        if survey.status == 202 { _ = try await caller.until("/v1/surveys/\(surveyId)", token: caller.admin) { _ in true } }
        var answered = 0
        for response in script.responses(to: surveyId, count: min(60, company.tier1.count)) where try await call(response).status == 202 { answered += 1 }
        var filed: [EngagementScript.FiledTicket] = []
        for ticket in script.tickets(fakeCodes: codes) {
            let answer = try await call(ticket)
            guard answer.status == 201 || answer.status == 202, let ticketId = answer.json["ticketId"] as? String, let dealerId = ticket.dealerId else {
                throw EngagementRunError("a ticket answered \(answer.status): \(answer.json["detail"] ?? "")")
            }
            let fields = (try? JSONSerialization.jsonObject(with: Data(ticket.body))) as? [String: Any] ?? [:]
            filed.append(.init(ticketId: ticketId, dealerId: dealerId, kind: fields["kind"] as? String ?? "?", subject: fields["subject"] as? String ?? ""))
        }
        let kinds = Dictionary(grouping: filed, by: \.kind).mapValues(\.count)
        let line = "engagement: promotion \(announcementId) (10 % off 200 automotive materials for \(company.branches[0].id)'s automotive dealers, a week), "
            + "survey \(surveyId) answered by \(answered) tier-1 dealers (anonymous), tickets filed: "
            + kinds.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            + " (\(codes.count) of the counterfeit reports for cans consumers just scanned as fakes, one for a code never issued)"
        let answering = Task { [script] in
            var script = script
            do {
                return try await answer(filed, script: &script, caller: caller)
            } catch {
                return "tickets: the branches' work on them stopped: \(error)"
            }
        }
        return Started(line: line, answering: answering)
    }

    /// Each branch's customer service takes its dealers' tickets and answers them; the dealers close
    /// (most, with a rating) or reopen theirs (`EngagementScript.followUps`). Every step waits until
    /// the hub shows it applied before the next. One line: what became of them.
    static func answer(_ filed: [EngagementScript.FiledTicket], script: inout EngagementScript, caller: Caller) async throws -> String {
        var matches: [String: String] = [:]
        for ticket in filed {
            // A ticket is worked on once the hub holds it; a counterfeit report's match is what its branch reads there.
            let staff = try caller.token(.branchService(branchId: try branchId(of: ticket, in: script)))
            guard let held = try await caller.until("/v1/tickets/\(ticket.ticketId)", token: staff, { _ in true }) else {
                throw EngagementRunError("ticket \(ticket.ticketId) was not in the hub after 20 s")
            }
            if let match = (held["authenticity"] as? [String: Any])?["match"] as? String { matches[ticket.ticketId] = match }
        }
        var statuses: [String: Int] = [:]
        var ratings: [Int] = []
        for (ticket, steps) in zip(filed, script.followUps(of: filed, matches: matches)) {
            var status = "received"
            for step in steps {
                let token = try caller.token(step.actor)
                let answer = try await caller.call(step.path, token: token, body: step.body)
                guard answer.status == 200 || answer.status == 202 else {
                    throw EngagementRunError("\(step.path) answered \(answer.status): \(answer.json["detail"] ?? "")")
                }
                if answer.status == 202 {
                    guard try await caller.until("/v1/tickets/\(ticket.ticketId)", token: token, { $0["status"] as? String == step.leadsTo }) != nil else {
                        throw EngagementRunError("ticket \(ticket.ticketId) was not \(step.leadsTo) 20 s after \(step.path)")
                    }
                }
                if let rating = (try? JSONSerialization.jsonObject(with: Data(step.body)) as? [String: Any])?["rating"] as? Int { ratings.append(rating) }
                status = step.leadsTo
            }
            statuses[status, default: 0] += 1
        }
        let mean = ratings.isEmpty ? "" : String(format: ", their answers rated %.1f of 5 on average", Double(ratings.reduce(0, +)) / Double(ratings.count))
        return "tickets: the branches' customer service answered \(filed.count - statuses["received", default: 0] - statuses["assigned", default: 0]) of \(filed.count); now "
            + statuses.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + mean
    }

    static func branchId(of ticket: EngagementScript.FiledTicket, in script: EngagementScript) throws -> String {
        guard let branchId = script.branchId(ofDealer: ticket.dealerId) else { throw EngagementRunError("dealer \(ticket.dealerId) is not the company's") }
        return branchId
    }
}

/// A call of the engagement script the hub refused.
struct EngagementRunError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
