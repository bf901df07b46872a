public import ArgumentParser
import Foundation
public import HubServer

/// One line on standard output, written at once (print's buffer holds it back when redirected to a file).
public func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// The options every command that runs part of the hub on a configuration takes.
public struct ConfigurationOptions: ParsableArguments, Sendable {
    public init() {}

    @Option(help: "A configuration file (YAML; see config/). Default: the embedded defaults.") public var config: String?
    @Option(help: "Kafka bootstrap servers, overriding the configuration.") public var bootstrap: String?
    @Option(help: "The database (SQLite path or postgresql:// URL), overriding the configuration.") public var database: String?

    /// The configuration file (or the embedded defaults) with the command line's overrides.
    public func load() throws(ConfigurationError) -> HubConfiguration {
        var configuration = try config.map { path throws(ConfigurationError) in try HubConfiguration.load(path: path) } ?? HubConfiguration()
        if let bootstrap { configuration.kafka.bootstrap = bootstrap.split(separator: ",").map(String.init) }
        if let database { configuration.core.database = database }
        return configuration
    }
}
