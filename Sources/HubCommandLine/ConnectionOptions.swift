public import ArgumentParser
import Foundation
public import Kafka

/// `--bootstrap HOST:PORT`, shared by every command that talks to Kafka.
public struct ConnectionOptions: ParsableArguments, Sendable {
    public init() {}

    @Option(help: "Kafka bootstrap servers, HOST:PORT[,HOST:PORT]. Default: $LUBEHUB_BOOTSTRAP, else the local broker on 127.0.0.1:9092.")
    public var bootstrap: String?

    public static let localBroker = "127.0.0.1:9092"

    public var bootstrapServers: [String] {
        let configured = bootstrap ?? ProcessInfo.processInfo.environment["LUBEHUB_BOOTSTRAP"] ?? Self.localBroker
        return configured.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }
    }

    public func client(clientID: String) -> KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: bootstrapServers, clientID: clientID)
    }
}

/// The bytes of a file named on the command line, or of standard input for `-`.
public func readInput(_ file: String) throws -> [UInt8] {
    if file == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
    guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
    return Array(data)
}
