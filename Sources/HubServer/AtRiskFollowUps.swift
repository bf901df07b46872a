import Foundation
import HubAPI
import HubContracts
import HubCore
import HubDomain
import HubStore
import Logging
import Metrics
import ServiceLifecycle

/// "No dealer left behind": every `interval`, the dealers at risk (``DealerRisk``: gone quiet, or
/// orders falling) each get a follow-up planned for their sales rep — once a month, not every
/// round: the follow-up's id is the dealer's and the month's (`AC-RISK-<dealer>-<YYYY-MM>`), and one
/// that exists is left as it is (the rep may have done it already). A follow-up is an activity
/// (`follow-up`, planned for the next morning, the reason in its notes) written with its
/// `activity.recorded` on `hub.activities` through the outbox in one transaction, so it is kept and
/// published exactly once. A dealer without a rep's account is counted, not followed up.
final class AtRiskFollowUps: Service, Sendable {
    private let store: CoreStore
    private let interval: Duration
    private let logger: Logger
    private let raisedCount = Counter(label: "lubehub_at_risk_follow_ups_total")

    init(store: CoreStore, interval: Duration, logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    func run() async throws {
        await everyRound(interval, logger: logger, failure: "dealers at risk not followed up this round") {
            let round = try await self.raiseOnce(now: Date())
            if round.raised > 0 || round.withoutRep > 0 {
                self.logger.info("dealers at risk followed up", metadata: ["atRisk": "\(round.atRisk)", "raised": "\(round.raised)", "withoutRep": "\(round.withoutRep)"])
            }
        }
    }

    /// One round: how many dealers are at risk, how many follow-ups it raised, how many at-risk dealers have no rep's account.
    func raiseOnce(now: Date) async throws -> (atRisk: Int, raised: Int, withoutRep: Int) {
        let month = FigureMonth(now)
        let (risks, reps) = try await store.read { reader throws(StoreError) -> ([String: DealerRisk], [String: (userId: String, dealerName: String)]) in
            let risks = try ActivityRoutes.risks(at: month, visibleTo: .everyone, in: reader)
            return (risks, try reader.activities.repAccounts(of: risks.keys.sorted()))
        }
        // Tomorrow, 09:00 in China.
        let tomorrow = FigureMonth.localDay(now) + 1
        let plannedFor = Timestamp(Date(timeIntervalSince1970: TimeInterval(tomorrow * 86_400 + 9 * 3_600 - CivilCalendar.chinaStandardTimeOffset)))
        let stamp = Timestamp(now)
        let due = risks.keys.sorted().compactMap { dealerId -> ActivityRecorded? in
            guard let risk = risks[dealerId], let rep = reps[dealerId] else { return nil }
            return ActivityRecorded(activityId: DealerRisk.followUpId(dealerId: dealerId, month: month), version: 1, dealerId: dealerId, ownerId: rep.userId,
                                    kind: .followUp, status: .planned, plannedFor: plannedFor, notes: "\(rep.dealerName)：\(risk.text)", recordedBy: "hub")
        }
        var raised = 0
        for start in stride(from: 0, to: due.count, by: 500) {
            let chunk = Array(due[start..<min(due.count, start + 500)])
            raised += try await store.transaction { tables throws(StoreError) -> Int in
                var written = 0
                var rows: [OutboxRow] = []
                for activity in chunk where try tables.activities.version(of: activity.activityId) == nil {
                    try tables.activities.upsert(activity, at: stamp)
                    let id = "core:activity:\(activity.activityId):1"
                    let event = CanonicalEvent(id: id, source: CoreRules.producerName, occurredAt: stamp, subject: activity.activityId, data: .activityRecorded(activity))
                    do {
                        rows.append(OutboxRow(topic: TopicName.activities, key: activity.activityId, eventId: id, value: try event.encoded()))
                    } catch {
                        throw StoreError(.statement, "cannot encode the follow-up \(activity.activityId): \(error)")
                    }
                    written += 1
                }
                try tables.outbox.append(rows)
                return written
            }
        }
        if raised > 0 { raisedCount.increment(by: raised) }
        return (risks.count, raised, risks.count - reps.count)
    }
}
