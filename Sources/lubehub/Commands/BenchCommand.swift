import ArgumentParser

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that print their figures and a ratio against a baseline measured in the same run.",
        subcommands: [BenchKafkaCommand.self, BenchIngestCommand.self, BenchAdapterCommand.self, BenchOrdersCommand.self, BenchCodecCommand.self]
    )
}
