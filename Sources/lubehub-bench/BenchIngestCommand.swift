import ArgumentParser
import HubCommandLine
import Foundation
import HubContracts
import HubCore
import HubStore
import Kafka

/// The core applying vehicle positions to SQLite vs. our consumer reading the same topic without
/// processing (the ceiling) vs. the same job in Python (`bench/baseline_latest_position.py`).
struct BenchIngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Vehicle positions applied by the core (latest + history, committed) vs. a plain consumer and a Python baseline."
    )

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Canonical vehicle.position events to publish and apply.") var messages = 500_000
    @Option(help: "Distinct vehicles.") var vehicles = 5_000
    @Option(help: "Partitions of the benchmark topic.") var partitions: Int32 = 6
    @Option(help: "Folder for the benchmark's SQLite files (removed afterwards).") var workDirectory = NSTemporaryDirectory()
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func run() async throws {
        let runID = UUID().uuidString.prefix(8).lowercased()
        let topic = "bench.ingest.\(runID)"
        let admin = try KafkaAdmin(configuration: connection.client(clientID: "lubehub-bench-admin"))
        if case .failed(let reason)? = try await admin.createTopics([KafkaNewTopic(name: topic, partitions: partitions)])[topic] {
            throw ValidationError("could not create \(topic): \(reason)")
        }
        progress("publishing \(messages) positions for \(vehicles) vehicles to \(topic)")
        try await publish(topic: topic)

        let ceiling = try await plainConsumerRate(client: connection.client(clientID: "lubehub-bench-ingest"), topic: topic,
                                                  group: "bench-plain-\(runID)", messages: messages, maxBatchSize: 5000)
        progress("plain consumer: \(Int(ceiling)) msg/s")

        let database = URL(fileURLWithPath: workDirectory).appendingPathComponent("lubehub-bench-\(runID).sqlite").path
        defer { DatabaseLocation.sqlite(path: database).removeFiles() }
        let core = try await coreIngest(topic: topic, group: "bench-core-\(runID)", database: database)
        progress("core ingest: \(Int(core)) msg/s")

        let baselineDatabase = URL(fileURLWithPath: workDirectory).appendingPathComponent("baseline-\(runID).sqlite").path
        defer { DatabaseLocation.sqlite(path: baselineDatabase).removeFiles() }
        let baseline = try runBaseline(topic: topic, database: baselineDatabase)
        progress("python baseline: \(Int(baseline)) msg/s")

        var report = BenchReport(bench: "ingest")
        report.config = [("messages", String(messages)), ("vehicles", String(vehicles)), ("partitions", String(partitions)),
                         ("broker", connection.bootstrapServers.joined(separator: ",")), ("store", "sqlite (WAL, synchronous=NORMAL)")]
        report.results = [
            ("core_ingest", .init(value: core.rounded(), unit: "msg/s")),
            ("hub_consumer", .init(value: ceiling.rounded(), unit: "msg/s")),
            ("python_baseline", .init(value: baseline.rounded(), unit: "msg/s")),
        ]
        report.ratio("core_ingest", "python_baseline")
        report.ratio("core_ingest", "hub_consumer")
        print(json ? report.json : report.table)
    }

    /// Canonical position events: each vehicle drives a straight line, one fix every 15 s.
    private func publish(topic: String) async throws {
        let producer = try KafkaProducer(configuration: .init(client: connection.client(clientID: "lubehub-bench-publisher"), linger: .milliseconds(5)))
        let start = Date(timeIntervalSince1970: 1_795_910_400)
        for index in 0..<messages {
            let vehicle = "V-\(index % vehicles)"
            let step = index / vehicles
            let fixAt = Timestamp(start.addingTimeInterval(Double(step) * 15))
            let lat = 31.0 + Double(index % vehicles) * 0.0001 + Double(step) * 0.0005
            let lon = 121.0 + Double(step) * 0.0005
            let value = "{\"id\":\"bench:\(index)\",\"type\":\"vehicle.position\",\"source\":\"bench\",\"occurredAt\":\"\(fixAt.text)\",\"subject\":\"\(vehicle)\",\"schemaVersion\":1,\"data\":{\"vehicleId\":\"\(vehicle)\",\"fixAt\":\"\(fixAt.text)\",\"lat\":\(lat),\"lon\":\(lon),\"speedKmh\":62.5,\"heading\":90,\"altitudeM\":12,\"source\":\"jt808\"}}"
            try await producer.enqueue(KafkaProducerMessage(topic: topic, key: vehicle, value: value))
        }
        try await producer.shutdown(flushTimeout: .seconds(300))
        guard producer.counters.failed == 0 else { throw ValidationError("\(producer.counters.failed) positions were not delivered") }
    }

    private var consumerClient: KafkaClientConfiguration {
        var client = connection.client(clientID: "lubehub-bench-ingest")
        client.properties = ["queued.min.messages": "1000000"]
        return client
    }

    private func coreIngest(topic: String, group: String, database: String) async throws -> Double {
        let store = try PositionStore(.sqlite(path: database))
        let ingest = PositionIngest(
            configuration: .init(consumer: .init(client: consumerClient, groupID: group, topics: [topic],
                                                 sessionTimeout: .seconds(6), autoOffsetReset: .earliest, maxBatchSize: 5000)),
            store: store, deadLetters: nil
        )
        let target = messages
        let clock = FirstBatchClock()
        let counters = try await ingest.run { counters in
            clock.mark(applied: counters.received)
            return counters.received >= target
        }
        progress("core time: waiting for batches \(counters.waiting), decoding \(counters.decoding), storing \(counters.storing) over \(counters.batches) batches")
        let (history, vehicleCount) = try await store.counts()
        guard history == messages, vehicleCount == vehicles else {
            throw ValidationError("core ingest stored \(history) history rows for \(vehicleCount) vehicles, expected \(messages) for \(vehicles)")
        }
        guard counters.applied == messages else { throw ValidationError("core ingest applied \(counters.applied) of \(messages)") }
        return clock.rate(applied: counters.applied)
    }

    private func runBaseline(topic: String, database: String) throws -> Double {
        let process = Process()
        process.executableURL = repositoryFile(".venv/bin/python")
        process.arguments = [repositoryFile("bench/baseline_latest_position.py").path, "--bootstrap", connection.bootstrapServers.joined(separator: ","),
                             "--topic", topic, "--messages", String(messages), "--database", database]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let result = try? JSONParser.parse(Array(data)), let rate = result["rate"]?.doubleValue else {
            throw ValidationError("the Python baseline failed (status \(process.terminationStatus)): \(String(decoding: data, as: UTF8.self))")
        }
        return rate
    }

    private func repositoryFile(_ path: String) -> URL {
        TopicCatalogue.defaultDirectory().deletingLastPathComponent().appendingPathComponent(path)
    }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("[bench ingest] \(text)\n".utf8))
    }
}

/// Times the core from the end of its first applied batch and counts only what it applied after,
/// so the group join is left out, as the consumers' clocks start at their first message.
final class FirstBatchClock: @unchecked Sendable {
    private let lock = NSLock()
    private var start: ContinuousClock.Instant?
    private var appliedAtStart = 0

    func mark(applied: Int) {
        lock.withLock {
            if start == nil {
                start = .now
                appliedAtStart = applied
            }
        }
    }

    func rate(applied: Int) -> Double {
        lock.withLock {
            let elapsed = ContinuousClock.now - (start ?? .now)
            return Double(applied - appliedAtStart) / max(elapsed.seconds, 1e-9)
        }
    }
}
