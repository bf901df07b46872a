import ArgumentParser
import Foundation
import HubContracts
import HubCore
import HubStore
import Kafka
import Logging
import ServiceLifecycle
import UnixSignals

/// `lubehub core`: the core service. This first cut applies vehicle positions; orders, inventory and
/// shipments follow (issue 4).
struct CoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "core",
        abstract: "Run the core: apply canonical events to the state store, exactly once (first cut: vehicle positions)."
    )

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "The SQLite database file (created and migrated if needed).") var database = "data/hub.sqlite"
    @Option(help: "The consumer group the core instances share.") var group = "lubehub-core"
    @Option(help: "The topic of canonical vehicle positions.") var positionsTopic = "hub.vehicles.positions"
    @Option(help: "The dead-letter topic for events the core cannot read.") var deadLetterTopic = "hub.core.dlq"
    @Option(help: "Master-data topics (comma-separated); empty to apply positions only.")
    var masterDataTopics = "hub.dealers,hub.permission-groups,hub.materials,hub.price-lists,hub.warehouses,hub.inventory.snapshots"
    @Option(help: "The most events applied in one transaction.") var maxBatch = 5000
    @Option(help: "Hours of vehicle position history to keep (0 keeps all).") var historyRetentionHours = 168
    @Option(help: "fetch.wait.max.ms: how long the broker may hold a fetch (tansu answers only when it runs out).") var fetchWaitMilliseconds = 10

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "lubehub.core")
        let directory = URL(fileURLWithPath: database).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let store = try SQLitePositionStore(path: database)
        let deadLetters = try KafkaProducer(configuration: .init(client: connection.client(clientID: "lubehub-core-dlq")))
        let ingest = PositionIngest(
            configuration: .init(
                consumer: .init(client: connection.client(clientID: "lubehub-core"), groupID: group, topics: [positionsTopic],
                                sessionTimeout: .seconds(6), autoOffsetReset: .earliest, fetchWaitMax: .milliseconds(fetchWaitMilliseconds),
                                maxBatchSize: maxBatch),
                deadLetterTopic: deadLetterTopic,
                historyRetention: historyRetentionHours > 0 ? .seconds(historyRetentionHours * 3600) : nil),
            store: store, deadLetters: deadLetters, logger: logger
        )
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: deadLetters), .init(service: ingest)]
        let masterTopics = masterDataTopics.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty }
        if !masterTopics.isEmpty {
            let masterData = MasterDataIngest(
                configuration: .init(
                    consumer: .init(client: connection.client(clientID: "lubehub-core-master-data"), groupID: group + "-master-data", topics: masterTopics,
                                    sessionTimeout: .seconds(6), autoOffsetReset: .earliest, fetchWaitMax: .milliseconds(fetchWaitMilliseconds)),
                    deadLetterTopic: deadLetterTopic),
                store: try SQLiteMasterDataStore(path: database), deadLetters: deadLetters, logger: logger
            )
            services.append(.init(service: masterData))
        }
        logger.info("core started", metadata: ["database": "\(database)", "group": "\(group)", "positions": "\(positionsTopic)", "master-data": "\(masterTopics)"])
        let serviceGroup = ServiceGroup(configuration: .init(
            services: services,  // shut down in reverse: the ingests before the dead-letter producer
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        try await serviceGroup.run()
    }
}
