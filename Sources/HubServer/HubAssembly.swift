public import Adapters
public import HubContracts
import HubStore
import HubGateway
public import Kafka
public import Logging
public import ServiceLifecycle
import UnixSignals

/// A part of the hub a process can run. `lubehub serve` runs them all; `lubehub core`, `lubehub
/// api` and `lubehub adapter NAME` run one; several processes running the same part share its
/// work through Kafka consumer groups (and the database).
public enum HubRole: Sendable, Hashable, CustomStringConvertible {
    /// The only writer of state: positions, the rules, the outbox relay, ETAs.
    case core
    /// The HTTP API (reads the store, publishes commands).
    case api
    /// One adapter's workers, by name (``HubAdapters/names``).
    case adapter(String)
    /// The JT/T 808 gateway trucks connect to over TCP (`gateway.jt808`).
    case gatewayJT808

    /// Every part: what `lubehub serve` runs (the gateway unless `gateway.jt808.enabled` is false).
    public static func all(_ configuration: HubConfiguration) -> [HubRole] {
        HubAdapters.names.map(HubRole.adapter) + (configuration.gateway.jt808.enabled ? [.gatewayJT808] : []) + [.core, .api]
    }

    public var description: String {
        switch self {
        case .core: "core"
        case .api: "api"
        case .adapter(let name): "adapter \(name)"
        case .gatewayJT808: "gateway jt808"
        }
    }
}

/// Builds the services of the parts a process runs, and runs them in one service group: the one
/// place where the hub is put together, whichever command starts it.
public struct HubAssembly: Sendable {
    /// Settings only `lubehub adapter` offers: a second instance's name, the carrier's topics, a prefix.
    public struct AdapterOptions: Sendable {
        public var instance = "0"
        public var carrierTopics = CarrierTopics()
        public var topicPrefix = ""
        public init() {}
    }

    public var configuration: HubConfiguration
    public var catalogue: TopicCatalogue
    public var adapterOptions = AdapterOptions()
    /// The metrics `/metrics` serves and the file writer writes (none: `/metrics` is empty).
    public var metrics: PrometheusExport?
    /// Write the metrics file every `configuration.metrics.intervalSeconds` (what `serve` does).
    public var writesMetricsFile = false
    private let client: @Sendable (String) -> KafkaClientConfiguration

    /// - Parameter client: the Kafka client configuration for a client id (the configured brokers and security).
    public init(configuration: HubConfiguration, catalogue: TopicCatalogue, client: @escaping @Sendable (String) -> KafkaClientConfiguration) {
        self.configuration = configuration
        self.catalogue = catalogue
        self.client = client
    }

    /// The services of `roles`, in start order: adapters first (they stop last, after the core
    /// finished what it read), then the core, then the API (it stops first), then the metrics file.
    public func services(for roles: [HubRole], logger: Logger) throws -> [any Service] {
        var services: [any Service] = []
        for case .adapter(let name) in roles {
            guard let adapter = HubAdapters.services(named: name, client: client("lubehub-adapter-\(name)"), catalogue: catalogue,
                                                     instance: adapterOptions.instance, carrierTopics: adapterOptions.carrierTopics,
                                                     topicPrefix: adapterOptions.topicPrefix, logger: Logger(label: "lubehub.adapter.\(name)")) else {
                throw ConfigurationError("no adapter \(name); the adapters: \(HubAdapters.names.joined(separator: ", "))")
            }
            services += adapter
        }
        if roles.contains(.gatewayJT808) {
            services.append(JT808Gateway(limits: configuration.gateway.jt808.limits, client: client("lubehub-gateway-jt808"),
                                         topics: JT808Gateway.Topics(prefix: adapterOptions.topicPrefix), logger: Logger(label: "lubehub.gateway.jt808")))
        }
        // An API beside the core learns of its commits in-process: a decision is answered when it commits, not at the next poll.
        let commits = roles.contains(.core) && roles.contains(.api) ? CommitSignal() : nil
        if roles.contains(.core) {
            services += try configuration.core.services(client: client, commits: commits, logger: logger)
        }
        if roles.contains(.api) {
            let export = metrics
            services += try configuration.apiServices(catalogue: catalogue, client: client, coreCommits: commits, metrics: { export?.text() ?? "" })
        }
        if writesMetricsFile, let metrics, configuration.metrics.intervalSeconds > 0 {
            services.append(MetricsFileWriter(export: metrics, path: configuration.metrics.file, interval: .seconds(configuration.metrics.intervalSeconds),
                                              logger: logger))
        }
        return services
    }

    /// Runs `roles` until SIGTERM or SIGINT, which drain every service in reverse start order. A
    /// service that fails shuts the others down gracefully too (they finish and commit what they
    /// hold) rather than cancelling them; one that returns early does the same.
    public func run(_ roles: [HubRole], logger: Logger) async throws {
        let services = try services(for: roles, logger: logger)
        try await Self.run(services, logger: logger)
    }

    /// Runs `services` in one service group, as ``run(_:logger:)`` does.
    public static func run(_ services: [any Service], logger: Logger) async throws {
        let configurations = services.map {
            ServiceGroupConfiguration.ServiceConfiguration(service: $0, successTerminationBehavior: .gracefullyShutdownGroup,
                                                           failureTerminationBehavior: .gracefullyShutdownGroup)
        }
        let group = ServiceGroup(configuration: .init(services: configurations, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
