import Foundation
import Kafka
import KafkaTestSupport
import Testing

/// Messages cross between our library and an independent client (confluent-kafka from `.venv`).
@Suite("interoperability with confluent-kafka")
struct InteropTests {
    struct WireMessage: Codable, Equatable {
        var partition: Int32?
        var offset: Int64?
        var key: String?
        var value: String?
        var headers: [[String?]]

        init(key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader]) {
            self.key = key.map(Self.hex)
            self.value = value.map(Self.hex)
            self.headers = headers.map { [$0.name, $0.value.map(Self.hex)] }
        }

        static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
    }

    static let samples: [(key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader])] = [
        ("dealer-42".bytes, "{\"dealer\":\"经销商-42\",\"qty\":\"12.500\"}".bytes, [KafkaHeader(name: "traceparent", string: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]),
        ([0x00, 0xff, 0x7e, 0x7d], (0...255).map { UInt8($0) }, [KafkaHeader(name: "error.reason", string: "bad check code"), KafkaHeader(name: "none", value: nil)]),
        ("tombstone".bytes, nil, []),
        (nil, [], [KafkaHeader(name: "empty", value: [])]),
    ]

    @Test("what our producer writes, confluent-kafka reads unchanged")
    func oursToConfluent() async throws {
        let topic = try await TestBroker.createTopic("interop-out", partitions: 2)
        let producer = try TestBroker.producer()
        var sent: [WireMessage] = []
        for sample in Self.samples {
            let report = try await producer.send(KafkaProducerMessage(topic: topic, key: sample.key, value: sample.value, headers: sample.headers))
            var wire = WireMessage(key: sample.key, value: sample.value, headers: sample.headers)
            wire.partition = report.partition
            wire.offset = report.offset
            sent.append(wire)
        }
        try await producer.shutdown()

        let output = try await ConfluentClient.run(["consume", "--topic", topic, "--count", String(sent.count)])
        let read = try output.split(separator: "\n").map { try JSONDecoder().decode(WireMessage.self, from: Data($0.utf8)) }
        #expect(read.count == sent.count)
        for message in sent {
            #expect(read.contains(message), "confluent-kafka read \(message) unchanged")
        }
    }

    @Test("what confluent-kafka writes, our consumer reads unchanged")
    func confluentToOurs() async throws {
        let topic = try await TestBroker.createTopic("interop-in", partitions: 2)
        let wire = Self.samples.map { WireMessage(key: $0.key, value: $0.value, headers: $0.headers) }
        let input = try wire.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }.joined(separator: "\n")
        let summary = try await ConfluentClient.run(["produce", "--topic", topic], input: Data(input.utf8))
        #expect(summary.contains("\"sent\": \(wire.count)"))

        let consumer = try TestBroker.consumer(topics: [topic])
        let received = try await TestBroker.collect(wire.count, from: consumer)
        await consumer.close()
        #expect(received.count == wire.count)
        for sample in Self.samples {
            #expect(received.contains { $0.key == sample.key && $0.value == sample.value && $0.headers == sample.headers })
        }
    }
}
