import ArgumentParser
import Foundation
import HubContracts
import HubCore
import HubStore
import Kafka
import Logging
import ServiceLifecycle
import UnixSignals

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

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "lubehub.core")
        let services = try core.services(connection: connection, logger: logger)
        logger.info("core started", metadata: ["database": "\(DatabaseLocation(parsing: core.database))", "group": "\(core.group)"])
        let serviceGroup = ServiceGroup(configuration: .init(
            services: services,  // shut down in reverse: the ingests before the producers they use
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        try await serviceGroup.run()
    }
}

/// The core's options, shared by `lubehub core` and `lubehub serve`.
struct CoreOptions: ParsableArguments {
    @Option(help: "The database: a SQLite file path (created and migrated if needed), or a postgresql:// URL.") var database = "data/hub.sqlite"
    @Option(help: "The consumer group the core instances share.") var group = "lubehub-core"
    @Option(help: "The topic of canonical vehicle positions.") var positionsTopic = "hub.vehicles.positions"
    @Option(help: "The dead-letter topic for events the core cannot read or apply.") var deadLetterTopic = "hub.core.dlq"
    @Option(help: "The topics applied through the rules (comma-separated).")
    var eventTopics = CoreOptions.defaultEventTopics.joined(separator: ",")
    @Option(help: "The most positions applied in one transaction.") var maxBatch = 5000
    @Option(help: "Hours of vehicle position history to keep (0 keeps all).") var historyRetentionHours = 168
    @Option(help: "Seconds an event may wait for what it refers to before it is dead-lettered.") var holdTimeoutSeconds = 300
    @Option(help: "Where the core publishes each order's events.") var orderEventsTopic = "hub.orders.events"
    @Option(help: "Where the core publishes each order's whole view.") var orderUpdatesTopic = "hub.orders.updates"
    @Option(help: "Seconds between ETA rounds (0: no ETA rounds).") var etaIntervalSeconds = 30
    @Option(help: "fetch.wait.max.ms: how long the broker may hold a fetch (tansu answers only when it runs out).") var fetchWaitMilliseconds = 10

    var topics: CoreRules.Topics { .init(orderEvents: orderEventsTopic, orderUpdates: orderUpdatesTopic) }

    static let defaultEventTopics = [
        "hub.dealers", "hub.permission-groups", "hub.materials", "hub.price-lists", "hub.warehouses",
        "hub.inventory.snapshots", "hub.inventory.movements", "hub.orders.commands", "hub.orders.events",
        "hub.shipments", "hub.vehicles", "hub.tier2-orders", "hub.delivery-notes",
    ]

    func services(connection: ConnectionOptions, logger: Logger) throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let location = DatabaseLocation(parsing: database)
        let deadLetters = try KafkaProducer(configuration: .init(client: connection.client(clientID: "lubehub-core-dlq")))
        let relayProducer = try KafkaProducer(configuration: .init(client: connection.client(clientID: "lubehub-core-outbox")))
        let positions = PositionIngest(
            configuration: .init(
                consumer: .init(client: connection.client(clientID: "lubehub-core"), groupID: group, topics: [positionsTopic],
                                sessionTimeout: .seconds(6), autoOffsetReset: .earliest, fetchWaitMax: .milliseconds(fetchWaitMilliseconds),
                                maxBatchSize: maxBatch),
                deadLetterTopic: deadLetterTopic,
                historyRetention: historyRetentionHours > 0 ? .seconds(historyRetentionHours * 3600) : nil),
            store: try PositionStore(location), deadLetters: deadLetters, logger: logger
        )
        let coreStore = try CoreStore(location)
        let topics = eventTopics.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty }
        let events = EventIngest(
            configuration: .init(
                consumer: .init(client: connection.client(clientID: "lubehub-core-events"), groupID: group + "-events", topics: topics,
                                sessionTimeout: .seconds(6), autoOffsetReset: .earliest, fetchWaitMax: .milliseconds(fetchWaitMilliseconds)),
                deadLetterTopic: deadLetterTopic, holdTimeout: .seconds(holdTimeoutSeconds)),
            store: coreStore, rules: CoreRules(topics: self.topics), deadLetters: deadLetters, logger: logger
        )
        let relay = OutboxRelay(outbox: Outbox(sharing: coreStore.database), producer: relayProducer, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: deadLetters), .init(service: relayProducer), .init(service: relay), .init(service: positions),
        ]
        if !topics.isEmpty { services.append(.init(service: events)) }
        if etaIntervalSeconds > 0 {
            services.append(.init(service: EtaUpdater(store: coreStore, topics: self.topics, interval: .seconds(etaIntervalSeconds), logger: logger)))
        }
        return services
    }
}
