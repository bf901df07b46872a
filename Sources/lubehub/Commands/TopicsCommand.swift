import ArgumentParser
import HubCommandLine
import Foundation
import HubContracts
import HubMessaging
import Kafka

/// Where the topic catalogue is read from.
struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics", abstract: "The topic catalogue: list, describe, and make a broker match it.",
        subcommands: [TopicsListCommand.self, TopicsDescribeCommand.self, TopicsApplyCommand.self, TopicsExamplesCommand.self]
    )
}

struct TopicsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every topic of the catalogue (with --bootstrap, the broker's view beside it).")

    @OptionGroup var catalogueOptions: CatalogueOptions
    @Option(help: "Also show each topic's partitions on this broker, HOST:PORT.") var bootstrap: String?

    func run() async throws {
        let catalogue = try catalogueOptions.load()
        var onBroker: [String: Int32]? = nil
        if let bootstrap {
            onBroker = try await KafkaAdmin(configuration: .init(bootstrapServers: [bootstrap], clientID: "lubehub-topics")).listTopics()
        }
        for flow in TopicDefinition.Flow.allCases {
            print("\(flow.rawValue):")
            for topic in catalogue.topics where topic.flow == flow {
                var line = "  \(topic.name.padding(toLength: 30, withPad: " ", startingAt: 0)) \(String(topic.partitions).padding(toLength: 3, withPad: " ", startingAt: 0)) \(topic.cleanupPolicy.padding(toLength: 8, withPad: " ", startingAt: 0)) key: \(topic.keyEntity)"
                if let onBroker { line += onBroker[topic.name].map { "  [broker: \($0) partitions]" } ?? "  [broker: missing]" }
                print(line)
            }
        }
    }
}

struct TopicsDescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe", abstract: "One topic: purpose, key, format, headers, examples (with --bootstrap, the broker's view).")

    @OptionGroup var catalogueOptions: CatalogueOptions
    @Argument(help: "The topic name.") var name: String
    @Option(help: "Also show the topic as this broker has it, HOST:PORT.") var bootstrap: String?

    func run() async throws {
        let catalogue = try catalogueOptions.load()
        guard let topic = catalogue[name] else {
            throw ValidationError("no topic \(name) in the catalogue; `lubehub topics list` shows them")
        }
        print("""
        \(topic.name)  (\(topic.flow.rawValue))
          purpose:    \(topic.purpose)
          written by: \(topic.owner)
          read by:    \(topic.consumers.joined(separator: ", "))
          partitions: \(topic.partitions)
          key:        \(topic.keyEntity) — \(topic.keyReason)
          cleanup:    \(topic.cleanupPolicy), retention \(topic.retentionMilliseconds < 0 ? "forever" : "\(topic.retentionMilliseconds / 86_400_000) days")
          configs:    \(topic.configs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
          format:     \(topic.format)\(topic.decoder.map { " (decoder \($0))" } ?? "")
        """)
        if !topic.eventTypes.isEmpty { print("  events:     \(topic.eventTypes.joined(separator: ", "))") }
        if let description = topic.formatDescription { print("  details:    \(description)") }
        for header in topic.headers { print("  header \(header.name)\(header.required ? " (required)" : ""): \(header.description)") }
        for example in topic.examples { print("  example \"\(example.name)\": key \(example.key ?? "-"), \(example.bytes.count) bytes") }
        if let bootstrap {
            let admin = try KafkaAdmin(configuration: .init(bootstrapServers: [bootstrap], clientID: "lubehub-topics"))
            if let existing = try await admin.describeTopic(name) {
                let drift = CatalogueApplier.drift(of: existing, from: topic)
                print("  on \(bootstrap): \(existing.partitions) partitions; \(drift.isEmpty ? "matches the catalogue" : "DRIFT: " + drift.joined(separator: "; "))")
            } else {
                print("  on \(bootstrap): missing (run `lubehub topics apply`)")
            }
        }
    }
}

