import HubAPI
import Hummingbird

/// Operations, for administrators: whether the hub's parts answer, how far behind each consumer
/// is, and the dead letters by topic and reason with the latest ones' original messages.
extension Console {
    func operationsPage(_ visitor: ConsoleVisitor) async throws -> Page {
        guard visitor.principal.role == .admin else { throw APIProblem.forbidden("operations are the administrators'") }
        guard let operations else { throw APIProblem.unavailable("this process runs no operations probe") }
        let status = await operations.status()
        let language = visitor.language
        return Page(template: "operations", title: ConsoleText.text("operations", language), context: [
            "checks": status.checks.map { ["name": $0.name, "ok": $0.problem == nil, "problem": $0.problem ?? ""] as [String: Any] },
            "lags": status.lags.map { ["consumer": $0.consumer, "lag": $0.lag, "behind": $0.lag > 0] as [String: Any] },
            "reasons": status.reasons.map { ["topic": $0.topic, "reason": $0.reason, "count": $0.count] as [String: Any] },
            "noLetters": status.reasons.isEmpty,
            "latest": status.latest.map { letter -> [String: Any] in
                ["topic": letter.topic, "offset": letter.offset, "failedAt": ConsoleFormat.time(letter.failedAt, language), "reason": letter.reason,
                 "stage": letter.stage, "source": letter.source, "original": letter.original]
            },
            "catchingUp": status.catchingUp,
        ])
    }
}
