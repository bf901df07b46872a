@testable import HubCore
import Kafka
import MetricsTestKit
import Testing

@Suite("the core's ingest timers")
struct IngestMetricsTests {
    static func message(_ topic: String, offset: Int64, sentAt: Int64?) -> KafkaConsumerMessage {
        KafkaConsumerMessage(topic: topic, partition: 0, offset: offset, key: nil, value: [], timestampMilliseconds: sentAt)
    }

    @Test("each event's wait from its producer's timestamp, by topic; no timestamp or one ahead of the clock is left out")
    func waits() throws {
        let factory = TestMetrics()
        let metrics = IngestMetrics(stream: "events", outcomes: [], consumer: "interactive", factory: factory)
        metrics.waited([
            Self.message("hub.orders.commands", offset: 1, sentAt: 9_990),
            Self.message("hub.orders.commands", offset: 2, sentAt: 9_997),
            Self.message("hub.orders.events", offset: 7, sentAt: 9_750),
            Self.message("hub.orders.events", offset: 8, sentAt: nil),
            Self.message("hub.orders.events", offset: 9, sentAt: 10_003),
        ], nowMilliseconds: 10_000)
        let commands = try factory.expectTimer("lubehub_core_event_wait_seconds", [("topic", "hub.orders.commands")])
        #expect(commands.values == [10_000_000, 3_000_000])
        let events = try factory.expectTimer("lubehub_core_event_wait_seconds", [("topic", "hub.orders.events")])
        #expect(events.values == [250_000_000])

        metrics.transactionTook(.microseconds(1_500))
        #expect(try factory.expectTimer("lubehub_core_transaction_seconds", [("consumer", "interactive")]).values == [1_500_000])
    }

    @Test("an ingest without a consumer name times nothing")
    func unnamed() {
        let factory = TestMetrics()
        let metrics = IngestMetrics(stream: "events", outcomes: ["applied"], factory: factory)
        metrics.waited([Self.message("hub.orders.commands", offset: 1, sentAt: 1)], nowMilliseconds: 2)
        metrics.transactionTook(.milliseconds(1))
        #expect(factory.timers.isEmpty)
    }

    @Test("gaps in consumed offsets are counted by the outcomes asked for; none without")
    func gaps() throws {
        let factory = TestMetrics()
        let metrics = IngestMetrics(stream: "events", outcomes: [], gapOutcomes: ["recorded", "read", "given-up"], factory: factory)
        metrics.countGaps("recorded", by: 5)
        metrics.countGaps("read", by: 3)
        metrics.countGaps("read", by: 0)
        #expect(try factory.expectCounter("lubehub_core_offset_gaps_total", [("stream", "events"), ("outcome", "recorded")]).totalValue == 5)
        #expect(try factory.expectCounter("lubehub_core_offset_gaps_total", [("stream", "events"), ("outcome", "read")]).totalValue == 3)
        #expect(try factory.expectCounter("lubehub_core_offset_gaps_total", [("stream", "events"), ("outcome", "given-up")]).totalValue == 0)
        let positions = TestMetrics()
        IngestMetrics(stream: "positions", outcomes: ["applied"], factory: positions).countGaps("read", by: 1)
        #expect(positions.counters.allSatisfy { $0.label != "lubehub_core_offset_gaps_total" })
    }
}
