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
    func envelope(_ index: Int, vehicle: String, time: String, lat: Double, lon: Double = 121.5, carrier: String? = nil) -> String {
        let carrierField = carrier.map { #","carrierId":"\#($0)""# } ?? ""
        return """
        {"id":"test:\(index)","type":"vehicle.position","source":"test","occurredAt":"\(time)","subject":"\(vehicle)","schemaVersion":1,"data":{"vehicleId":"\(vehicle)","fixAt":"\(time)","lat":\(lat),"lon":\(lon),"speedKmh":40,"heading":90,"source":"jt808"\(carrierField)}}
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

        // V1: fixes at :00, :30, then an older :10 (out of order) and a repeat of :30 (a truck's pace: 300 m in 30 s).
        let first = [
            envelope(0, vehicle: "V1", time: "2026-11-03T08:00:00Z", lat: 31.0),
            envelope(1, vehicle: "V1", time: "2026-11-03T08:00:30Z", lat: 31.003),
            envelope(2, vehicle: "V2", time: "2026-11-03T08:00:00Z", lat: 30.0),
            envelope(3, vehicle: "V1", time: "2026-11-03T08:00:10Z", lat: 31.001),
            envelope(1, vehicle: "V1", time: "2026-11-03T08:00:30Z", lat: 31.003),
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
        #expect(try await store.latest(vehicleId: "V1")?.fixAt == "2026-11-03T08:00:30Z", "the newest fix wins over a later-arriving older one")
        #expect(try await store.latest(vehicleId: "V1")?.lat == 31.003)
        #expect(try await store.counts().history == 4, "the repeated fix is in the history once")

        // Restart in the same group: it resumes after what the store holds, applying only the new fix.
        try await producer.send(KafkaProducerMessage(topic: topic, key: "V2", value: envelope(4, vehicle: "V2", time: "2026-11-03T08:01:00Z", lat: 30.01)))
        let resumed = try await ingest(topic: topic, group: group, store: store, deadLetters: producer, dlq: dlq, until: 1)
        #expect(resumed.received == 1, "nothing already applied is read again")
        #expect(try await store.latest(vehicleId: "V2")?.fixAt == "2026-11-03T08:01:00Z")

        // A full replay (a new group reads everything again) changes nothing.
        let replay = try await ingest(topic: topic, group: TestBroker.uniqueName("replay"), store: store, deadLetters: producer, dlq: dlq, until: first.count + 1)
        #expect(replay.received == first.count + 1)
        #expect(try await store.counts().history == 5)
        #expect(try await store.latest(vehicleId: "V1")?.fixAt == "2026-11-03T08:00:30Z")
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

    @Test("a fix for another carrier's truck and a fix from the future are dead-lettered with the reason; one at 0,0 or an impossible jump goes to the history only")
    func refusedAndFlagged() async throws {
        let topic = try await TestBroker.createTopic("positions", partitions: 1)
        let dlq = try await TestBroker.createTopic("core-dlq", partitions: 1)
        let database = DatabaseLocation.sqlite(path: NSTemporaryDirectory() + "lubehub-ingest-\(UUID().uuidString).sqlite")
        defer { database.removeFiles() }
        let core = try CoreStore(database)
        try await core.transaction { tables throws(StoreError) in
            try tables.vehicles.upsert(VehicleRegistered(vehicleId: "V16", carrierId: "CAR-16", plate: "沪A16", terminalId: "013900000016"))
        }
        let store = try PositionStore(database)
        let producer = try TestBroker.producer()
        let now = Date()
        func time(_ seconds: TimeInterval) -> String { Timestamp(now.addingTimeInterval(seconds)).text }
        let messages = [
            envelope(0, vehicle: "V16", time: time(-60), lat: 31.2, carrier: "CAR-03"),                   // CAR-03 reports CAR-16's truck
            envelope(1, vehicle: "V16", time: time(-60), lat: 31.2, carrier: "CAR-16"),                   // its own carrier: the current position
            envelope(2, vehicle: "V16", time: "2099-01-01T00:00:00Z", lat: 31.3, carrier: "CAR-16"),     // from the future
            envelope(3, vehicle: "V16", time: time(-50), lat: 0, lon: 0, carrier: "CAR-16"),             // no GPS lock
            envelope(4, vehicle: "V16", time: time(-40), lat: 39.9, lon: 116.4, carrier: "CAR-16"),      // Beijing, 20 s after Shanghai
        ]
        for value in messages { try await producer.send(KafkaProducerMessage(topic: topic, key: "V16", value: value)) }
        let counters = try await ingest(topic: topic, group: TestBroker.uniqueName("core"), store: store, deadLetters: producer, dlq: dlq, until: messages.count)
        #expect(counters.deadLettered == 2 && counters.applied == 3, "\(counters)")
        let latest = try #require(try await store.latest(vehicleId: "V16"))
        #expect(latest.lat == 31.2 && latest.fixAt == time(-60), "neither 0,0 nor the jump became the truck's position")
        #expect(try await store.counts().history == 3, "the flagged fixes are in the history")
        try await producer.shutdown()
        let reader = try TestBroker.consumer(topics: [dlq])
        let letters = try await TestBroker.collect(2, from: reader)
        await reader.close()
        let reasons = letters.compactMap { DeadLetter.record(of: $0.headers)?.reason }
        #expect(reasons.contains("vehicle V16 is carrier CAR-16's: carrier CAR-03 cannot report it"), "\(reasons)")
        #expect(reasons.contains { $0.contains("2099-01-01T00:00:00Z is more than") && $0.contains("ahead of the hub's clock") }, "\(reasons)")
    }
}
