import Foundation
import HubContracts
import HubStore
import Kafka
import KafkaTestSupport
import Testing

/// `lubehub core` is killed (SIGKILL, no chance to clean up) at random moments while it applies a
/// stream of positions, restarted each time, and the final state is compared with the state the same
/// events give when applied once in memory.
@Suite("the core survives kill -9")
struct CoreCrashTests {
    static var binary: URL { repositoryRoot.appendingPathComponent(".build/debug/lubehub") }

    struct Expected {
        var latest: [String: String] = [:]
        var history = Set<String>()
    }

    func launchCore(database: String, topic: String, group: String, dlq: String) throws -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["core", "--bootstrap", TestBroker.bootstrap, "--database", database, "--positions-topic", topic,
                             "--group", group, "--dead-letter-topic", dlq, "--max-batch", "100", "--history-retention-hours", "0", "--event-topics", ""]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test("killed at random points, restarted: every fix applied once, the newest wins, the bad ones dead-lettered", arguments: [UInt64(11), 23])
    func killAndRestart(seed: UInt64) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build lubehub first (make test does)")
        let topic = try await TestBroker.createTopic("crash", partitions: 3)
        let dlq = try await TestBroker.createTopic("crash-dlq", partitions: 1)
        let group = TestBroker.uniqueName("core")
        let database = NSTemporaryDirectory() + "lubehub-crash-\(UUID().uuidString).sqlite"
        defer { SQLiteConnection.removeDatabase(at: database) }

        // 20,000 fixes for 40 vehicles, some sent late (out of order) and some twice, plus 5 bad messages.
        var random = Xorshift(seed: seed)
        var expected = Expected()
        var messages: [(key: String, value: String, bad: Bool)] = []
        let start = 1_795_910_400
        for index in 0..<20_000 {
            let vehicle = "V\(index % 40)"
            var step = index / 40
            if random.next(100) < 5 { step = max(0, step - 1 - random.next(5)) }  // a late, older fix
            let fixAt = Timestamp(Date(timeIntervalSince1970: Double(start + step * 15))).text
            let value = "{\"id\":\"crash:\(vehicle):\(step)\",\"type\":\"vehicle.position\",\"source\":\"test\",\"occurredAt\":\"\(fixAt)\",\"subject\":\"\(vehicle)\",\"schemaVersion\":1,\"data\":{\"vehicleId\":\"\(vehicle)\",\"fixAt\":\"\(fixAt)\",\"lat\":\(30 + Double(step) / 1000),\"lon\":121.0,\"speedKmh\":50,\"heading\":90,\"source\":\"jt808\"}}"
            for _ in 0..<(random.next(100) < 3 ? 2 : 1) { messages.append((vehicle, value, false)) }
            expected.history.insert("\(vehicle)@\(fixAt)")
            if fixAt > expected.latest[vehicle] ?? "" { expected.latest[vehicle] = fixAt }
            if index % 4000 == 1999 { messages.append((vehicle, "{\"id\":\"bad-\(index)\",\"type\":\"vehicle.position\"}", true)) }
        }

        // The stream is published over about 20 s while the core is killed and restarted, so the
        // kills land in the middle of work.
        let stream = messages
        let publisher = Task { () throws -> (end: [Int32: Int64], bad: Set<String>) in
            let producer = try TestBroker.producer()
            var end: [Int32: Int64] = [:]
            var bad = Set<String>()
            for chunk in stride(from: 0, to: stream.count, by: 50) {
                let reports = try await withThrowingTaskGroup(of: (KafkaDeliveryReport, Bool).self) { group in
                    for message in stream[chunk..<min(chunk + 50, stream.count)] {
                        group.addTask { (try await producer.send(KafkaProducerMessage(topic: topic, key: message.key, value: message.value)), message.bad) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                for (report, isBad) in reports {
                    end[report.partition] = max(end[report.partition] ?? 0, (report.offset ?? 0) + 1)
                    if isBad { bad.insert("\(report.partition):\(report.offset ?? -1)") }
                }
                try await Task.sleep(for: .milliseconds(50))  // pacing the stream over ~20 s, not synchronisation
            }
            try await producer.shutdown()
            return (end, bad)
        }

        var kills = 0
        var progressAtKills: [Int64] = []
        let observer = try PositionStore(.sqlite(path: database))
        for _ in 0..<4 {
            let core = try launchCore(database: database, topic: topic, group: group, dlq: dlq)
            try await Task.sleep(for: .milliseconds(3_500 + random.next(2_500)))  // the join (about 3 s), then a random stretch of work
            kill(core.processIdentifier, SIGKILL)
            core.waitUntilExit()
            kills += 1
            progressAtKills.append(try observer.storedOffsets(group: group, topic: topic).values.reduce(0, +))
        }
        let (endOffsets, badOffsets) = try await publisher.value
        let total = endOffsets.values.reduce(0, +)
        // The kills must have landed mid-stream: progress was made, and not yet finished, at several of them.
        #expect(Set(progressAtKills.filter { $0 > 0 && $0 < total }).count >= 2, "kills at \(progressAtKills) of \(total)")
        let core = try launchCore(database: database, topic: topic, group: group, dlq: dlq)
        let store = try PositionStore(.sqlite(path: database))
        let target = endOffsets
        try await withDeadline(.seconds(120), "the core to catch up") {
            while try store.storedOffsets(group: group, topic: topic) != target {
                try await Task.sleep(for: .milliseconds(200))  // polling the database: the condition lives in another process
            }
        }
        core.terminate()
        core.waitUntilExit()
        #expect(kills == 4)

        let counts = try store.counts()
        #expect(counts.history == expected.history.count, "every distinct fix is in the history exactly once")
        #expect(counts.vehicles == expected.latest.count)
        for (vehicle, fixAt) in expected.latest {
            #expect(try store.latest(vehicleId: vehicle)?.fixAt == fixAt, "\(vehicle): the newest fix")
        }

        let reader = try TestBroker.consumer(topics: [dlq])
        let letters = try await TestBroker.collect(badOffsets.count, from: reader)
        await reader.close()
        let dead = Set(letters.compactMap { DeadLetter.record(of: $0.headers) }.map { "\($0.sourcePartition):\($0.sourceOffset)" })
        #expect(dead == badOffsets, "every bad message dead-lettered (a replay after a kill may repeat one; its origin tells)")
    }
}

struct Xorshift {
    private var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next(_ bound: Int) -> Int {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Int(state % UInt64(max(bound, 1)))
    }
}
