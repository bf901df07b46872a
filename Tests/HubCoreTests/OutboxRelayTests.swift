import Foundation
import HubCore
import HubMessaging
import HubStore
import Kafka
import KafkaTestSupport
import Testing

@Suite("outbox relay against the real broker and SQLite")
struct OutboxRelayTests {
    @Test("rows are published in order per key, marked sent after the ack; a crash before marking republishes under the same ids")
    func relay() async throws {
        let topic = try await TestBroker.createTopic("outbox", partitions: 3)
        let database = DatabaseLocation.sqlite(path: NSTemporaryDirectory() + "lubehub-outbox-\(UUID().uuidString).sqlite")
        defer { database.removeFiles() }
        let outbox = try Outbox(database)
        try await outbox.append((0..<300).map { index in
            OutboxRow(topic: topic, key: "O\(index % 7)", eventId: "e\(index)", value: Array("{\"seq\":\(index)}".utf8))
        } + [OutboxRow(topic: topic, key: "O-gone", eventId: "e-tombstone", value: nil)])
        #expect(try await outbox.unsentCount() == 301)

        let producer = try TestBroker.producer()
        // A crash after publishing, before marking: the first 100 rows go out but stay unsent.
        let early = try await outbox.unsent(limit: 100)
        _ = try await producer.sendBatch(early.map { KafkaProducerMessage(topic: $0.topic, key: Array($0.key.utf8), value: $0.value,
                                                                          headers: [KafkaHeader(name: MessageHeader.eventId, string: $0.eventId)]) })
        #expect(try await outbox.unsentCount() == 301)

        let relay = OutboxRelay(outbox: outbox, producer: producer, batchSize: 64)
        var published = 0
        while try await outbox.unsentCount() > 0 { published += try await relay.relayOnce() }
        #expect(published == 301)
        #expect(try await relay.relayOnce() == 0, "nothing left: a second pass publishes nothing")
        try await producer.shutdown()

        let consumer = try TestBroker.consumer(topics: [topic])
        let received = try await TestBroker.collect(401, from: consumer)
        await consumer.close()
        #expect(received.count == 401, "100 repeats after the simulated crash, none lost")
        let ids = received.compactMap { $0.headers.value(named: MessageHeader.eventId).map { String(decoding: $0, as: UTF8.self) } }
        #expect(Set(ids) == Set((0..<300).map { "e\($0)" } + ["e-tombstone"]), "every event id arrives; repeats carry the same ids")
        // Per key, the first arrival of each id is in outbox order.
        var seenIds = Set<String>()
        var lastPerKey: [String: Int] = [:]
        for message in received {
            guard let id = message.headers.value(named: MessageHeader.eventId).map({ String(decoding: $0, as: UTF8.self) }), seenIds.insert(id).inserted,
                  let sequence = Int(id.dropFirst()) else { continue }
            let key = message.keyString ?? ""
            #expect(sequence > lastPerKey[key] ?? -1, "\(key): \(id) after e\(lastPerKey[key] ?? -1)")
            lastPerKey[key] = sequence
        }
        #expect(received.contains { $0.keyString == "O-gone" && $0.value == nil }, "a nil value is published as a tombstone")
    }

    @Test("sendBatch returns one report per message, in order, and waits through a full queue")
    func sendBatchOrder() async throws {
        let topic = try await TestBroker.createTopic("batch", partitions: 1)
        let producer = try TestBroker.producer(properties: ["queue.buffering.max.messages": "20"])
        let messages = (0..<500).map { KafkaProducerMessage(topic: topic, key: "k", value: "\($0)") }
        let reports = try await producer.sendBatch(messages)
        try await producer.shutdown()
        #expect(reports.count == 500)
        #expect(reports.allSatisfy { $0.succeeded })
        #expect(reports.map { $0.offset ?? -1 } == (0..<500).map(Int64.init), "offsets follow the batch order")
        #expect(producer.counters.queueFullWaits > 0)
    }
}
