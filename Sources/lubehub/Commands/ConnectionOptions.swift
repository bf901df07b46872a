import ArgumentParser
import Foundation
import Kafka

/// `--bootstrap HOST:PORT`, shared by every command that talks to Kafka.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap servers, HOST:PORT[,HOST:PORT]. Default: $LUBEHUB_BOOTSTRAP, else the local broker on 127.0.0.1:9092.")
    var bootstrap: String?

    static let localBroker = "127.0.0.1:9092"

    var bootstrapServers: [String] {
        let configured = bootstrap ?? ProcessInfo.processInfo.environment["LUBEHUB_BOOTSTRAP"] ?? Self.localBroker
        return configured.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }
    }

    func client(clientID: String) -> KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: bootstrapServers, clientID: clientID)
    }
}
