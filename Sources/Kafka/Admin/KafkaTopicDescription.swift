/// A topic to create.
public struct KafkaNewTopic: Sendable {
    public var name: String
    public var partitions: Int32
    /// `nil` uses the broker's default replication factor.
    public var replicationFactor: Int32?
    /// Topic configs such as `cleanup.policy` or `retention.ms`.
    public var configs: [String: String]

    public init(name: String, partitions: Int32, replicationFactor: Int32? = nil, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// What happened to one topic of a create request.
public enum KafkaTopicCreation: Sendable, Equatable {
    case created
    case alreadyExists
    case failed(String)
}

/// A topic as the broker sees it.
public struct KafkaTopicDescription: Sendable {
    public var name: String
    public var partitions: Int32
    public var replicationFactor: Int32
    /// Every config the broker reports for the topic.
    public var configs: [String: KafkaConfigValue]
}

/// One topic config value and whether it is the broker's default rather than set on the topic.
public struct KafkaConfigValue: Sendable, Equatable {
    public var value: String?
    public var isDefault: Bool
}
