import Foundation
import HubContracts
import HubCore
import HubMessaging
import HubStore
import Kafka
import KafkaTestSupport
import Testing

@Suite("position ingest against the real broker and SQLite")
struct PositionIngestTests {
    func envelope(_ index: Int, vehicle: String, time: String, lat: Double) -> String {
        """
        {"id":"test:\(index)","type":"vehicle.position","source":"test","occurredAt":"\(time)","subject":"\(vehicle)","schemaVersion":1,"data":{"vehicleId":"\(vehicle)","fixAt":"\(time)","lat":\(lat),"lon":121.5,"speedKmh":40,"heading":90,"source":"jt808"}}
        """
    }

    func ingest(topic: String, group: String, store: PositionStore, deadLetters: KafkaProducer?, dlq: String, until received: Int) async throws -> PositionIngest.Counters {
        let ingest = PositionIngest(
            configuration: .init(
                consumer: .init(client: TestBroker.client, groupID: group, topics: [topic], sessionTimeout: .seconds(6),
                                autoOffsetReset: .earliest, fetchWaitMax: .milliseconds(10), maxBatchSize: 7),
                deadLetterTopic: dlq),
            store: store, deadLetters: deadLetters
        )
        return try await withDeadline(.seconds(60), "ingest of \(received) messages") {
            try await ingest.run { $0.received >= received }
        }
    }

    @Test("out-of-order and repeated fixes, a bad message, a restart and a full replay: every fix applied once, newest wins, the bad one dead-lettered")
    func exactlyOnce() async throws {
        let topic = try await TestBroker.createTopic("positions", partitions: 3)
        let dlq = try await TestBroker.createTopic("core-dlq", partitions: 1)
        let database = DatabaseLocation.sqlite(path: NSTemporaryDirectory() + "lubehub-ingest-\(UUID().uuidString).sqlite")
        defer { database.removeFiles() }
        let store = try PositionStore(database)
        let producer = try TestBroker.producer()

        // V1: fixes at :00, :30, then an older :10 (out of order) and a repeat of :30.
        let first = [
            envelope(0, vehicle: "V1", time: "2026-12-03T08:00:00Z", lat: 31.0),
            envelope(1, vehicle: "V1", time: "2026-12-03T08:00:30Z", lat: 31.3),
            envelope(2, vehicle: "V2", time: "2026-12-03T08:00:00Z", lat: 30.0),
            envelope(3, vehicle: "V1", time: "2026-12-03T08:00:10Z", lat: 31.1),
            envelope(1, vehicle: "V1", time: "2026-12-03T08:00:30Z", lat: 31.3),
            "{\"id\":\"broken\"",
        ]
        for (index, value) in first.enumerated() {
            let key = index == 2 ? "V2" : "V1"
            try await producer.send(KafkaProducerMessage(topic: topic, key: key, value: value))
        }
        let group = TestBroker.uniqueName("core")
        let counters = try await ingest(topic: topic, group: group, store: store, deadLetters: producer, dlq: dlq, until: first.count)
        #expect(counters.applied == 5)
        #expect(counters.deadLettered == 1)
        #expect(try await store.latest(vehicleId: "V1")?.fixAt == "2026-12-03T08:00:30Z", "the newest fix wins over a later-arriving older one")
        #expect(try await store.latest(vehicleId: "V1")?.lat == 31.3)
        #expect(try await store.counts().history == 4, "the repeated fix is in the history once")

        // Restart in the same group: it resumes after what the store holds, applying only the new fix.
        try await producer.send(KafkaProducerMessage(topic: topic, key: "V2", value: envelope(4, vehicle: "V2", time: "2026-12-03T08:01:00Z", lat: 30.1)))
        let resumed = try await ingest(topic: topic, group: group, store: store, deadLetters: producer, dlq: dlq, until: 1)
        #expect(resumed.received == 1, "nothing already applied is read again")
        #expect(try await store.latest(vehicleId: "V2")?.fixAt == "2026-12-03T08:01:00Z")

        // A full replay (a new group reads everything again) changes nothing.
        let replay = try await ingest(topic: topic, group: TestBroker.uniqueName("replay"), store: store, deadLetters: producer, dlq: dlq, until: first.count + 1)
        #expect(replay.received == first.count + 1)
        #expect(try await store.counts().history == 5)
        #expect(try await store.latest(vehicleId: "V1")?.fixAt == "2026-12-03T08:00:30Z")
        try await producer.shutdown()

        // The bad message is in the dead-letter topic with its reason and origin.
        let reader = try TestBroker.consumer(topics: [dlq])
        let letters = try await TestBroker.collect(1, from: reader)
        await reader.close()
        let letter = try #require(letters.first)
        #expect(letter.valueString == "{\"id\":\"broken\"")
        let record = try #require(DeadLetter.record(of: letter.headers))
        #expect(record.sourceTopic == topic)
        #expect(record.stage == "decode")
        #expect(record.reason.contains("unexpected end of input"))
    }
}
