import AsyncHTTPClient
import Foundation
import HubAPI
import HubCommandLine
import HubServer
import Kafka
import NIOCore
import Simulator

/// The simulated company's sales force at the start of a business run (`SalesForceScript`): the
/// dormant dealer's short history goes out on the core's topics, the reps' activities over the API
/// (each rep with a token of its own); then, alongside the business, the hub's at-risk round is
/// watched until it has followed the dormant dealer up (``followUp(…)``).
enum SalesForceRun {
    static func start(company: Company, runId: String, baseURL: String, api: HubConfiguration.APISection, client: KafkaClientConfiguration, topicPrefix: String,
                      now: Date = Date(), say: (String) -> Void) async throws -> SalesForceScript? {
        guard let script = SalesForceScript(company: company) else { return nil }
        if let (alone, plan) = script.dormantHistory(now: now) {
            try await HistoryPublisher.publish(alone, plan: plan, client: client.named("lubehub-simulate-dormant"), topicPrefix: topicPrefix) { _ in }
        }
        var logged: [Int: Int] = [:]
        for call in script.activities(now: now, run: runId) {
            let token = try api.issueToken(for: Principal(subject: call.subject, role: .salesRep, branchId: "BR-EAST", salesRepId: call.salesRepId), lifetime: 3_600)
            var request = HTTPClientRequest(url: baseURL + call.path)
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer " + token)
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: call.body))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
            _ = try await response.body.collect(upTo: 1 << 20)
            logged[Int(response.status.code), default: 0] += 1
        }
        let kept = (logged[201] ?? 0) + (logged[202] ?? 0)
        say("sales force: rep \(script.salesRepId) (east.rep) and two more east reps logged \(kept) activities (visits, calls, a training, a collection; "
            + "two visits planned for tomorrow)\(kept == logged.values.reduce(0, +) ? "" : ", refused: \(logged.filter { $0.key >= 300 })"); "
            + "\(script.dormant.map { "\($0.dealerId) \($0.name)" } ?? "no dealer") stopped ordering three months ago")
        return script
    }

    /// Waits (up to `timeout`) until the hub's at-risk round has followed the dormant dealer up, and says so.
    static func followUp(_ script: SalesForceScript, baseURL: String, api: HubConfiguration.APISection, timeout: Duration) async -> String {
        guard let dormant = script.dormant, let admin = try? api.issueToken(for: Principal(subject: "U-simulator-admin", role: .admin), lifetime: 3_600) else {
            return "sales force: no dormant dealer to follow up"
        }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var request = HTTPClientRequest(url: baseURL + "/v1/dealers/at-risk")
            request.headers.add(name: "Authorization", value: "Bearer " + admin)
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(20)), response.status == .ok,
               let bytes = try? await response.body.collect(upTo: 16 << 20),
               let json = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any],
               let dealers = json["dealers"] as? [[String: Any]],
               let found = dealers.first(where: { $0["dealerId"] as? String == dormant.dealerId }),
               let followUp = found["followUp"] as? [String: Any], let id = followUp["activityId"] as? String {
                return "sales force: \(dormant.dealerId) is at risk — \(found["evidence"] as? String ?? "") — and the hub raised follow-up \(id) "
                    + "for its rep (planned \(followUp["plannedFor"] as? String ?? "")); \(dealers.count) dealers at risk in all"
            }
            try? await Task.sleep(for: .seconds(5))
        }
        return "sales force: the at-risk round had not followed \(dormant.dealerId) up within \(timeout) (core.atRiskIntervalSeconds sets how often it runs)"
    }
}
