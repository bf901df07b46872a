import ArgumentParser

@main
struct LubeHubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lubehub",
        abstract: "LubeHub: the message-driven integration hub of the dealer CRM.",
        subcommands: [VersionCommand.self, ServeCommand.self, CoreCommand.self, AdapterCommand.self, DecodeCommand.self, TopicsCommand.self, ValidateCommand.self, KafkaCommand.self, TokenCommand.self, UsersCommand.self, APICommand.self, GatewayCommand.self, SimulateCommand.self, AnalyticsCommand.self]
    )
}
