import ArgumentParser
import Adapters
import Foundation
import HubCommandLine
import HubContracts
import HubMessaging
import HubServer
import HubStore
import Kafka
import Logging

/// `lubehub serve`: the whole hub in one process on the embedded defaults (the local broker,
/// `./data/hub.sqlite`) or on a configuration file (`config/production.yaml`: a Kafka cluster and
/// PostgreSQL). It makes sure a broker answers (starting the local one if the configuration allows),
/// applies the topic catalogue, then runs every part of the hub (``HubRole/all(_:)``: the adapters, the
/// JT/T 808 gateway, the core, the HTTP API) until SIGINT/SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the hub: broker check (starting the local one if needed), topic catalogue applied, the core."
    )

    @OptionGroup var configurationOptions: ConfigurationOptions
    @OptionGroup var catalogueOptions: CatalogueOptions

    func run() async throws {
        try LogSetup.bootstrap()
        let metrics = PrometheusExport()
        metrics.bootstrap()
        let logger = Logger(label: "lubehub.serve")
        let configuration = try configurationOptions.load()
        let kafka = configuration.kafka
        let probe = try kafka.client(clientID: "lubehub-serve")

        var startedBroker: LocalBroker?
        if try await !Self.answers(probe) {
            guard kafka.startLocalBroker else {
                throw ConfigurationError("no Kafka broker answers at \(kafka.bootstrap.joined(separator: ",")) and kafka.startLocalBroker is false")
            }
            let broker = try LocalBroker(bootstrap: kafka.bootstrap)
            say("no broker answers at \(kafka.bootstrap.joined(separator: ",")): starting the local one (\(broker.script.path))")
            try broker.start()
            startedBroker = broker
        }
        let catalogue = try catalogueOptions.load()
        let results = try await CatalogueApplier(catalogue: catalogue, admin: try KafkaAdmin(configuration: probe), maxPartitions: kafka.maxPartitions).apply()
        let created = results.filter { $0.outcome == .created }.count
        for (topic, outcome) in results {
            switch outcome {
            case .drift, .failed: say("topic \(topic): \(outcome)")
            default: break
            }
        }
        if results.contains(where: { if case .failed = $0.outcome { return true }; return false }) {
            throw ConfigurationError("some topics could not be created (above); the hub does not start without them")
        }
        say("topics: \(results.count) in the catalogue, \(created) created now\(kafka.maxPartitions.map { ", at most \($0) partition(s) each (kafka.maxPartitions)" } ?? "")")
        say("database: \(DatabaseLocation(parsing: configuration.core.database))")

        do {
            try await Self.runServices(configuration, catalogue: catalogue, client: probe, metrics: metrics, logger: logger)
        } catch {
            startedBroker?.stop()
            throw error
        }
        if let startedBroker {
            startedBroker.stop()
            say("stopped the local broker this run started")
        }
    }

    /// Runs the hub's services until SIGINT/SIGTERM; its Kafka clients are gone when it returns.
    static func runServices(_ configuration: HubConfiguration, catalogue: TopicCatalogue, client probe: KafkaClientConfiguration,
                            metrics: PrometheusExport, logger: Logger) async throws {
        var assembly = HubAssembly(configuration: configuration, catalogue: catalogue, client: probe.named)
        assembly.metrics = metrics
        assembly.writesMetricsFile = true
        let api = configuration.api
        say("API: http://\(api.host):\(api.port) (/v1/…, /openapi.json, /health, /ready, /metrics); tokens: lubehub token issue")
        if configuration.metrics.intervalSeconds > 0 {
            say("metrics: \(configuration.metrics.file), every \(configuration.metrics.intervalSeconds) s (Prometheus text format)")
        }
        let gateway = configuration.gateway.jt808
        if gateway.enabled { say("JT/T 808 gateway: tcp://\(gateway.limits.host):\(gateway.limits.port) (trucks' terminals register, authenticate and report here)") }
        say("LubeHub is running (core: group \(configuration.core.group); adapters: \(HubAdapters.names.joined(separator: ", "))); Ctrl-C stops it")
        try await assembly.run(HubRole.all(configuration), logger: logger)
    }

    /// Whether a broker answers a metadata request within 3 s.
    static func answers(_ client: KafkaClientConfiguration) async throws -> Bool {
        var quiet = client
        quiet.properties["log_level"] = "0"
        let admin = try KafkaAdmin(configuration: quiet)
        do {
            _ = try await admin.listTopics(timeout: .seconds(3))
            return true
        } catch {
            return false
        }
    }
}
