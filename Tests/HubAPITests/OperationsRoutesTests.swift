import CoreMetrics
import Foundation
import HubAPI
import HubServer
import HubStore
import Hummingbird
import HummingbirdTesting
import Kafka
import KafkaTestSupport
import Logging
import Synchronization
import Testing

/// The operations routes, in process, against the real broker and a real database.
@Suite("HTTP API: /health, /ready, /metrics")
struct OperationsRoutesTests {
    func application(readiness: [any ReadinessCheck], export: PrometheusExport = PrometheusExport()) -> some ApplicationProtocol {
        APIServer.application(host: "127.0.0.1", port: 0, readiness: readiness, metrics: { export.text() }, services: nil, logger: Logger(label: "test"))
    }

    func temporaryDatabase() -> DatabaseLocation {
        DatabaseLocation(parsing: FileManager.default.temporaryDirectory.appendingPathComponent("lubehub-ready-\(UUID().uuidString).sqlite").path)
    }

    @Test("/health answers while the process runs")
    func health() async throws {
        try await application(readiness: []).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok && response.headers[.contentType] == "application/json")
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
        }
    }

    @Test("/ready: 200 when the broker and the database answer, 503 naming each that does not, with no address or database text")
    func ready() async throws {
        let ready = application(readiness: [BrokerReadiness(client: TestBroker.client), DatabaseReadiness(location: temporaryDatabase())])
        try await ready.test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                #expect(String(buffer: response.body) == #"{"checks":{"broker":"ok","database":"ok"},"status":"ready"}"#)
            }
        }
        let unreachable = KafkaClientConfiguration(bootstrapServers: ["127.0.0.1:1"], clientID: "ready-test")
        let notReady = application(readiness: [BrokerReadiness(client: unreachable),
                                               DatabaseReadiness(location: DatabaseLocation(parsing: "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"))])
        try await notReady.test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let body = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                let checks = body?["checks"] as? [String: String]
                #expect(body?["status"] as? String == "not ready")
                #expect(checks == ["broker": "no answer", "database": "no answer"], "\(checks ?? [:])")
                #expect(!String(buffer: response.body).contains("127.0.0.1"), "the details are logged, not answered")
            }
        }
    }

    /// A check that counts how often it is asked.
    final class CountingCheck: ReadinessCheck {
        let name = "counted"
        let failingState = "never"
        let asked = Atomic<Int>(0)
        func problem() async -> String? {
            asked.add(1, ordering: .relaxed)
            return nil
        }
    }

    @Test("/ready asks its checks at most once a second or so, however many ask it")
    func readyCached() async throws {
        let check = CountingCheck()
        try await application(readiness: [check]).test(.router) { client in
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<20 { group.addTask { try await client.execute(uri: "/ready", method: .get) { $0.status } } }
                for try await status in group { #expect(status == .ok) }
            }
        }
        #expect(check.asked.load(ordering: .relaxed) == 1)
    }

    @Test("/metrics: the registry's Prometheus text, as Prometheus asks for it")
    func metrics() async throws {
        let export = PrometheusExport()
        Counter(label: "lubehub_test_requests_total", dimensions: [("route", "metrics")], factory: export.factory).increment(by: 7)
        try await application(readiness: [], export: export).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                #expect(String(buffer: response.body).contains(#"lubehub_test_requests_total{route="metrics"} 7"#))
            }
        }
    }

    @Test("/ready: the core's lag, from the broker's end offsets and the offsets the core stored with its state")
    func consumerLag() async throws {
        let topic = try await TestBroker.createTopic("ready-lag", partitions: 2)
        let producer = try TestBroker.producer()
        for index in 0..<6 { try await producer.send(KafkaProducerMessage(topic: topic, partition: Int32(index % 2), key: nil, value: "m\(index)")) }
        let location = temporaryDatabase()
        let lag = ConsumerLagReadiness(client: TestBroker.client, location: location, groups: ["core", "core-events"], topics: [topic], maxLag: 2)
        #expect(try await lag.lags() == [topic: 6])
        let behind = await lag.problem()
        #expect(behind?.contains("\(topic) by 6 messages") == true, "\(behind ?? "ready")")
        // What the core records with its state, as it records it.
        let store = try CoreStore(location)
        try await store.transaction { tables throws(StoreError) in
            try tables.consumerOffsets.record([ConsumedPosition(topic: topic, partition: 0, nextOffset: 3)], group: "core-events")
            try tables.consumerOffsets.record([ConsumedPosition(topic: topic, partition: 1, nextOffset: 2)], group: "core")
        }
        #expect(try await lag.lags() == [topic: 1])
        #expect(await lag.problem() == nil)
        try await application(readiness: [lag]).test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok && String(buffer: response.body).contains(#""consumers":"ok""#))
            }
        }
    }
}
