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
/// system's topic) that some tickets report. Returns one line for the run's log.
enum EngagementRun {
    static func run(company: Company, runId: String, baseURL: String, api: HubConfiguration.APISection, tokens: DealerTokens,
                           sink: any MessageSink, now: Date = Date()) async throws -> String {
        var script = EngagementScript(company: company, run: runId)
        let admin = try api.issueToken(for: Principal(subject: "U-simulator-admin", role: .admin), lifetime: 3_600)
        let http = HTTPClient.shared
        func call(_ call: EngagementScript.Call) async throws -> (status: Int, json: [String: Any]) {
            var request = HTTPClientRequest(url: baseURL + call.path)
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer " + (call.dealerId.map(tokens.token(for:)) ?? admin))
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: call.body))
            let response = try await http.execute(request, timeout: .seconds(20))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:])
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
        for _ in 0..<100 where survey.status == 202 {
            var request = HTTPClientRequest(url: baseURL + "/v1/surveys/\(surveyId)")
            request.headers.add(name: "Authorization", value: "Bearer " + admin)
            if let answer = try? await http.execute(request, timeout: .seconds(5)), answer.status == .ok { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        var answered = 0
        for response in script.responses(to: surveyId, count: min(60, company.tier1.count)) where try await call(response).status == 202 { answered += 1 }
        var filed: [String: Int] = [:]
        for ticket in script.tickets(fakeCodes: codes) {
            let answer = try await call(ticket)
            guard answer.status == 201 || answer.status == 202 else { throw EngagementRunError("a ticket answered \(answer.status): \(answer.json["detail"] ?? "")") }
            filed[(try? JSONSerialization.jsonObject(with: Data(ticket.body))) .flatMap { ($0 as? [String: Any])?["kind"] as? String } ?? "?", default: 0] += 1
        }
        return "engagement: promotion \(announcementId) (10 % off 200 automotive materials for \(company.branches[0].id)'s automotive dealers, a week), "
            + "survey \(surveyId) answered by \(answered) tier-1 dealers (anonymous), tickets filed: "
            + filed.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            + " (\(codes.count) of the counterfeit reports for cans consumers just scanned as fakes, one for a code never issued)"
    }
}

/// A call of the engagement script the hub refused.
struct EngagementRunError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
