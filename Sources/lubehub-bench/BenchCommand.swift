import ArgumentParser
import HubCommandLine

/// `lubehub-bench`: the benchmarks, apart from the production command tree. Each prints its
/// figures and a ratio against a baseline measured in the same run.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lubehub-bench",
        abstract: "Benchmarks that print their figures and a ratio against a baseline measured in the same run.",
        subcommands: [BenchKafkaCommand.self, BenchIngestCommand.self, BenchAdapterCommand.self, BenchOrdersCommand.self, BenchCodecCommand.self, BenchAuthCommand.self, BenchAdminCommand.self, BenchPagesCommand.self, BenchAnalyticsCommand.self, BenchEngagementCommand.self, BenchGatewayCommand.self, BenchBooksCommand.self, BenchForecastCommand.self]
    )
}
