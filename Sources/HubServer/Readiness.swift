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

/// `/ready`'s question to the database: does a connection open and answer `SELECT 1`? Asked on a
/// thread of its own (opening a PostgreSQL connection may wait on the network).
public struct DatabaseReadiness: ReadinessCheck {
    public let name = "database"
    private let location: DatabaseLocation

    public init(location: DatabaseLocation) {
        self.location = location
    }

    public func problem() async -> String? {
        let location = location
        do {
            _ = try await StoreQueue(label: "readiness").run { () throws(StoreError) in try location.open().query("SELECT 1") }
            return nil
        } catch {
            return "\(location): \(error)"
        }
    }
}
