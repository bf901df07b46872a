import Adapters
import WireFormats
import Foundation
import HubContracts
import HubServer
import Kafka
import KafkaTestSupport
import Testing

/// The ERP adapter on the real broker, both directions in one worker, with its metrics read back in
/// Prometheus' text format from a registry of its own.
@Suite("ERP adapter worker on the broker: IDocs in, ORDERS05 out, dead letters, metrics")
struct ErpAdapterWorkerTests {
    static let catalogue = JT808Tests.catalogue

    func example(_ topic: String, _ index: Int) -> [UInt8] { Self.catalogue[topic]!.examples[index].bytes }

    @Test("customers and an accepted order in; dealers, an ORDERS05 and a dead letter out, read_committed; counters and lag exported")
    func endToEnd() async throws {
        var topics = ErpMapping.Topics()
        topics.customers = try await TestBroker.createTopic("erp-customers", partitions: 2)
        for input in [\ErpMapping.Topics.creditLimits, \.materials, \.prices, \.stock, \.goodsMovements, \.confirmations, \.deliveries] {
            topics[keyPath: input] = try await TestBroker.createTopic("erp-in", partitions: 1)  // empty: this test's inputs only
        }
        topics.orderEvents = try await TestBroker.createTopic("erp-order-events", partitions: 1)
        topics.dealers = try await TestBroker.createTopic("erp-dealers", partitions: 1)
        topics.outboundOrders = try await TestBroker.createTopic("erp-out-orders", partitions: 1)
        topics.deadLetters = try await TestBroker.createTopic("erp-dlq", partitions: 1)
        let producer = try TestBroker.producer()
        for index in 0..<2 {
            try await producer.send(KafkaProducerMessage(topic: topics.customers, key: Array("C\(index)".utf8), value: example("erp.in.customers", index)))
        }
        try await producer.send(KafkaProducerMessage(topic: topics.customers, key: Array("C9".utf8), value: Array("<DEBMAS07><IDOC>".utf8)))
        for index in [0, 1, 3] {  // accepted, rejected (not the ERP's business), cancelled
            try await producer.send(KafkaProducerMessage(topic: topics.orderEvents, key: Array("O-7Q3K9ZP2".utf8), value: example("hub.orders.events", index)))
        }

        let export = PrometheusExport()
        let mapping = ErpMapping(topics: topics)
        let worker = AdapterWorker(mapping: mapping, configuration: .init(client: TestBroker.client, instance: UUID().uuidString),
                                   metrics: AdapterMetrics(adapter: "erp", factory: export.factory))
        let counters = try await withDeadline(.seconds(90), "the worker reading 6 messages") {
            try await worker.run(shouldStop: { $0.received >= 6 })
        }
        #expect(counters.received == 6 && counters.produced == 4 && counters.deadLettered == 1 && counters.skipped == 1, "\(counters)")

        let dealers = try TestBroker.consumer(topics: [topics.dealers], isolation: .readCommitted)
        let upserts = try await TestBroker.collect(2, from: dealers).map { try CanonicalEvent.decode($0.value ?? []) }
        await dealers.close()
        #expect(Set(upserts.compactMap { ($0.data.payload(as: DealerUpserted.self))?.dealerId }) == ["D100042", "D2000917"])
        let outbound = try TestBroker.consumer(topics: [topics.outboundOrders], isolation: .readCommitted)
        let documents = try await TestBroker.collect(2, from: outbound).map { try IDocDocument.parse($0.value ?? []) }
        await outbound.close()
        #expect(documents.map(\.messageType) == ["ORDERS", "ORDCHG"], "in the order the events came, one partition")
        let dlq = try TestBroker.consumer(topics: [topics.deadLetters], isolation: .readCommitted)
        let dead = try await TestBroker.collect(1, from: dlq)
        await dlq.close()
        #expect(dead.first?.headers.first { $0.name == "error.reason" }.flatMap { $0.value.map { String(decoding: $0, as: UTF8.self) } }?
            .contains("not well-formed XML") == true)

        let text = export.text()
        for line in [#"lubehub_adapter_messages_in_total{adapter="erp"} 6"#, #"lubehub_adapter_messages_out_total{adapter="erp"} 4"#,
                     #"lubehub_adapter_dead_letters_total{adapter="erp"} 1"#, #"lubehub_adapter_skipped_total{adapter="erp"} 1"#,
                     #"lubehub_adapter_lag_messages{adapter="erp",topic="\#(topics.orderEvents)",partition="0"} 0"#] {
            #expect(text.contains(line), "\(line) in:\n\(text)")
        }
        #expect(text.contains(#"lubehub_adapter_transactions_total{adapter="erp",result="committed"}"#))
        #expect(text.contains(#"lubehub_adapter_transaction_seconds_count{adapter="erp"}"#))
    }
}
