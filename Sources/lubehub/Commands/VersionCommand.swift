import ArgumentParser
import HubCommandLine
import Kafka

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the hub's version and the librdkafka it runs against.")

    static let hubVersion = "0.1.0"

    func run() throws {
        print("lubehub \(Self.hubVersion)")
        print("librdkafka \(KafkaLibrary.versionString)")
        try KafkaLibrary.checkVersion()
    }
}
