import Foundation
public import HubContracts
public import HubServer
public import HubStore
public import Kafka
public import Simulator

/// Waiting for a running hub, with a line that says how far it is: until it holds a company's
/// master data, and until its core and adapters have taken everything on their topics.
public enum HubProgress {
    /// What the hub's database holds of master data (zero when it cannot be read yet).
    public static func masterData(at location: DatabaseLocation) async -> MasterDataCounts {
        let counts = try? await ReadConnections.open(location, label: "hub-progress").read { reader throws(StoreError) in try reader.activity.masterData() }
        return counts ?? MasterDataCounts()
    }

    /// Returns once the hub holds every dealer, material and stock row of the company.
    public static func waitForMasterData(_ company: Company, at location: DatabaseLocation, timeout: Duration = .seconds(1_800)) async throws {
        let target = company.dealers.count + company.materials.count + company.materials.count * company.plants.count
        var bar = ProgressBar(title: "hub taking the master data", total: target, unit: "rows")
        let deadline = ContinuousClock.now + timeout
        while true {
            let held = await masterData(at: location)
            bar.advance(to: min(held.dealers, company.dealers.count) + min(held.materials, company.materials.count)
                        + min(held.stockRows, company.materials.count * company.plants.count))
            if held.covers(company) { break }
            guard ContinuousClock.now < deadline else {
                bar.finish()
                throw HubNotReady("after \(timeout) the hub holds \(held.dealers) dealers, \(held.materials) materials and \(held.stockRows) stock rows of the company's "
                                  + "\(company.dealers.count), \(company.materials.count) and \(company.materials.count * company.plants.count): is lubehub serve running on this configuration?")
            }
            try await Task.sleep(for: .seconds(1))
        }
        bar.finish()
    }

    /// Returns once the core's and the adapters' lag has stopped moving for three seconds (nothing
    /// is being written any more, so a lag that does not move is one nobody is working off: a
    /// transaction's commit marker takes an offset no message fills), or after `timeout`.
    public static func waitForCatchUp(configuration: HubConfiguration, catalogue: TopicCatalogue, client: KafkaClientConfiguration,
                               timeout: Duration = .seconds(180)) async throws {
        let deadline = ContinuousClock.now + timeout
        var previous: Int64 = -1
        var steady = 0
        while ContinuousClock.now < deadline {
            let lags = try await HubActivityReport.lags(configuration: configuration, catalogue: catalogue, client: client)
            let total = lags.core.values.reduce(0, +) + lags.adapters.values.reduce(0, +)
            FileHandle.standardError.write(Data("\rwaiting for the hub to catch up: \(total) offsets behind\u{1B}[K".utf8))
            steady = total == previous ? steady + 1 : 0
            previous = total
            if steady >= 3 { break }
            try await Task.sleep(for: .seconds(1))
        }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

public struct HubNotReady: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// A progress bar on standard error, redrawn in place at most ten times a second.
public struct ProgressBar {
    let title: String
    let total: Int
    let unit: String
    private var done = 0
    private let started = ContinuousClock.now
    private var drawn = ContinuousClock.now - .seconds(1)

    public init(title: String, total: Int, unit: String = "msg") {
        self.title = title
        self.total = max(total, 1)
        self.unit = unit
    }

    public mutating func advance(to count: Int) {
        done = min(count, total)
        guard ContinuousClock.now - drawn >= .milliseconds(100) || done == total else { return }
        drawn = .now
        let width = 30
        let filled = done * width / total
        let elapsed = max((ContinuousClock.now - started) / .seconds(1), 0.001)
        let line = "\r\(title) [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(done)/\(total) \(Int(Double(done) / elapsed)) \(unit)/s"
        FileHandle.standardError.write(Data(line.utf8))
    }

    public func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

extension MasterDataCounts {
    /// Whether the hub holds every dealer, material and stock row of `company`.
    public func covers(_ company: Company) -> Bool {
        dealers >= company.dealers.count && materials >= company.materials.count && stockRows >= company.materials.count * company.plants.count
    }
}
