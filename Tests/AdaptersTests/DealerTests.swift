import Adapters
import WireFormats
import Foundation
import HubContracts
import Kafka
import Testing

@Suite("dealer-systems adapter")
struct DealerTests {
    static let catalogue = JT808Tests.catalogue
    let mapping = DealerMapping(catalogue: DealerTests.catalogue)

    func map(_ topic: String, _ value: [UInt8], headers: [KafkaHeader] = [], timestamp: Int64? = nil) -> MappingResult {
        mapping.map(RawRecord(topic: topic, partition: 0, offset: 9, value: value, headers: headers, timestampMilliseconds: timestamp))
    }

    func example(_ topic: String, _ index: Int) -> [UInt8] { Self.catalogue[topic]!.examples[index].bytes }

    func decoded(_ events: [MappedEvent]) throws -> [CanonicalEvent] {
        for event in events {
            #expect(Self.catalogue.validate(topic: event.topic, value: event.value) == .valid, "\(String(decoding: event.value, as: UTF8.self))")
        }
        return try events.map { try CanonicalEvent.decode($0.value) }
    }

    @Test("stock snapshots: JSON lines (negative stock kept as reported) and CSV rows with the dealer and time in headers")
    func stock() throws {
        let json = try decoded(map(DealerMapping.stockTopic, example(DealerMapping.stockTopic, 0)).events)
        let snapshots = json.compactMap { $0.data.payload(as: DealerStockSnapshot.self) }
        #expect(snapshots.map(\.materialId) == ["M-SN5W30-4L", "M-IND-46-200L"] && snapshots[0].asOf.text == "2026-11-29T00:00:00Z")
        #expect(json.map(\.subject) == ["D100042:M-SN5W30-4L", "D100042:M-IND-46-200L"])
        let negative = try decoded(map(DealerMapping.stockTopic, example(DealerMapping.stockTopic, 1)).events)
        #expect((negative.first?.data.payload(as: DealerStockSnapshot.self))?.onHand == DecimalNumber("-2"))

        let csv = map(DealerMapping.stockTopic, Array("material_id,on_hand\nM1,12\nM2,twelve\nM3,-1\n".utf8),
                      headers: [KafkaHeader(name: "content-type", string: "text/csv"), KafkaHeader(name: "dealer.id", string: "D7"),
                                KafkaHeader(name: "as-of", string: "2026-11-29 08:00:00")])
        #expect(try decoded(csv.events).compactMap { ($0.data.payload(as: DealerStockSnapshot.self))?.materialId } == ["M1", "M3"])
        #expect(csv.rejections.map(\.reason) == ["row 3: material_id and a decimal on_hand are required"])
        #expect(csv.rejections.first?.payload == Array("M2,twelve".utf8))
        #expect(map(DealerMapping.stockTopic, Array("material_id,on_hand\n".utf8), headers: [KafkaHeader(name: "content-type", string: "text/csv")])
            .rejections.first?.reason.contains("dealer.id and as-of") == true)
    }

    @Test("sell-through: JSON records with region and customer, and the same as CSV")
    func sellThrough() throws {
        let records = try decoded(map(DealerMapping.sellThroughTopic, example(DealerMapping.sellThroughTopic, 0)).events).compactMap { $0.data.payload(as: SellThroughRecorded.self) }
        #expect(records.first?.customer.kind == .tier2 && records.first?.customer.region.city == "苏州" && records.first?.unitPrice == DecimalNumber("182.00"))
        let anonymous = try decoded(map(DealerMapping.sellThroughTopic, example(DealerMapping.sellThroughTopic, 1)).events).compactMap { $0.data.payload(as: SellThroughRecorded.self) }
        #expect(anonymous.first?.customer.id == nil && anonymous.first?.soldAt.text == "2026-11-29T02:20:00Z")
        let csv = map(DealerMapping.sellThroughTopic, Array((DealerMapping.sellThroughHeader.joined(separator: ",")
            + "\nR1,M1,3,2026-11-29 10:00:00,end-customer,,上海,,\nR2,M1,3,2026-11-29 10:00:00,alien,,上海,,\n").utf8),
                      headers: [KafkaHeader(name: "content-type", string: "text/csv"), KafkaHeader(name: "dealer.id", string: "D100042")])
        #expect(try decoded(csv.events).count == 1)
        #expect(csv.rejections.first?.reason.hasPrefix("row 3: customer kind alien") == true)
    }

    @Test("tier-2 orders: lines numbered, the submit time from the dealer's system or else the message's timestamp; schema errors named")
    func tier2() throws {
        let order = try #require(try decoded(map(DealerMapping.tier2Topic, example(DealerMapping.tier2Topic, 0)).events).first)
        let data = try #require(order.data.payload(as: Tier2OrderSubmitted.self))
        #expect(order.subject == "T2-DS-000018" && data.supplierDealerId == "D100042" && data.lines.map(\.lineNo) == [1] && order.occurredAt.text == "2026-11-29T02:15:00Z")
        let untimed = map(DealerMapping.tier2Topic, example(DealerMapping.tier2Topic, 1), timestamp: 1_795_910_400_000)
        #expect(try decoded(untimed.events).first?.occurredAt == Timestamp(Date(timeIntervalSince1970: 1_795_910_400)))
        #expect(map(DealerMapping.tier2Topic, Array(#"{"orderId":"T","dealerId":"D","lines":[]}"#.utf8)).rejections.first?.reason.contains("supplierDealerId") == true)
    }
}
