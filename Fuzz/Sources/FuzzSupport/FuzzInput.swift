import Adapters
import CFuzzDriver
import Foundation
import HubContracts

/// What the harnesses share: the topic catalogue (from `LUBEHUB_CATALOGUE`, else `topics/` of the
/// working directory) and a raw record made of the fuzzer's bytes.
public enum FuzzInput {
    public static let catalogue: TopicCatalogue = {
        let directory = ProcessInfo.processInfo.environment["LUBEHUB_CATALOGUE"] ?? "topics"
        do {
            return try TopicCatalogue.load(directory: URL(fileURLWithPath: directory))
        } catch {
            fatalError("the fuzz harness needs the topic catalogue: \(error) (set LUBEHUB_CATALOGUE to the repository's topics/)")
        }
    }()

    /// Runs libFuzzer over `test` with the process's arguments: what a harness's `<module>_main` does.
    public static func run(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                           _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments, test)
    }

    /// The fuzzer's bytes.
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// The first byte picks one of `choices` (the seeds are written the same way), the rest is the value.
    public static func pick<T>(_ bytes: [UInt8], from choices: [T]) -> (choice: T, value: [UInt8])? {
        guard let first = bytes.first, !choices.isEmpty else { return nil }
        return (choices[Int(first) % choices.count], Array(bytes.dropFirst()))
    }

    /// A record on `topic` carrying `value`.
    public static func record(_ topic: String, _ value: [UInt8]) -> RawRecord {
        RawRecord(topic: topic, partition: 0, offset: 0, value: value, timestampMilliseconds: 1_796_000_000_000)
    }

    /// The names of the catalogue's topics of `format`, sorted (the seed script sorts the same way).
    public static func topics(format: String) -> [String] {
        catalogue.topics.filter { $0.format == format }.map(\.name).sorted()
    }
}

/// One of the adapters' mappings with its catalogue check (`HubAdapters.mapping(named:)`), run on
/// a record of the input topic the first byte picks (its input topics sorted by name).
public struct MappingHarness: Sendable {
    let mapping: any AdapterMapping
    let topics: [String]

    public init(named name: String) {
        guard let mapping = HubAdapters.mapping(named: name, catalogue: FuzzInput.catalogue) else { fatalError("no adapter mapping is named \(name)") }
        self.mapping = mapping
        topics = mapping.inputTopics.sorted()
    }

    public func run(_ bytes: [UInt8]) {
        guard let (topic, value) = FuzzInput.pick(bytes, from: topics) else { return }
        _ = mapping.map(FuzzInput.record(topic, value))
    }
}
