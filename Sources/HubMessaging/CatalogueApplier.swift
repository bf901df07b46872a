public import HubContracts
public import Kafka

/// Makes a broker match the catalogue: creates missing topics with their partitions and configs,
/// and reports drift on existing ones (it never changes or deletes an existing topic).
public struct CatalogueApplier: Sendable {
    /// What `apply` found or did for one topic.
    public enum Outcome: Sendable, Equatable, CustomStringConvertible {
        case created
        case inSync
        /// The topic exists but differs; each entry says how.
        case drift([String])
        case failed(String)

        public var description: String {
            switch self {
            case .created: "created"
            case .inSync: "in sync"
            case .drift(let differences): "DRIFT: " + differences.joined(separator: "; ")
            case .failed(let reason): "FAILED: " + reason
            }
        }
    }

    public let catalogue: TopicCatalogue
    public let admin: KafkaAdmin
    /// The most partitions a topic gets (a single-node local broker); nil: the catalogue's count.
    public let maxPartitions: Int?

    public init(catalogue: TopicCatalogue, admin: KafkaAdmin, maxPartitions: Int? = nil) {
        self.catalogue = catalogue
        self.admin = admin
        self.maxPartitions = maxPartitions
    }

    /// The partitions `topic` is created with here.
    public func partitions(of topic: TopicDefinition) -> Int32 {
        guard let maxPartitions else { return topic.partitions }
        return min(topic.partitions, Int32(clamping: maxPartitions))
    }

    /// Applies every topic (or only those named); returns the outcome per topic, in catalogue order.
    public func apply(only names: Set<String>? = nil) async throws(KafkaError) -> [(topic: String, outcome: Outcome)] {
        var results: [(topic: String, outcome: Outcome)] = []
        for topic in catalogue.topics where names?.contains(topic.name) ?? true {
            if let existing = try await admin.describeTopic(topic.name) {
                let differences = Self.drift(of: existing, from: topic, partitions: partitions(of: topic))
                results.append((topic.name, differences.isEmpty ? .inSync : .drift(differences)))
                continue
            }
            let created = try await admin.createTopics([KafkaNewTopic(name: topic.name, partitions: partitions(of: topic), configs: topic.configs)])
            switch created[topic.name] {
            case .created?: results.append((topic.name, .created))
            case .alreadyExists?: results.append((topic.name, .inSync))  // created concurrently by someone else
            case .failed(let reason)?: results.append((topic.name, .failed(reason)))
            case nil: results.append((topic.name, .failed("the broker did not answer for this topic")))
            }
        }
        return results
    }

    /// How a topic on the broker differs from its catalogue entry (created with `partitions`,
    /// the catalogue's count unless capped).
    public static func drift(of existing: KafkaTopicDescription, from topic: TopicDefinition, partitions: Int32? = nil) -> [String] {
        var differences: [String] = []
        let wanted = partitions ?? topic.partitions
        if existing.partitions != wanted {
            let capped = wanted == topic.partitions ? "" : " (at most \(wanted) here)"
            differences.append("partitions \(existing.partitions) on the broker, \(topic.partitions) in the catalogue\(capped)")
        }
        for (name, wanted) in topic.configs.sorted(by: { $0.key < $1.key }) {
            let actual = existing.configs[name]?.value
            if actual != wanted {
                differences.append("\(name) = \(actual ?? "unset") on the broker, \(wanted) in the catalogue")
            }
        }
        return differences
    }
}
