public import HubAPI
public import HubConsole

/// The console's operations probe in a running hub: its readiness checks, the core's consumer lag
/// per topic, and the dead letters the watch has read.
public struct HubOperations: OperationsProbe {
    let checks: [any ReadinessCheck]
    let lag: ConsumerLagReadiness
    let deadLetters: DeadLetterWatch

    public init(checks: [any ReadinessCheck], lag: ConsumerLagReadiness, deadLetters: DeadLetterWatch) {
        self.checks = checks
        self.lag = lag
        self.deadLetters = deadLetters
    }

    public func status() async -> OperationsStatus {
        var status = OperationsStatus()
        for check in checks {
            status.checks.append(.init(name: check.name, problem: await check.problem()))
        }
        if let lags = try? await lag.lags() {
            status.lags = lags.sorted { $0.key < $1.key }.map { .init(consumer: "core · " + $0.key, lag: $0.value) }
        }
        let letters = deadLetters.snapshot
        status.catchingUp = !letters.caughtUp
        status.reasons = letters.counts.map { .init(topic: $0.topic, reason: $0.reason, count: $0.count) }
        status.latest = letters.latest.prefix(30).map { letter in
            .init(topic: letter.topic, offset: letter.offset, failedAt: letter.record?.failedAt ?? "", reason: letter.record?.reason ?? "(no reason header)",
                  stage: letter.record?.stage ?? "", source: letter.record.map { "\($0.sourceTopic):\($0.sourcePartition):\($0.sourceOffset)" } ?? "",
                  original: letter.original)
        }
        return status
    }
}
