import Adapters
import WireFormats
import Foundation
import HubContracts
import Kafka
import KafkaTestSupport
import Testing

/// JT/T 808 messages sent in several packages: held per partition until complete, in any order,
/// then decoded whole; a message whose packages never all come is dead-lettered package by package.
@Suite("JT/T 808 sub-packaged messages")
struct JT808PackageTests {
    let mapping = JT808Mapping(registry: TerminalRegistry(["13912345678": "V-1", "13800001111": "V-2"]))

    /// A batch upload of `count` fixes, its body cut into `packages` frames with consecutive serials.
    static func packages(terminal: String = "013912345678", version: UInt8? = nil, count: Int, packages: Int, firstSerial: UInt16 = 700) -> [[UInt8]] {
        var body: [UInt8] = [0, UInt8(count), 1]
        for index in 0..<count {
            let report = JT808Tests.location(status: 0x02, lat: 31_000_000 + UInt32(index), lon: 121_000_000, speed: 500, direction: 90,
                                             time: String(format: "261203%02d%02d%02d", 8, index / 60, index % 60))
            body += [0, UInt8(report.count)] + report
        }
        let size = (body.count + packages - 1) / packages
        return (0..<packages).map { index in
            let chunk = Array(body[(index * size)..<min(body.count, (index + 1) * size)])
            return JT808Frame(messageId: 0x0704, protocolVersion: version, terminal: version == nil ? terminal : "00000000" + terminal.dropFirst(),
                              serial: firstSerial &+ UInt16(index), subPackage: .init(total: UInt16(packages), index: UInt16(index + 1)), body: chunk).encoded()
        }
    }

    func record(_ bytes: [UInt8], offset: Int64, time: Int64 = 1_796_000_000_000) -> RawRecord {
        RawRecord(topic: "carrier.in.jt808", partition: 1, offset: offset, value: bytes, timestampMilliseconds: time)
    }

