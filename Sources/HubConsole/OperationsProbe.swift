import Foundation

/// What the operations page shows, gathered by whoever runs the hub (the seam: the console knows
/// no broker): each readiness check, how far behind each consumer is, and the dead letters — by
/// topic and reason, and the latest ones with the original message, so someone can see what a
/// system sent wrong.
public struct OperationsStatus: Sendable {
    public struct Check: Sendable {
        public var name: String
        /// nil when it passes; else what is wrong.
        public var problem: String?
        public init(name: String, problem: String?) { (self.name, self.problem) = (name, problem) }
    }
    public struct Lag: Sendable {
        public var consumer: String
        public var lag: Int64
        public init(consumer: String, lag: Int64) { (self.consumer, self.lag) = (consumer, lag) }
    }
    public struct Reason: Sendable {
        public var topic: String
        public var reason: String
        public var count: Int
        public init(topic: String, reason: String, count: Int) { (self.topic, self.reason, self.count) = (topic, reason, count) }
    }
    public struct Letter: Sendable {
        public var topic: String
        public var offset: Int64
        public var failedAt: String
        public var reason: String
        public var stage: String
        /// Where the original message was read: `topic:partition:offset`.
        public var source: String
        /// The original message as text (cut at a few kilobytes).
        public var original: String
        public init(topic: String, offset: Int64, failedAt: String, reason: String, stage: String, source: String, original: String) {
            (self.topic, self.offset, self.failedAt, self.reason, self.stage, self.source, self.original) = (topic, offset, failedAt, reason, stage, source, original)
        }
    }
    public var checks: [Check] = []
    public var lags: [Lag] = []
    public var reasons: [Reason] = []
    public var latest: [Letter] = []
    /// Set while the dead-letter topics are still being read from their start.
    public var catchingUp = false
    public init() {}
}

/// Where the operations page gets its figures.
public protocol OperationsProbe: Sendable {
    func status() async -> OperationsStatus
}
