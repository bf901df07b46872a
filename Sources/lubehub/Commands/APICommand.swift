import ArgumentParser
import Foundation
import HubCommandLine
import HubServer
import Logging

/// `lubehub api`: the HTTP API alone, beside a core (`lubehub core`) on the same database and
/// broker. Several can run behind a load balancer: they share only the database, the broker and
/// `api.secretFile`.
struct APICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Run the HTTP API alone (the core and the adapters run elsewhere on the same database and broker)."
    )

    @OptionGroup var configurationOptions: ConfigurationOptions
    @Option(help: "The port, overriding the configuration.") var port: Int?
    @OptionGroup var catalogueOptions: CatalogueOptions

    func run() async throws {
        try LogSetup.bootstrap()
        let metrics = PrometheusExport()
        metrics.bootstrap()
        let logger = Logger(label: "lubehub.api")
        var configuration = try configurationOptions.load()
        if let port { configuration.api.port = port }
        let probe = try configuration.kafka.client(clientID: "lubehub-api")
        var assembly = HubAssembly(configuration: configuration, catalogue: try catalogueOptions.load(), client: probe.named)
        assembly.metrics = metrics
        say("API: http://\(configuration.api.host):\(configuration.api.port) on \(configuration.core.database); Ctrl-C stops it")
        try await assembly.run([.api], logger: logger)
    }
}
