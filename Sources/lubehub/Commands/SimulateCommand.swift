import ArgumentParser
import Foundation
import Kafka
import Simulator

/// `lubehub simulate`: a whole company, deterministic for `--seed`, published as its ERP would
/// publish it. Today the master data (issue 7 adds the business run: orders, ERP answers, trucks,
/// service centres, scans).
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Generate a company (branches, dealers, materials, prices, stock) from a seed and publish it as the ERP would."
    )

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "The seed: the same seed gives the same company.") var seed: UInt64 = 1
    @Option(help: "Tier-1 dealers.") var tier1 = 5_000
    @Option(help: "Tier-2 dealers.") var tier2 = 50_000
    @Option(help: "Materials.") var materials = 4_200
    @Option(help: "Prefix every topic name (a copy of the topics for tests).") var topicPrefix = ""

    func validate() throws {
        guard tier1 > 0, tier2 >= 0, materials > 0, tier1 <= 1_000_000, tier2 <= 10_000_000, materials <= 1_000_000 else {
            throw ValidationError("--tier1 and --materials must be positive, --tier2 not negative (and all of a sane size)")
        }
    }

    func run() async throws {
        let started = ContinuousClock.now
        let company = Company.generate(seed: seed, tier1: tier1, tier2: tier2, materials: materials)
        var documents = ERPDocuments(company: company)
        let messages = documents.all()
        say("company (seed \(seed)): \(company.branches.count) branches, \(company.tier1.count) tier-1 and \(company.dealers.count - company.tier1.count) tier-2 dealers, "
            + "\(company.materials.count) materials, \(company.plants.count) plants; \(messages.count) messages to publish")
        let producer = try KafkaProducer(configuration: .init(client: connection.client(clientID: "lubehub-simulate"), linger: .milliseconds(5)))
        var progress = ProgressBar(title: "master data", total: messages.count)
        for start in stride(from: 0, to: messages.count, by: 2_000) {
            let batch = messages[start..<min(start + 2_000, messages.count)].map {
                KafkaProducerMessage(topic: topicPrefix + $0.topic, key: Array($0.key.utf8), value: $0.value)
            }
            let reports = try await producer.sendBatch(batch)
            if let failed = reports.first(where: { !$0.succeeded }) {
                throw ValidationError("the broker refused a message: \(failed.error.map { "\($0)" } ?? "no acknowledgement")")
            }
            progress.advance(to: start + batch.count)
        }
        progress.finish()
        try await producer.shutdown()
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        say("published \(messages.count) messages in \(String(format: "%.1f", seconds)) s; the ERP adapter and the core take it from here")
    }
}

/// A progress bar on standard error, redrawn in place at most ten times a second.
struct ProgressBar {
    let title: String
    let total: Int
    private var done = 0
    private let started = ContinuousClock.now
    private var drawn = ContinuousClock.now - .seconds(1)

    init(title: String, total: Int) {
        self.title = title
        self.total = max(total, 1)
    }

    mutating func advance(to count: Int) {
        done = min(count, total)
        guard ContinuousClock.now - drawn >= .milliseconds(100) || done == total else { return }
        drawn = .now
        let width = 30
        let filled = done * width / total
        let elapsed = max((ContinuousClock.now - started) / .seconds(1), 0.001)
        let line = "\r\(title) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(total) \(Int(Double(done) / elapsed)) msg/s"
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
