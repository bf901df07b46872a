public import HubAPI
public import HubStore
public import Kafka

/// `/ready`'s question to the broker: does it answer a metadata request within 3 s?
public struct BrokerReadiness: ReadinessCheck {
    public let name = "broker"
    private let client: KafkaClientConfiguration

    public init(client: KafkaClientConfiguration) {
        var quiet = client
        quiet.properties["log_level"] = "0"
        self.client = quiet
    }

    public func problem() async -> String? {
        do {
            _ = try await KafkaAdmin(configuration: client).listTopics(timeout: .seconds(3))
            return nil
        } catch {
            return "no answer from \(client.bootstrapServers.joined(separator: ",")) within 3 s: \(error)"
        }
    }
}

/// `/ready`'s question to the database: does a connection open and answer a trivial query? Asked on a
/// thread of its own (opening a PostgreSQL connection may wait on the network).
public struct DatabaseReadiness: ReadinessCheck {
    public let name = "database"
    private let location: DatabaseLocation

    public init(location: DatabaseLocation) {
        self.location = location
    }

    public func problem() async -> String? {
        do {
            try await ReadConnections.probe(location)
            return nil
        } catch {
            return "\(location): \(error)"
        }
    }
}

/// `/ready`'s question about the core: how far behind the broker is it? The core keeps its
/// consumed offsets in its database (with the state they produced), so its lag is each partition's
/// end offset less the offset the database says comes next. Not ready past `maxLag` messages on a
/// topic (a core that is starting up and catching up, or one that has stopped consuming). A
/// transaction's commit marker takes an offset too, so a caught-up partition may show a lag of 1.
public struct ConsumerLagReadiness: ReadinessCheck {
    public let name = "consumers"
    private let client: KafkaClientConfiguration
    private let location: DatabaseLocation
    private let groups: [String]
    private let topics: [String]
    private let maxLag: Int64

    public init(client: KafkaClientConfiguration, location: DatabaseLocation, groups: [String], topics: [String], maxLag: Int64) {
        var quiet = client
        quiet.properties["log_level"] = "0"
        self.client = quiet
        self.location = location
        self.groups = groups
        self.topics = topics
        self.maxLag = maxLag
    }

    /// Each topic's lag (summed over its partitions).
    public func lags() async throws -> [String: Int64] {
        let admin = try KafkaAdmin(configuration: client)
        let (groups, topics) = (groups, topics)
        let stored = try await ReadConnections.open(location, label: "readiness-lag").read { reader throws(StoreError) -> [String: [Int32: Int64]] in
            var stored: [String: [Int32: Int64]] = [:]
            for topic in topics {
                for group in groups {
                    stored[topic, default: [:]].merge(try reader.coreProgress.storedOffsets(group: group, topic: topic)) { max($0, $1) }
                }
            }
            return stored
        }
        var lags: [String: Int64] = [:]
        for topic in topics {
            let ends = try await admin.endOffsets(topic: topic, timeout: .seconds(3))
            lags[topic] = ends.reduce(0) { sum, entry in sum + max(0, entry.value - (stored[topic]?[entry.key] ?? 0)) }
        }
        return lags
    }

    public func problem() async -> String? {
        do {
            let behind = try await lags().filter { $0.value > maxLag }.sorted { $0.key < $1.key }
            guard !behind.isEmpty else { return nil }
            return "the core is behind: " + behind.map { "\($0.key) by \($0.value) messages" }.joined(separator: ", ") + " (more than \(maxLag))"
        } catch {
            return "the core's lag could not be measured: \(error)"
        }
    }
}
