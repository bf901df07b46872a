/// Consumer-group consumer settings. `nil` means librdkafka's default. Auto-commit is off:
/// the application commits what it has processed.
public struct KafkaConsumerConfiguration: Sendable {
    public var client: KafkaClientConfiguration
    /// `group.id`.
    public var groupID: String
    /// The topics to subscribe to.
    public var topics: [String]
    /// `session.timeout.ms`. Tests on tansu use 6 s: it holds a join for half of this.
    public var sessionTimeout: Duration?
    /// `auto.offset.reset`: where to start when the group has no committed offset.
    public var autoOffsetReset: OffsetReset?
    /// `isolation.level`.
    public var isolationLevel: IsolationLevel?
    /// `enable.auto.commit`; off by default.
    public var autoCommit: Bool
    /// `fetch.wait.max.ms`. tansu answers a waiting fetch only when it runs out, so this is the
    /// latency floor there; a low value costs idle fetch requests on a real cluster.
    public var fetchWaitMax: Duration?
    /// The most messages handed to the application at once.
    public var maxBatchSize: Int

    public enum OffsetReset: String, Sendable { case earliest, latest, error }
    public enum IsolationLevel: String, Sendable {
        case readCommitted = "read_committed", readUncommitted = "read_uncommitted"
    }

    public init(
        client: KafkaClientConfiguration = .init(), groupID: String, topics: [String],
        sessionTimeout: Duration? = nil, autoOffsetReset: OffsetReset? = nil,
        isolationLevel: IsolationLevel? = nil, autoCommit: Bool = false, fetchWaitMax: Duration? = nil,
        maxBatchSize: Int = 1024
    ) {
        self.client = client
        self.groupID = groupID
        self.topics = topics
        self.sessionTimeout = sessionTimeout
        self.autoOffsetReset = autoOffsetReset
        self.isolationLevel = isolationLevel
        self.autoCommit = autoCommit
        self.fetchWaitMax = fetchWaitMax
        self.maxBatchSize = maxBatchSize
    }

    var librdkafkaProperties: [(String, String)] {
        var result = client.librdkafkaProperties
        result.append(("group.id", groupID))
        result.append(("enable.auto.commit", autoCommit ? "true" : "false"))
        if let sessionTimeout { result.append(("session.timeout.ms", String(sessionTimeout.milliseconds))) }
        if let autoOffsetReset { result.append(("auto.offset.reset", autoOffsetReset.rawValue)) }
        if let isolationLevel { result.append(("isolation.level", isolationLevel.rawValue)) }
        if let fetchWaitMax { result.append(("fetch.wait.max.ms", String(fetchWaitMax.milliseconds))) }
        return result + client.passThroughProperties
    }
}
