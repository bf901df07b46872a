import Foundation
import HubServer
import Kafka
import KafkaTestSupport
import Testing

@Suite("configuration files")
struct HubConfigurationTests {
    static let config = repositoryRoot.appendingPathComponent("config")

    @Test("config/default.yaml is exactly the embedded defaults")
    func defaultFile() throws {
        let file = try HubConfiguration.load(path: Self.config.appendingPathComponent("default.yaml").path, environment: [:])
        let embedded = HubConfiguration()
        #expect(file.core == embedded.core)
        #expect(file.kafka.bootstrap == embedded.kafka.bootstrap && file.kafka.startLocalBroker && file.kafka.securityProtocol == "plaintext")
        #expect(file.kafka.maxPartitions == 1 && embedded.kafka.maxPartitions == 1, "one single-node local broker: one partition per topic")
        #expect(file.metrics.file == embedded.metrics.file && file.metrics.intervalSeconds == embedded.metrics.intervalSeconds)
        #expect(file.api.host == embedded.api.host && file.api.port == embedded.api.port)
        #expect(file.gateway.jt808.enabled && file.gateway.jt808.limits == embedded.gateway.jt808.limits)
        #expect(embedded.gateway.jt808.limits.host == "127.0.0.1" && embedded.gateway.jt808.limits.port == 6808)
    }

    @Test("config/production.yaml: SCRAM over TLS with the password from the environment, PostgreSQL, the rest defaulted")
    func productionFile() throws {
        let path = Self.config.appendingPathComponent("production.yaml").path
        let configuration = try HubConfiguration.load(path: path, environment: [:])
        #expect(configuration.core.database.hasPrefix("postgresql://"))
        #expect(configuration.core.group == "lubehub-core" && configuration.core.maxBatch == CoreSettings.defaults.maxBatch)
        #expect(!configuration.kafka.startLocalBroker)
        #expect(configuration.kafka.maxPartitions == nil, "a cluster gets the catalogue's partitions")
        #expect(throws: ConfigurationError.self, "the password variable is not set") {
            try configuration.kafka.client(clientID: "x", environment: [:])
        }
        let client = try configuration.kafka.client(clientID: "x", environment: ["LUBEHUB_KAFKA_PASSWORD": "s3cret"])
        guard case .saslScram(let mechanism, let username, let password, let tls) = client.security else {
            Issue.record("security is \(client.security)")
            return
        }
        #expect(mechanism == .sha512 && username == "lubehub-hub" && password == "s3cret" && tls?.caLocation == "/etc/lubehub/kafka-ca.pem")
        #expect(client.properties["socket.keepalive.enable"] == "true")
        #expect(configuration.gateway.jt808.limits.host == "0.0.0.0" && configuration.gateway.jt808.limits.port == 6808)
    }

    @Test("a misspelt key, a wrong type and an unset ${VARIABLE} are refused with what is wrong")
    func refusals() throws {
        func reason(_ yaml: String, _ environment: [String: String] = [:]) -> String? {
            do {
                _ = try HubConfiguration.parse(yaml, source: "test.yaml", environment: environment)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(reason("core:\n  databse: x.sqlite\n")?.contains("unknown key core.databse") == true)
        #expect(reason("gateway:\n  jt808:\n    prot: 1\n")?.contains("unknown key gateway.jt808.prot") == true)
        #expect(reason("gateway:\n  jt808:\n    port: 70000\n")?.contains("gateway.jt808.port") == true)
        #expect(reason("gateway:\n  jt808:\n    heartbeatSeconds: 5\n    acknowledgementTimeoutSeconds: 20\n")?.contains("below the idle timeout") == true)
        #expect(reason("brokers: []\n")?.contains("unknown section brokers") == true)
        #expect(reason("core:\n  maxBatch: many\n")?.contains("core.maxBatch") == true)
        #expect(reason("core:\n  database: ${DB_URL}\n")?.contains("${DB_URL}") == true)
        let expanded = try HubConfiguration.parse("core:\n  database: ${DB_URL}\n", source: "t", environment: ["DB_URL": "postgresql://h/db"])
        #expect(expanded.core.database == "postgresql://h/db")
        let noUser = try HubConfiguration.parse("kafka:\n  securityProtocol: sasl_ssl\n", source: "t", environment: [:])
        #expect {
            try noUser.kafka.client(clientID: "x", environment: [:])
        } throws: { error in
            (error as? ConfigurationError)?.description.contains("saslUsername") == true
        }
    }
}
