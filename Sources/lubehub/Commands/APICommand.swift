import ArgumentParser
import Foundation
import HubServer
import Logging
import ServiceLifecycle
import UnixSignals

/// `lubehub api`: the HTTP API alone, beside a core (`lubehub core`) on the same database and
/// broker. Several can run behind a load balancer: they share only the database, the broker and
/// `api.secretFile`.
struct APICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Run the HTTP API alone (the core and the adapters run elsewhere on the same database and broker)."
    )

    @Option(help: "A configuration file (YAML; see config/). Default: the embedded defaults.") var config: String?
    @Option(help: "Kafka bootstrap servers, overriding the configuration.") var bootstrap: String?
    @Option(help: "The database (SQLite path or postgresql:// URL), overriding the configuration.") var database: String?
    @Option(help: "The port, overriding the configuration.") var port: Int?
    @OptionGroup var catalogueOptions: CatalogueOptions

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let metrics = PrometheusExport()
        metrics.bootstrap()
        let logger = Logger(label: "lubehub.api")
        var configuration = try config.map { path throws(ConfigurationError) in try HubConfiguration.load(path: path) } ?? HubConfiguration()
        if let bootstrap { configuration.kafka.bootstrap = bootstrap.split(separator: ",").map(String.init) }
        if let database { configuration.core.database = database }
        if let port { configuration.api.port = port }
        let probe = try configuration.kafka.client(clientID: "lubehub-api")
        let services = try configuration.apiServices(catalogue: try catalogueOptions.load(), client: { id in
            var client = probe
            client.clientID = id
            return client
        }, metrics: { metrics.text() })
        say("API: http://\(configuration.api.host):\(configuration.api.port) on \(configuration.core.database); Ctrl-C stops it")
        try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
    }
}
