import Foundation
import HubContracts
import HubMessaging
import HubCore
@_spi(SQL) import HubStore
import Kafka
import KafkaTestSupport
@_spi(SQL) import StoreTestSupport
import Synchronization
import Testing

/// `lubehub core` processes are killed (SIGKILL, no chance to clean up) at random moments while
/// they apply a stream of 20,000 mixed events, restarted each time, and the final state is compared
/// with the state the same events give when applied once, in order, through the same rules to a
/// fresh database in this process.
/// Serialized: each case runs two or more core processes; side by side they would starve each
/// other (and every other test) on a two-core machine.
@Suite("the core survives kill -9", .serialized)
struct CoreCrashTests {
    static var binary: URL { repositoryRoot.appendingPathComponent(".build/debug/lubehub") }

    /// The topics of one run: each role of the stream on a topic of its own, plus what the core writes.
    struct Topics {
        var byRole: [MixedStream.Role: String] = [:]
        var updates = ""
        var deadLetters = ""
        var inputs: [String] { MixedStream.Role.allCases.compactMap { byRole[$0] } }

        static func create() async throws -> Topics {
            var topics = Topics()
            for role in MixedStream.Role.allCases {
                topics.byRole[role] = try await TestBroker.createTopic(role.rawValue, partitions: role == .positions || role == .commands || role == .events ? 3 : 1)
            }
            topics.updates = try await TestBroker.createTopic("updates", partitions: 3)
            topics.deadLetters = try await TestBroker.createTopic("core-dlq", partitions: 1)
            return topics
        }
    }

    static func launchCore(database: DatabaseLocation, topics: Topics, group: String, log: URL? = nil) throws -> Process {
        let process = Process()
        process.executableURL = binary
        let database = switch database {
        case .sqlite(let path): path
        case .postgresql(let url): url
        }
        let eventTopics = MixedStream.Role.allCases.filter { $0 != .positions }.compactMap { topics.byRole[$0] }
        process.arguments = ["core", "--bootstrap", TestBroker.bootstrap, "--database", database, "--group", group,
                             "--positions-topic", topics.byRole[.positions] ?? "", "--event-topics", eventTopics.joined(separator: ","),
                             "--interactive-topics", [topics.byRole[.commands], topics.byRole[.events]].compactMap { $0 }.joined(separator: ","),
                             "--order-events-topic", topics.byRole[.events] ?? "", "--order-updates-topic", topics.updates,
                             "--dead-letter-topic", topics.deadLetters, "--max-batch", "100", "--history-retention-hours", "0",
                             "--eta-interval-seconds", "0", "--hold-timeout-seconds", "600"]
        process.standardOutput = FileHandle.nullDevice
        if let log {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: log)
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        return process
    }

    /// The state of applying the stream once, in order: held events retried when their subject
    /// moves, as the core does.
    static func reference(_ stream: MixedStream) async throws -> [String: [[String]]] {
        let harness = try RuleHarness(try TestDatabase(.sqlite))
        let positions = try PositionStore(harness.database.location)
        var held: [String: [(event: CanonicalEvent, topic: String)]] = [:]
        for item in stream.masterData + stream.items {
            guard let event = item.event else { continue }
            if item.role == .positions, let fix = event.data.payload(as: VehicleFix.self) {
                try await positions.apply([IdentifiedFix(eventId: event.id, fix: fix)], consumed: [], group: "reference")
                continue
            }
            switch try await harness.apply(event, topic: item.role.rawValue) {
            case .unknownReference:
                held[event.subject, default: []].append((event, item.role.rawValue))
            case .applied:
                var progressed = true
                while progressed {
                    progressed = false
                    for waiting in held[event.subject] ?? [] {
                        if case .unknownReference = try await harness.apply(waiting.event, topic: waiting.topic) { continue }
                        held[event.subject]?.removeAll { $0.event.id == waiting.event.id }
                        progressed = true
                    }
                }
            default:
                break
            }
        }
        let waiting = held.values.reduce(0) { $0 + $1.count }
        #expect(waiting == 0, "the stream leaves nothing waiting")
        return try harness.database.location.read { db throws(StoreError) in try StateDump.read(db) }
    }

