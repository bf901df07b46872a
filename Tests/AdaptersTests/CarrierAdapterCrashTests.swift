import Adapters
import WireFormats
import Foundation
import HubContracts
import Kafka
import KafkaTestSupport
import Testing

/// `lubehub adapter carrier` killed (SIGKILL) at random moments while JT/T 808 frames stream in
/// (messages in several packages among them), restarted: a read_committed reader of the positions
/// topic finds every good frame's fixes under the ids derived from the frame (a packaged message's
/// from its last package), no id for anything that was not a good frame, the same id always
/// with the same value, and every bad frame dead-lettered.
@Suite("the carrier adapter survives kill -9", .serialized)
struct CarrierAdapterCrashTests {
    static var binary: URL { repositoryRoot.appendingPathComponent(".build/debug/lubehub") }

    func launch(_ topics: CarrierTopics) throws -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["adapter", "carrier", "--bootstrap", TestBroker.bootstrap, "--catalogue", repositoryRoot.appendingPathComponent("topics").path,
                             "--topics", "events=\(topics.events),jt808=\(topics.jt808),vehicles=\(topics.vehicles),shipments=\(topics.shipments),positions=\(topics.positions),deadLetters=\(topics.deadLetters)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// SIGTERM, then SIGKILL if it has not left within 20 s (the test must not hang on a stuck shutdown).
    static func stop(_ process: Process) {
        process.terminate()
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning, Date() < deadline { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    @Test("killed three times mid-stream: every good frame's fixes exactly under its ids, bad frames dead-lettered")
    func killAndRestart() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build lubehub first (make test does)")
        var topics = CarrierTopics()
        topics.events = try await TestBroker.createTopic("carrier-events", partitions: 1)
        topics.jt808 = try await TestBroker.createTopic("jt808", partitions: 3)
        topics.vehicles = try await TestBroker.createTopic("vehicles", partitions: 1)
        topics.shipments = try await TestBroker.createTopic("shipments", partitions: 1)
        topics.positions = try await TestBroker.createTopic("positions", partitions: 3)
        topics.deadLetters = try await TestBroker.createTopic("carrier-dlq", partitions: 1)
        let producer = try TestBroker.producer()
        let terminals = (0..<20).map { String(format: "0139%08d", $0) }
        for (index, terminal) in terminals.enumerated() {
            let json = #"{"eventId":"R\#(index)","carrierId":"C1","type":"vehicle.registered","vehicle":{"vehicleId":"V\#(index)","plate":"沪A\#(10000 + index)","terminalId":"\#(terminal)"},"time":"2026-11-01 09:00:00"}"#
            try await producer.send(KafkaProducerMessage(topic: topics.events, key: "V\(index)", value: json))
        }

        // The first life only turns the registrations into hub.vehicles records; it is killed once they
        // are there, so every later life loads its terminal registry complete before reading a frame.
        var adapter = try launch(topics)
        let registrations = try TestBroker.consumer(topics: [topics.vehicles], isolation: .readCommitted)
        _ = try await TestBroker.collect(terminals.count, from: registrations)
        await registrations.close()
        kill(adapter.processIdentifier, SIGKILL)
        await ChildProcess.exit(of: adapter)
        // Frames: location reports and batch uploads (some in packages), heartbeats (skipped), and frames with a broken check code.
        var random = FixedSeedRandom(seed: 808)
        var frames: [(key: String, bytes: [UInt8], fixes: Int)] = []
        for index in 0..<6000 {
            let terminal = terminals[random.next(terminals.count)]
            let time = String(format: "2612%02d%02d%02d%02d", 1 + index / 2000, index % 24, index / 24 % 60, index % 60)
            let report = JT808Tests.location(status: 0x02, lat: 31_000_000 + UInt32(index), lon: 121_000_000, speed: UInt16(random.next(900)), direction: UInt16(random.next(360)), time: time)
            switch random.next(20) {
            case 0:
                frames.append((terminal, JT808Frame(messageId: 0x0002, protocolVersion: nil, terminal: terminal, serial: UInt16(index), body: []).encoded(), 0))
            case 1:
                var bad = JT808Frame(messageId: 0x0200, protocolVersion: nil, terminal: terminal, serial: UInt16(index), body: report).encoded()
                bad[bad.count - 2] = bad[bad.count - 2] == 0x00 ? 0x01 : 0x00
                frames.append((terminal, bad, -1))
            case 4:
                // A batch upload in three packages, one Kafka message each: its fixes come with the last one's ids.
                let packages = JT808PackageTests.packages(terminal: terminal, count: 4, packages: 3, firstSerial: UInt16(index))
                frames += [(terminal, packages[0], 0), (terminal, packages[1], 0), (terminal, packages[2], 4)]
            case 2, 3:
                let batch: [UInt8] = [0, 2, 0] + [0, UInt8(report.count)] + report + [0, UInt8(report.count)] + report
                frames.append((terminal, JT808Frame(messageId: 0x0704, protocolVersion: 1, terminal: "00000000" + terminal, serial: UInt16(index), body: batch).encoded(), 2))
            default:
                frames.append((terminal, JT808Frame(messageId: 0x0200, protocolVersion: nil, terminal: terminal, serial: UInt16(index), body: report).encoded(), 1))
            }
        }
        let stream = frames
        let jt808 = topics.jt808
        let publisher = Task { () throws -> (expected: Set<String>, bad: Set<String>) in
            var expected = Set<String>(), bad = Set<String>()
            for start in stride(from: 0, to: stream.count, by: 200) {
                let slice = Array(stream[start..<min(start + 200, stream.count)])
                let reports = try await producer.sendBatch(slice.map { KafkaProducerMessage(topic: jt808, key: Array($0.key.utf8), value: $0.bytes) })
                for (frame, report) in zip(slice, reports) {
                    let origin = "\(jt808):\(report.partition):\(report.offset ?? -1)"
                    if frame.fixes < 0 { bad.insert(origin) }
                    for index in 0..<max(frame.fixes, 0) { expected.insert("\(origin):\(index)") }
                }
                try await Task.sleep(for: .milliseconds(300))  // pacing the stream over ~9 s, not synchronisation
            }
            return (expected, bad)
        }
        for _ in 0..<3 {
            adapter = try launch(topics)
            try await Task.sleep(for: .milliseconds(4_000 + random.next(2_000)))  // the joins, then a random stretch of work
            kill(adapter.processIdentifier, SIGKILL)
            await ChildProcess.exit(of: adapter)
        }
        let (expected, badOrigins) = try await publisher.value
        try await producer.shutdown()
        adapter = try launch(topics)
        let last = adapter
        defer { Self.stop(last) }

        let outputs = try await CommittedOutputs.eventIds(on: [topics.positions], expected: expected)
        #expect(outputs.ids == expected, "\(outputs.ids.subtracting(expected).count) unexpected ids, \(expected.subtracting(outputs.ids).count) missing")
        #expect(outputs.conflicts.isEmpty, "an id always carries the same value")
        let dead = try await CommittedOutputs.deadLetteredInputs(on: topics.deadLetters, expected: badOrigins)
        #expect(dead == badOrigins, "bad frames, and nothing else, dead-lettered")
    }
}