    func latitudes(_ result: MappingResult) throws -> [Double] {
        try result.events.map { try #require(try CanonicalEvent.decode($0.value).data.payload(as: VehicleFix.self)).lat }
    }

    @Test("three packages in order: two held (and the partition's offset with them), the third completes the batch under its own ids")
    func inOrder() throws {
        var pending = PendingInputs()
        let frames = Self.packages(count: 7, packages: 3)
        let first = mapping.map(record(frames[0], offset: 10), pending: &pending)
        #expect(first.events.isEmpty && first.rejections.isEmpty && first.skipped?.contains("package 1 of 3 held") == true)
        #expect(mapping.map(record(frames[1], offset: 11), pending: &pending).skipped != nil)
        #expect(pending.lowestOffset == 10, "the worker may not commit past the first package")
        let done = mapping.map(record(frames[2], offset: 12), pending: &pending)
        #expect(done.events.map(\.id) == (0..<7).map { "carrier.in.jt808:1:12:\($0)" })
        #expect(try latitudes(done) == (0..<7).map { 31.0 + Double($0) / 1_000_000 })
        #expect(pending.isEmpty && pending.lowestOffset == nil)
    }

    @Test("bounded: an unregistered terminal's package is refused before anything is held; one terminal's unfinished packages are capped; so is a message's count")
    func bounded() throws {
        var pending = PendingInputs()
        let stranger = Self.packages(terminal: "013000000000", count: 4, packages: 2)
        let refused = mapping.map(record(stranger[0], offset: 1), pending: &pending)
        #expect(refused.rejections.first?.reason.contains("not registered") == true && pending.isEmpty)
        // A terminal that sends first packages of ever new messages and never the rest.
        var offset: Int64 = 10
        var capped: MappingResult?
        for message in 0..<(JT808Mapping.maximumHeldPerTerminal.parts + 5) {
            let first = Self.packages(count: 4, packages: 2, firstSerial: UInt16(message * 2))[0]
            let result = mapping.map(record(first, offset: offset), pending: &pending)
            offset += 1
            if !result.rejections.isEmpty { capped = result; break }
        }
        #expect(capped?.rejections.first?.reason.contains("unfinished messages held already") == true, "\(String(describing: capped?.rejections))")
        #expect(pending.held(by: "013912345678").parts == JT808Mapping.maximumHeldPerTerminal.parts)
        // Another terminal is not held back by it.
        let other = Self.packages(terminal: "013800001111", count: 2, packages: 2, firstSerial: 9)
        #expect(mapping.map(record(other[0], offset: offset), pending: &pending).skipped != nil)
        #expect(mapping.map(record(other[1], offset: offset + 1), pending: &pending).events.count == 2)
        // A message announced in more packages than any location upload needs.
        let huge = JT808Frame(messageId: 0x0704, protocolVersion: nil, terminal: "013800001111", serial: 1,
                              subPackage: .init(total: UInt16(JT808Mapping.maximumPackagesPerMessage + 1), index: 1), body: [0, 1]).encoded()
        #expect(mapping.map(record(huge, offset: offset + 2), pending: &pending).rejections.first?.reason.contains("at most 64 are taken") == true)
    }

    @Test("out of order, a package repeated, interleaved with another terminal's message and a 2019 header")
    func outOfOrder() throws {
        var pending = PendingInputs()
        let a = Self.packages(count: 5, packages: 3, firstSerial: 65_535)  // the serials wrap around
        let b = Self.packages(terminal: "013800001111", version: 1, count: 2, packages: 2, firstSerial: 9)
        var results: [MappingResult] = []
        for (offset, frame) in [a[2], b[1], a[0], a[2], b[0], a[1]].enumerated() {
            results.append(mapping.map(record(frame, offset: Int64(offset)), pending: &pending))
        }
        #expect(results.map(\.events.count) == [0, 0, 0, 0, 2, 5])
        #expect(results[4].events.allSatisfy { $0.key == "V-2" } && results[5].events.allSatisfy { $0.key == "V-1" })
        #expect(try latitudes(results[5]) == (0..<5).map { 31.0 + Double($0) / 1_000_000 })
        #expect(results.allSatisfy(\.rejections.isEmpty) && pending.isEmpty)
    }

    @Test("packages that never complete are dead-lettered one by one, naming the missing ones, when the window has passed")
    func expiry() throws {
        var pending = PendingInputs()
        let frames = Self.packages(count: 6, packages: 3)
        _ = mapping.map(record(frames[0], offset: 20), pending: &pending)
        _ = mapping.map(record(frames[2], offset: 21), pending: &pending)
        let soon = mapping.map(record(JT808Tests.example(0), offset: 22, time: 1_796_000_060_000), pending: &pending)
        #expect(soon.rejections.isEmpty && soon.events.count == 1, "within the window nothing is given up")
        let late = mapping.map(record(JT808Tests.example(0), offset: 23, time: 1_796_000_121_000), pending: &pending)
        #expect(late.events.count == 1 && pending.isEmpty)
        #expect(late.rejections.map(\.heldInput?.offset) == [20, 21])
        #expect(late.rejections.allSatisfy { $0.reason.contains("packages 2 never came") })
    }

    @Test("one package on its own (no partition state) is skipped, not decoded from half a body")
    func alone() {
        let result = mapping.map(record(Self.packages(count: 4, packages: 2)[0], offset: 1))
        #expect(result.events.isEmpty && result.rejections.isEmpty && result.skipped != nil)
    }

    @Test("a worker stopped between packages: the next one reads the held packages again and completes the message")
    func heldAcrossRestart() async throws {
        var topics = CarrierTopics()
        topics.jt808 = try await TestBroker.createTopic("jt808-packages", partitions: 1)
        topics.positions = try await TestBroker.createTopic("positions", partitions: 1)
        topics.deadLetters = try await TestBroker.createTopic("carrier-dlq", partitions: 1)
        let mapping = JT808Mapping(registry: TerminalRegistry(["13912345678": "V-1"]), topics: topics)
        let producer = try TestBroker.producer()
        let frames = Self.packages(count: 5, packages: 3)
        for frame in frames.prefix(2) { try await producer.send(KafkaProducerMessage(topic: topics.jt808, key: Array("013912345678".utf8), value: frame)) }
        let first = AdapterWorker(mapping: mapping, configuration: .init(client: TestBroker.client, instance: "first"))
        let held = try await withDeadline(.seconds(60), "two packages read") { try await first.run(shouldStop: { $0.received >= 2 }) }
        #expect(held.produced == 0 && held.skipped == 2)

        try await producer.send(KafkaProducerMessage(topic: topics.jt808, key: Array("013912345678".utf8), value: frames[2]))
        let second = AdapterWorker(mapping: mapping, configuration: .init(client: TestBroker.client, instance: "second"))
        let done = try await withDeadline(.seconds(60), "the message completed") { try await second.run(shouldStop: { $0.produced >= 5 }) }
        #expect(done.received == 3, "packages 1 and 2 read again: their offsets were not committed while held")
        let reader = try TestBroker.consumer(topics: [topics.positions], isolation: .readCommitted)
        let fixes = try await TestBroker.collect(5, from: reader)
        await reader.close()
        #expect(fixes.map { $0.headers.first { $0.name == "event.id" }?.value.map { String(decoding: $0, as: UTF8.self) } }
            == (0..<5).map { "\(topics.jt808):0:2:\($0)" })
    }
}
