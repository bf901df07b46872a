import ArgumentParser
import Foundation
import HubCommandLine
import HubServer
import HubContracts
import HubStore
import Kafka
import Logging

/// `lubehub core`: the core service, the only writer of state. Positions on their fast path;
/// master data, orders, inventory, shipments, tier-2 orders and delivery notes through the rules;
/// ETAs kept current; the outbox relayed to `hub.orders.events` and `hub.orders.updates`.
struct CoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "core",
        abstract: "Run the core: apply canonical events to the state store exactly once, and publish order updates."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var core: CoreOptions
    @OptionGroup var catalogueOptions: CatalogueOptions

    func run() async throws {
        try LogSetup.bootstrap()
        let logger = Logger(label: "lubehub.core")
        var configuration = HubConfiguration()
        configuration.core = core.settings
        let servers = connection.bootstrapServers
        let assembly = HubAssembly(configuration: configuration, catalogue: try catalogueOptions.load(), client: { KafkaClientConfiguration(bootstrapServers: servers, clientID: $0) })
        logger.info("core started", metadata: ["database": "\(DatabaseLocation(parsing: configuration.core.database))", "group": "\(configuration.core.group)"])
        try await assembly.run([.core], logger: logger)
    }
}

/// The core's options on the command line; see ``CoreSettings``.
struct CoreOptions: ParsableArguments {
    @Option(help: "The database: a SQLite file path (created and migrated if needed), or a postgresql:// URL.") var database = CoreSettings.defaults.database
    @Option(help: "The consumer group the core instances share.") var group = CoreSettings.defaults.group
    @Option(help: "The topic of canonical vehicle positions.") var positionsTopic = CoreSettings.defaults.positionsTopic
    @Option(help: "The dead-letter topic for events the core cannot read or apply.") var deadLetterTopic = CoreSettings.defaults.deadLetterTopic
    @Option(help: "The topics applied through the rules (comma-separated).")
    var eventTopics = CoreSettings.defaults.eventTopics.joined(separator: ",")
    @Option(help: "Of the event topics, those someone waits on (comma-separated): read by a consumer of their own.")
    var interactiveTopics = CoreSettings.defaults.interactiveTopics.joined(separator: ",")
    @Option(help: "Where the core publishes each order's events.") var orderEventsTopic = CoreSettings.defaults.orderEventsTopic
    @Option(help: "Where the core publishes each order's whole view.") var orderUpdatesTopic = CoreSettings.defaults.orderUpdatesTopic
    @Option(help: "The most positions applied in one transaction.") var maxBatch = CoreSettings.defaults.maxBatch
    @Option(help: "Hours of vehicle position history to keep (0 keeps all).") var historyRetentionHours = CoreSettings.defaults.historyRetentionHours
    @Option(help: "Seconds an event may wait for what it refers to before it is dead-lettered.") var holdTimeoutSeconds = CoreSettings.defaults.holdTimeoutSeconds
    @Option(help: "Seconds between ETA rounds (0: no ETA rounds).") var etaIntervalSeconds = CoreSettings.defaults.etaIntervalSeconds
    @Option(help: "fetch.wait.max.ms of the interactive topics' consumer: how long the broker may hold a fetch (tansu answers only when it runs out).")
    var fetchWaitMilliseconds = CoreSettings.defaults.fetchWaitMilliseconds
    @Option(help: "fetch.wait.max.ms of the other event topics' consumer.")
    var bulkFetchWaitMilliseconds = CoreSettings.defaults.bulkFetchWaitMilliseconds
    @Option(help: "fetch.wait.max.ms of the positions' consumer.")
    var positionsFetchWaitMilliseconds = CoreSettings.defaults.positionsFetchWaitMilliseconds
    @Option(help: "Seconds after which offsets the event consumers were not handed are read again, for messages a broker skipped them past (0: not looked for).")
    var gapRecheckSeconds = CoreSettings.defaults.gapRecheckSeconds
    @Option(help: "A vehicle fix dated more than this many seconds ahead of the hub's clock is refused.")
    var fixFutureMarginSeconds = CoreSettings.defaults.fixFutureMarginSeconds
    @Option(help: "A fix needing a faster truck than this since the vehicle's current one goes to the history only (0: not checked).")
    var fixMaxSpeedKmh = CoreSettings.defaults.fixMaxSpeedKmh

    var settings: CoreSettings {
        CoreSettings(database: database, group: group, positionsTopic: positionsTopic, deadLetterTopic: deadLetterTopic,
                     eventTopics: Self.list(eventTopics), interactiveTopics: Self.list(interactiveTopics),
                     orderEventsTopic: orderEventsTopic, orderUpdatesTopic: orderUpdatesTopic, maxBatch: maxBatch,
                     historyRetentionHours: historyRetentionHours, holdTimeoutSeconds: holdTimeoutSeconds, etaIntervalSeconds: etaIntervalSeconds,
                     fetchWaitMilliseconds: fetchWaitMilliseconds, bulkFetchWaitMilliseconds: bulkFetchWaitMilliseconds,
                     positionsFetchWaitMilliseconds: positionsFetchWaitMilliseconds, gapRecheckSeconds: gapRecheckSeconds,
                     fixFutureMarginSeconds: fixFutureMarginSeconds, fixMaxSpeedKmh: fixMaxSpeedKmh)
    }

    private static func list(_ commaSeparated: String) -> [String] {
        commaSeparated.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty }
    }
}
