import ArgumentParser
import HubCommandLine
import Foundation
import Kafka

/// Our producer and consumer against librdkafka's own `rdkafka_performance`, same broker, same
/// message count and size, same librdkafka settings, in one run.
struct BenchKafkaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka",
        abstract: "Producer and consumer messages/s of the hub's Kafka library vs librdkafka's rdkafka_performance."
    )

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Messages per run.") var messages = 500_000
    @Option(help: "Value size in bytes.") var size = 200
    @Option(help: "Partitions of the benchmark topics.") var partitions: Int32 = 6
    @Option(help: "Runs of each side; the best one counts (shared machines drift).") var rounds = 3
    @Option(help: "Path of librdkafka's rdkafka_performance (default: found on PATH or in /usr/local/bin).") var rdkafkaPerformance: String?
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    /// librdkafka settings both sides run with, so only the client code differs. rdkafka_performance
    /// sets `linger.ms=1000` itself (a second's wait on the last batch); both use librdkafka's 5 ms.
    static let producerProperties = ["enable.idempotence": "true", "linger.ms": "5"]
    static let consumerProperties = ["queued.min.messages": "1000000", "auto.offset.reset": "earliest", "session.timeout.ms": "6000"]

    func run() async throws {
        let tool = try findRdkafkaPerformance()
        let runID = UUID().uuidString.prefix(8).lowercased()
        let admin = try KafkaAdmin(configuration: connection.client(clientID: "lubehub-bench-admin"))
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: size)

        var best = [String: Double]()
        func record(_ name: String, _ rate: Double) {
            best[name] = max(best[name] ?? 0, rate)
            progress("\(name): \(Int(rate)) msg/s")
        }
        for round in 1...rounds {
            let hubTopic = "bench.kafka.\(runID).\(round).hub"
            let baselineTopic = "bench.kafka.\(runID).\(round).librdkafka"
            for topic in [hubTopic, baselineTopic] {
                let outcome = try await admin.createTopics([KafkaNewTopic(name: topic, partitions: partitions)])
                if case .failed(let reason) = outcome[topic] { throw ValidationError("could not create \(topic): \(reason)") }
            }
            progress("round \(round)/\(rounds)")
            record("hub_producer", try await produceWithHub(topic: hubTopic, payload: payload))
            record("librdkafka_producer", try runTool(tool, producerArguments(topic: baselineTopic)))
            // Both consumers read the same topic: the one our producer wrote.
            record("hub_consumer", try await consumeWithHub(topic: hubTopic, group: "bench-hub-\(runID)-\(round)"))
            record("librdkafka_consumer", try runTool(tool, consumerArguments(topic: hubTopic, group: "bench-rdkafka-\(runID)-\(round)")))
        }

        var report = BenchReport(bench: "kafka")
        report.config = [
            ("messages", String(messages)), ("size", String(size)), ("partitions", String(partitions)),
            ("rounds", String(rounds)), ("broker", connection.bootstrapServers.joined(separator: ",")),
            ("librdkafka", KafkaLibrary.versionString),
            ("producer_settings", Self.settings(Self.producerProperties)),
            ("consumer_settings", Self.settings(Self.consumerProperties)),
        ]
        for name in ["hub_producer", "librdkafka_producer", "hub_consumer", "librdkafka_consumer"] {
            report.results.append((name, .init(value: (best[name] ?? 0).rounded(), unit: "msg/s")))
        }
        report.ratio("hub_producer", "librdkafka_producer")
        report.ratio("hub_consumer", "librdkafka_consumer")
        print(json ? report.json : report.table)
    }

    private func produceWithHub(topic: String, payload: [UInt8]) async throws -> Double {
        let producer = try KafkaProducer(configuration: .init(
            client: .init(bootstrapServers: connection.bootstrapServers, clientID: "lubehub-bench-producer", properties: Self.producerProperties)
        ))
        let message = KafkaProducerMessage(topic: topic, value: payload)
        let start = ContinuousClock.now
        for _ in 0..<messages { try await producer.enqueue(message) }
        try await producer.shutdown(flushTimeout: .seconds(120))
        let elapsed = ContinuousClock.now - start
        let (delivered, failed, _) = producer.counters
        guard delivered == messages, failed == 0 else {
            throw ValidationError("hub producer: \(delivered) of \(messages) delivered, \(failed) failed")
        }
        return Double(messages) / elapsed.seconds
    }

    private func consumeWithHub(topic: String, group: String) async throws -> Double {
        let consumer = try KafkaConsumer(configuration: .init(
            client: .init(bootstrapServers: connection.bootstrapServers, clientID: "lubehub-bench-consumer", properties: Self.consumerProperties),
            groupID: group, topics: [topic]
        ))
        var received = 0
        var start: ContinuousClock.Instant?
        for try await batch in consumer.batches {
            if start == nil { start = .now }  // like rdkafka_performance: from the first message
            received += batch.count
            if received >= messages { break }
        }
        let elapsed = ContinuousClock.now - (start ?? .now)
        await consumer.close()
        guard received >= messages else { throw ValidationError("hub consumer: \(received) of \(messages) received") }
        return Double(received) / elapsed.seconds
    }

    private func producerArguments(topic: String) -> [String] {
        ["-P", "-t", topic, "-s", String(size), "-c", String(messages), "-b", connection.bootstrapServers.joined(separator: ","), "-q"]
            + Self.toolFlags(Self.producerProperties)
    }

    private func consumerArguments(topic: String, group: String) -> [String] {
        ["-C", "-G", group, "-t", topic, "-c", String(messages), "-b", connection.bootstrapServers.joined(separator: ","), "-q"]
            + Self.toolFlags(Self.consumerProperties)
    }

    static func settings(_ properties: [String: String]) -> String {
        properties.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    static func toolFlags(_ properties: [String: String]) -> [String] {
        properties.sorted { $0.key < $1.key }.flatMap { ["-X", "\($0.key)=\($0.value)"] }
    }

    /// Runs rdkafka_performance and reads the rate from its summary line (`… : N msgs/s …`).
    private func runTool(_ tool: String, _ arguments: [String]) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0, let rate = Self.rate(in: text) else {
            throw ValidationError("rdkafka_performance \(arguments.joined(separator: " ")) failed (status \(process.terminationStatus)):\n\(text)")
        }
        return rate
    }

    /// The messages/s figure of rdkafka_performance's final summary line.
    static func rate(in output: String) -> Double? {
        for line in output.split(separator: "\n").reversed() where line.contains("msgs/s") {
            let words = line.split(separator: " ")
            if let index = words.firstIndex(where: { $0.hasPrefix("msgs/s") }), index > 0, let rate = Double(words[index - 1]) {
                return rate
            }
        }
        return nil
    }

    private func findRdkafkaPerformance() throws -> String {
        if let rdkafkaPerformance { return rdkafkaPerformance }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":").map(String.init) + ["/usr/local/bin"] {
            let candidate = directory + "/rdkafka_performance"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ValidationError("rdkafka_performance not found: run scripts/bootstrap (it builds librdkafka's examples)")
    }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("[bench kafka] \(text)\n".utf8))
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
