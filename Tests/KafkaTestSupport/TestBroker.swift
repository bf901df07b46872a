public import Foundation
public import Kafka
import Testing

/// The real local broker the tests run against (`make test` starts it) and helpers to use it.
public enum TestBroker {
    public static let bootstrap = ProcessInfo.processInfo.environment["LUBEHUB_TEST_BOOTSTRAP"] ?? "127.0.0.1:9092"

    public static var client: KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: [bootstrap], clientID: "lubehub-tests")
    }

    /// A topic name no other test uses.
    public static func uniqueName(_ prefix: String) -> String {
        "test.\(prefix).\(UUID().uuidString.prefix(12).lowercased())"
    }

    /// Creates a new topic and returns its name.
    public static func createTopic(_ prefix: String, partitions: Int32 = 3, configs: [String: String] = [:]) async throws -> String {
        let name = uniqueName(prefix)
        let admin = try KafkaAdmin(configuration: client)
        let outcome = try await admin.createTopics([KafkaNewTopic(name: name, partitions: partitions, configs: configs)])
        #expect(outcome[name] == .created)
        return name
    }

    public static func producer(
        transactionalID: String? = nil, idempotence: Bool = true, collectsDeliveryReports: Bool = false,
        properties: [String: String] = [:]
    ) throws -> KafkaProducer {
        var client = client
        client.properties = properties
        return try KafkaProducer(configuration: .init(
            client: client, idempotence: idempotence, linger: .milliseconds(1), transactionalID: transactionalID,
            collectsDeliveryReports: collectsDeliveryReports
        ))
    }

    /// A consumer with the settings tests need on tansu (short session, fast fetch, from the start).
    public static func consumer(
        topics: [String], group: String? = nil, isolation: KafkaConsumerConfiguration.IsolationLevel? = nil,
        maxBatchSize: Int = 1024, listener: (any KafkaRebalanceListener)? = nil
    ) throws -> KafkaConsumer {
        try KafkaConsumer(
            configuration: .init(
                client: client, groupID: group ?? uniqueName("group"), topics: topics,
                sessionTimeout: .seconds(6), autoOffsetReset: .earliest, isolationLevel: isolation,
                fetchWaitMax: .milliseconds(10), maxBatchSize: maxBatchSize
            ),
            rebalanceListener: listener
        )
    }

    /// Reads until `count` messages arrived; fails the test if they do not come within `timeout`.
    public static func collect(_ count: Int, from consumer: KafkaConsumer, timeout: Duration = .seconds(60)) async throws -> [KafkaConsumerMessage] {
        try await withDeadline(timeout, "waiting for \(count) messages") {
            var messages: [KafkaConsumerMessage] = []
            for try await batch in consumer.batches {
                messages += batch
                if messages.count >= count { break }
            }
            return messages
        }
    }
}

public struct DeadlineExceeded: Error, CustomStringConvertible {
    public let what: String
    public var description: String { "deadline exceeded: \(what)" }
}

/// Runs `body`, failing with ``DeadlineExceeded`` if it has not finished within `timeout`.
@discardableResult
public func withDeadline<T: Sendable>(_ timeout: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw DeadlineExceeded(what: what)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// Waits until `condition` holds, checking whenever `changes` yields; fails after `timeout`.
public actor Observed<Value: Sendable> {
    public private(set) var value: Value
    private var waiters: [(predicate: @Sendable (Value) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []

    public init(_ value: Value) { self.value = value }

    public func update(_ change: @Sendable (inout Value) -> Void) {
        change(&value)
        let current = value
        var remaining: [(predicate: @Sendable (Value) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
        for waiter in waiters {
            if waiter.predicate(current) { waiter.continuation.resume() } else { remaining.append(waiter) }
        }
        waiters = remaining
    }

    /// Returns once `predicate` holds for the value (immediately if it already does).
    public func wait(until predicate: @escaping @Sendable (Value) -> Bool) async {
        if predicate(value) { return }
        await withCheckedContinuation { waiters.append((predicate, $0)) }
    }
}

/// The repository's root (holds Package.swift), to find `.venv`.
public let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
}()

extension String {
    public var bytes: [UInt8] { Array(utf8) }
}

/// A small seeded generator (xorshift64): the same seed gives the same test data on every run.
public struct FixedSeedRandom: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed | 1 }

    /// A number in `0..<bound`.
    public mutating func next(_ bound: Int) -> Int {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Int(state % UInt64(max(bound, 1)))
    }
}