    /// The stream, built on a thread of its own (seconds of synchronous work that must not hold
    /// the cooperative pool other tests run on), and its reference state.
    static func prepare(seed: UInt64, count: Int) async throws -> (MixedStream, [String: [[String]]]) {
        let stream = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: MixedStream(seed: seed, count: count)) }.start()
        }
        return (stream, try await reference(stream))
    }

    /// Publishes `items` in chunks, paced so the stream lasts about `seconds`; returns where the bad ones landed.
    static func publish(_ items: [MixedStream.Item], topics: Topics, over seconds: Double) async throws -> Set<String> {
        let producer = try TestBroker.producer()
        var bad = Set<String>()
        let chunk = 100
        let pause = Duration.milliseconds(Int(seconds * 1000) / max(1, items.count / chunk))
        for start in stride(from: 0, to: items.count, by: chunk) {
            let slice = Array(items[start..<min(start + chunk, items.count)])
            let reports = try await producer.sendBatch(slice.map { KafkaProducerMessage(topic: topics.byRole[$0.role] ?? "", key: Array($0.key.utf8), value: $0.value) })
            for (item, report) in zip(slice, reports) {
                guard report.succeeded else { throw report.error ?? KafkaError(code: .delivery, message: "not delivered") }
                if item.event == nil { bad.insert("\(report.topic):\(report.partition):\(report.offset ?? -1)") }
            }
            try await Task.sleep(for: pause)  // pacing the stream, not synchronisation
        }
        try await producer.shutdown()
        return bad
    }

    /// Waits until the core consumed every input to its end, relayed its outbox and holds nothing.
    static func waitUntilCaughtUp(_ location: DatabaseLocation, topics: Topics, group: String) async throws {
        let admin = try KafkaAdmin(configuration: TestBroker.client)
        let store = try CoreStore(location)
        try await withDeadline(.seconds(240), "the core to apply everything and empty its outbox") {
            while true {
                let (unsent, held) = try location.read { db throws(StoreError) in
                    (try db.first("SELECT COUNT(*) FROM outbox WHERE sent_at_ms IS NULL")?.int(0) ?? -1,
                     try db.first("SELECT COUNT(*) FROM held_events")?.int(0) ?? -1)
                }
                var caughtUp = unsent == 0 && held == 0
                for topic in topics.inputs where caughtUp {
                    let consumer = topic == topics.byRole[.positions] ? group : group + "-events"
                    let stored = try await store.read { reader throws(StoreError) in try reader.coreProgress.storedOffsets(group: consumer, topic: topic) }
                    for (partition, end) in try await admin.endOffsets(topic: topic) where (stored[partition] ?? 0) < end { caughtUp = false }
                }
                if caughtUp { return }
                try await Task.sleep(for: .milliseconds(250))  // polling the database: the condition lives in another process
            }
        }
    }

    @Test("killed at random points, restarted: the state equals the events applied once; bad messages dead-lettered",
          arguments: [UInt64(11), 23])
    func killAndRestart(seed: UInt64) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build lubehub first (make test does)")
        let (stream, expected) = try await Self.prepare(seed: seed, count: 20_000)
        #expect((expected["orders"]?.count ?? 0) > 1000 && (expected["vehicle_position_history"]?.count ?? 0) > 5000)
        let statuses = Set((expected["orders"] ?? []).map { $0[2] })
        #expect(statuses.isSuperset(of: ["accepted", "rejected", "cancelled", "delivered", "rated"]), "\(statuses)")

        let topics = try await Topics.create()
        let group = TestBroker.uniqueName("core")
        let database = try TestDatabase(.sqlite)
        var random = FixedSeedRandom(seed: seed)

        // Master data first, as in the company: the stream starts once the core has it.
        _ = try await Self.publish(stream.masterData, topics: topics, over: 0)
        let launched = LaunchedProcesses()
        defer { launched.stopAll() }  // a failed expectation or deadline leaves no core running
        var core = launched.track(try Self.launchCore(database: database.location, topics: topics, group: group))
        let masterCount = stream.masterData.count
        try await withDeadline(.seconds(60), "the master data applied") {
            while try database.location.read({ db throws(StoreError) in try db.first("SELECT COUNT(*) FROM applied_events")?.int(0) ?? 0 }) < masterCount {
                try await Task.sleep(for: .milliseconds(100))  // polling the database: the condition lives in another process
            }
        }
        let publisher = Task { try await Self.publish(stream.items, topics: topics, over: 20) }
        // Each life ends at a random point of the stream, not after a random time: a core faster or slower than
        // expected still dies mid-stream (kills 4–7 s apart once found the work all done before the last two).
        let total = expected["applied_events"]?.count ?? 0
        var kills = 0
        var progress: [Int] = []
        for life in 0..<4 {
            if life > 0 { core = launched.track(try Self.launchCore(database: database.location, topics: topics, group: group)) }
            // Life n dies between 10 + 20n % and 20 + 20n % of the stream applied, at a random point.
            let target = masterCount + (total - masterCount) * (10 + 20 * life + random.next(10)) / 100
            try await withDeadline(.seconds(90), "the core's life \(life + 1) to apply \(target) events") {
                while try database.location.read({ db throws(StoreError) in try db.first("SELECT COUNT(*) FROM applied_events")?.int(0) ?? 0 }) < target {
                    try await Task.sleep(for: .milliseconds(20))  // polling the database: the condition lives in another process
                }
            }
            kill(core.processIdentifier, SIGKILL)
            await ChildProcess.exit(of: core)
            kills += 1
            progress.append(try database.location.read { db throws(StoreError) in try db.first("SELECT COUNT(*) FROM applied_events")?.int(0) ?? 0 })
        }
        let badOffsets = try await publisher.value
        // The kills landed mid-stream: progress was made, and not finished, at several of them.
        #expect(Set(progress.filter { $0 > 0 && $0 < expected["applied_events"]?.count ?? 0 }).count >= 2, "applied at the kills: \(progress)")

        core = launched.track(try Self.launchCore(database: database.location, topics: topics, group: group))
        try await Self.waitUntilCaughtUp(database.location, topics: topics, group: group)
        core.terminate()
        await ChildProcess.exit(of: core)
        #expect(kills == 4)

        try Self.expectState(of: database.location, equals: expected)

        let reader = try TestBroker.consumer(topics: [topics.deadLetters])
        let letters = try await TestBroker.collect(badOffsets.count, from: reader)
        await reader.close()
        let dead = Set(letters.compactMap { DeadLetter.record(of: $0.headers) }.map { "\($0.sourceTopic):\($0.sourcePartition):\($0.sourceOffset)" })
        #expect(dead == badOffsets, "every bad message dead-lettered, nothing else")

        try await Self.checkUpdates(topics: topics, database: database.location)
    }

    @Test("two cores on one PostgreSQL share the partitions; one is killed mid-stream and the other takes over: the state equals the events applied once")
    func twoCoresOnPostgreSQL() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build lubehub first (make test does)")
        let (stream, expected) = try await Self.prepare(seed: 37, count: 10_000)
        let topics = try await Topics.create()
        let group = TestBroker.uniqueName("core")
        let database = try TestDatabase(.postgresql)

        _ = try await Self.publish(stream.masterData, topics: topics, over: 0)
        let logs = (1...2).map { URL(fileURLWithPath: NSTemporaryDirectory() + "lubehub-core-\($0)-\(UUID().uuidString).log") }
        defer { logs.forEach { try? FileManager.default.removeItem(at: $0) } }
        let launched = LaunchedProcesses()
        defer { launched.stopAll() }  // a failed expectation or deadline leaves no core running
        let first = launched.track(try Self.launchCore(database: database.location, topics: topics, group: group, log: logs[0]))
        let masterCount = stream.masterData.count
        try await withDeadline(.seconds(60), "the master data applied") {
            while try database.location.read({ db throws(StoreError) in try db.first("SELECT COUNT(*) FROM applied_events")?.int(0) ?? 0 }) < masterCount {
                try await Task.sleep(for: .milliseconds(100))  // polling the database: the condition lives in another process
            }
        }
        let second = launched.track(try Self.launchCore(database: database.location, topics: topics, group: group, log: logs[1]))
        let publisher = Task { try await Self.publish(stream.items, topics: topics, over: 15) }
        let assigned = { @Sendable (log: URL) -> Int in
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").filter { $0.contains("partitions assigned") && $0.contains("group=\(group)-events") && !$0.contains("count=0") }.count
        }
        try await withDeadline(.seconds(60), "the second core to get its share of the partitions") {
            while assigned(logs[1]) == 0 {
                try await Task.sleep(for: .milliseconds(100))  // polling its log: the condition lives in another process
            }
        }
        try await Task.sleep(for: .seconds(2))  // both at work on their shares
        kill(first.processIdentifier, SIGKILL)
        await ChildProcess.exit(of: first)
        let atKill = try database.location.read { db throws(StoreError) in try db.first("SELECT COUNT(*) FROM applied_events")?.int(0) ?? 0 }
        #expect(atKill > masterCount && atKill < expected["applied_events"]?.count ?? 0, "killed mid-stream: \(atKill) applied")
        let badOffsets = try await publisher.value
        try await Self.waitUntilCaughtUp(database.location, topics: topics, group: group)
        second.terminate()
        await ChildProcess.exit(of: second)
        // Both members had partitions of the rules' consumer group; the survivor was given more after the kill.
        #expect(assigned(logs[0]) >= 1, "the first core had partitions")
        #expect(assigned(logs[1]) >= 2, "the second core had partitions, then took over the first one's")

        try Self.expectState(of: database.location, equals: expected)
        let reader = try TestBroker.consumer(topics: [topics.deadLetters])
        let letters = try await TestBroker.collect(badOffsets.count, from: reader)
        await reader.close()
        #expect(Set(letters.compactMap { DeadLetter.record(of: $0.headers) }.map { "\($0.sourceTopic):\($0.sourcePartition):\($0.sourceOffset)" }) == badOffsets)
        try await Self.checkUpdates(topics: topics, database: database.location)
    }

    /// The database's state, table by table, equals the reference (row counts, then the first difference).
    static func expectState(of location: DatabaseLocation, equals expected: [String: [[String]]]) throws {
        let actual = try location.read { db throws(StoreError) in try StateDump.read(db) }
        for (table, _) in StateDump.queries {
            let want = expected[table] ?? [], got = actual[table] ?? []
            #expect(got.count == want.count, "\(table): \(got.count) rows, \(want.count) expected")
            if got != want, let first = zip(got, want).first(where: { $0 != $1 }) {
                Issue.record("\(table) differs first at \(first.0) (expected \(first.1))")
            }
        }
    }

    /// Every order's last view on the updates topic is the state the database holds.
    static func checkUpdates(topics: Topics, database: DatabaseLocation) async throws {
        let expectedIds = try database.read { db throws(StoreError) in
            try db.query("SELECT event_id FROM outbox WHERE topic = ?", .text(topics.updates)).compactMap { $0.string(0) }
        }
        let statuses = try database.read { db throws(StoreError) in
            Dictionary(uniqueKeysWithValues: try db.query("SELECT order_id, status FROM orders").map { ($0.string(0) ?? "", $0.string(1) ?? "") })
        }
        let reader = try TestBroker.consumer(topics: [topics.updates])
        let views = try await withDeadline(.seconds(60), "every order view on the updates topic") {
            var seen = Set<String>()
            var latest: [String: OrderView] = [:]
            for try await batch in reader.batches {
                for message in batch {
                    guard let value = message.value, let event = try? CanonicalEvent.decode(value), let view = event.data.payload(as: OrderView.self) else { continue }
                    seen.insert(event.id)
                    if view.version >= latest[view.orderId]?.version ?? 0 { latest[view.orderId] = view }
                }
                if seen.count >= expectedIds.count { break }
            }
            return latest
        }
        await reader.close()
        #expect(views.count == statuses.count, "a view for every order")
        let mismatched = views.values.filter { statuses[$0.orderId] != $0.status.rawValue }
        #expect(mismatched.isEmpty, "last views that disagree with the database: \(mismatched.prefix(3).map { "\($0.orderId) \($0.status)" })")
    }
}

/// The processes a test started, stopped (SIGKILL) when it ends however it ends: a test that fails
/// half-way must not leave a core running to load the machine under the tests after it.
final class LaunchedProcesses: Sendable {
    private let processes = Mutex<[Process]>([])

    @discardableResult
    func track(_ process: Process) -> Process {
        processes.withLock { $0.append(process) }
        return process
    }

    func stopAll() {
        for process in processes.withLock({ $0 }) where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