struct TopicsApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create missing topics with the catalogue's partitions and configs; report drift on existing ones. Running it again changes nothing."
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var catalogueOptions: CatalogueOptions
    @Option(help: "At most this many partitions per topic (a single-node local broker, as `lubehub serve` does on the embedded defaults).")
    var maxPartitions: Int?

    func run() async throws {
        let catalogue = try catalogueOptions.load()
        if let maxPartitions, maxPartitions < 1 { throw ValidationError("--max-partitions must be at least 1") }
        let admin = try KafkaAdmin(configuration: connection.client(clientID: "lubehub-topics"))
        let results = try await CatalogueApplier(catalogue: catalogue, admin: admin, maxPartitions: maxPartitions).apply()
        for (topic, outcome) in results { print("\(topic.padding(toLength: 30, withPad: " ", startingAt: 0)) \(outcome)") }
        let created = results.filter { $0.outcome == .created }.count
        let problems = results.filter { if case .drift = $0.outcome { return true }; if case .failed = $0.outcome { return true }; return false }.count
        print("\(results.count) topics: \(created) created, \(results.count - created - problems) in sync, \(problems) with drift or failures")
        if results.contains(where: { if case .failed = $0.outcome { return true }; return false }) { throw ExitCode.failure }
    }
}

/// `lubehub topics examples`: publishes the catalogue's examples of some topics, as they are —
/// the master-data examples give a fresh hub a dealer, materials, prices and stock to try the API on.
struct TopicsExamplesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "examples",
        abstract: "Publish every example of the named topics (default: the canonical master data) and wait for the broker's acknowledgements."
    )

    static let masterData = [TopicName.dealers, TopicName.materials, TopicName.priceLists, TopicName.warehouses, TopicName.permissionGroups, TopicName.inventorySnapshots]

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var catalogueOptions: CatalogueOptions
    @Option(help: "Comma-separated topic names.") var topics: String = masterData.joined(separator: ",")

    func run() async throws {
        let catalogue = try catalogueOptions.load()
        var messages: [KafkaProducerMessage] = []
        for name in topics.split(separator: ",").map(String.init) {
            guard let topic = catalogue.topics.first(where: { $0.name == name }) else { throw ValidationError("\(name) is not in the catalogue") }
            messages += topic.examples.map { KafkaProducerMessage(topic: name, key: $0.key.map { Array($0.utf8) }, value: $0.bytes) }
        }
        let producer = try KafkaProducer(configuration: .init(client: connection.client(clientID: "lubehub-examples")))
        let reports = try await producer.sendBatch(messages)
        try await producer.shutdown()
        let failed = reports.filter { !$0.succeeded }.count
        print("\(messages.count - failed) examples published on \(topics)\(failed > 0 ? "; \(failed) failed" : "")")
        if failed > 0 { throw ExitCode.failure }
    }
}

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check one message against its topic's schema before sending it; prints the verdict (exit status 1 when invalid)."
    )

    @OptionGroup var catalogueOptions: CatalogueOptions
    @Argument(help: "The topic the message is for.") var topic: String
    @Argument(help: "A file holding the message value, or - for standard input.") var file: String = "-"

    func run() throws {
        let catalogue = try catalogueOptions.load()
        let bytes = try readInput(file)
        switch catalogue.validate(topic: topic, value: bytes) {
        case .valid:
            print("valid: the message matches \(topic)'s schema")
        case .invalid(let issues):
            print("invalid for \(topic):")
            for issue in issues { print("  - \(issue)") }
            throw ExitCode.failure
        case .notJSON(let format, let decoder):
            print("\(topic) carries \(format), not JSON: the \(decoder ?? "adapter's") decoder checks it (see `lubehub topics describe \(topic)`)")
        case .unknownTopic:
            print("no topic \(topic) in the catalogue; `lubehub topics list` shows them")
            throw ExitCode.failure
        }
    }
}
