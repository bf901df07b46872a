public import HubAPI
public import HubStore
public import Kafka
import Synchronization

/// One admin client for every question `/ready` asks the broker, made at the first question (a
/// new librdkafka client per question would open connections and threads each time); made again
/// only when making it failed.
final class ReadinessAdmin: Sendable {
    private let client: KafkaClientConfiguration
    private let admin = Mutex<KafkaAdmin?>(nil)

    init(client: KafkaClientConfiguration) {
        var quiet = client
        quiet.properties["log_level"] = "0"
        self.client = quiet
    }

    var servers: String { client.bootstrapServers.joined(separator: ",") }

    func get() throws(KafkaError) -> KafkaAdmin {
        try admin.withLock { admin throws(KafkaError) -> KafkaAdmin in
            if let admin { return admin }
            let made = try KafkaAdmin(configuration: client)
            admin = made
            return made
        }
    }
}

/// `/ready`'s question to the broker: does it answer a metadata request within 3 s?
public struct BrokerReadiness: ReadinessCheck {
    public let name = "broker"
    public let failingState = "no answer"
    private let admin: ReadinessAdmin

    public init(client: KafkaClientConfiguration) {
        admin = ReadinessAdmin(client: client)
    }

    public func problem() async -> String? {
        do {
            _ = try await admin.get().listTopics(timeout: .seconds(3))
            return nil
        } catch {
            return "no answer from \(admin.servers) within 3 s: \(error)"
        }
    }
}

/// `/ready`'s question to the database: does a connection open and answer a trivial query? Asked on a
/// thread of its own (opening a PostgreSQL connection may wait on the network).
public struct DatabaseReadiness: ReadinessCheck {
    public let name = "database"
    public let failingState = "no answer"
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
public final class ConsumerLagReadiness: ReadinessCheck {
    public let name = "consumers"
    public let failingState = "behind"
    private let admin: ReadinessAdmin
    private let location: DatabaseLocation
    private let connection: Mutex<ReadConnections?>
    private let groups: [String]
    private let topics: [String]
    private let maxLag: Int64

    public init(client: KafkaClientConfiguration, location: DatabaseLocation, groups: [String], topics: [String], maxLag: Int64) {
        self.admin = ReadinessAdmin(client: client)
        self.location = location
        self.connection = Mutex(nil)
        self.groups = groups
        self.topics = topics
        self.maxLag = maxLag
    }

    /// Each topic's lag (summed over its partitions).
    public func lags() async throws -> [String: Int64] {
        let admin = try admin.get()
        let (groups, topics) = (groups, topics)
        let stored = try await connection().read { reader throws(StoreError) -> [String: [Int32: Int64]] in
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

    /// The connection the stored offsets are read on, opened at the first question (on a queue of
    /// its own: opening may wait on the network) and opened again after a question failed.
    private func connection() async throws(StoreError) -> ReadConnections {
        if let open = connection.withLock({ $0 }) { return open }
        let opened = try await ReadConnections.open(location, label: "readiness-lag")
        return connection.withLock { connection in
            if let connection { return connection }
            connection = opened
            return opened
        }
    }

    public func problem() async -> String? {
        do {
            let behind = try await lags().filter { $0.value > maxLag }.sorted { $0.key < $1.key }
            guard !behind.isEmpty else { return nil }
            return "the core is behind: " + behind.map { "\($0.key) by \($0.value) messages" }.joined(separator: ", ") + " (more than \(maxLag))"
        } catch {
            connection.withLock { $0 = nil }
            return "the core's lag could not be measured: \(error)"
        }
    }
}
