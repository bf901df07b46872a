public import ArgumentParser
import Foundation
public import HubStore
public import Kafka
public import Simulator

/// The simulated company a command works with (`--seed`, its size), and getting its master data
/// into a hub: published as the ERP would, unless the hub already holds it.
public struct CompanyOptions: ParsableArguments, Sendable {
    public init() {}

    @Option(help: "The seed: the same seed gives the same company.") public var seed: UInt64 = 1
    @Option(help: "Tier-1 dealers.") public var tier1 = 5_000
    @Option(help: "Tier-2 dealers.") public var tier2 = 50_000
    @Option(help: "Materials.") public var materials = 4_200
    @Option(help: "Publish the master data: auto (unless the hub already has the company), always, never.") public var masterData: MasterDataMode = .auto

    public enum MasterDataMode: String, ExpressibleByArgument, CaseIterable, Sendable {
        case auto, always, never
    }

    public func validate() throws {
        guard tier1 > 0, tier2 >= 0, materials > 0, tier1 <= 1_000_000, tier2 <= 10_000_000, materials <= 1_000_000 else {
            throw ValidationError("--tier1 and --materials must be positive, --tier2 not negative (and all of a sane size)")
        }
    }

    /// The company, its master data published unless the hub at `location` already holds it; with
    /// `wait`, returns once the hub holds it all. What it did is told to `report` (standard output
    /// unless the caller keeps that for something else, as a bench's `--json` does).
    public func ensurePublished(client: KafkaClientConfiguration, location: DatabaseLocation, topicPrefix: String = "", wait: Bool,
                         report: (String) -> Void = say) async throws -> Company {
        let company = Company.generate(seed: seed, tier1: tier1, tier2: tier2, materials: materials)
        report("company (seed \(seed)): \(company.branches.count) branches, \(company.tier1.count) tier-1 and \(company.dealers.count - company.tier1.count) tier-2 dealers, "
            + "\(company.materials.count) materials, \(company.plants.count) plants")
        let loaded = await HubProgress.masterData(at: location)
        if masterData == .always || (masterData == .auto && !loaded.covers(company)) {
            try await Self.publish(company, client: client, topicPrefix: topicPrefix, report: report)
        } else {
            report("master data: the hub already has the company (\(loaded.dealers) dealers, \(loaded.materials) materials); not published again")
        }
        if wait { try await HubProgress.waitForMasterData(company, at: location) }
        return company
    }

    /// Publishes the company's master data as the ERP would, with a progress bar.
    public static func publish(_ company: Company, client: KafkaClientConfiguration, topicPrefix: String, report: (String) -> Void) async throws {
        let started = ContinuousClock.now
        var documents = ERPDocuments(company: company)
        let messages = documents.all()
        let producer = try KafkaProducer(configuration: .init(client: client, linger: .milliseconds(5)))
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
        report("published \(messages.count) messages in \(String(format: "%.1f", seconds)) s; the ERP adapter and the core take it from here")
    }
}
