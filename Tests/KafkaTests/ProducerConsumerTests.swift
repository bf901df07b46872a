import Foundation
import Kafka
import KafkaTestSupport
import Testing

@Suite("producer and consumer against the real broker")
struct ProducerConsumerTests {
    @Test("key, headers, binary values, empty values and tombstones round-trip unchanged")
    func roundTrip() async throws {
        let topic = try await TestBroker.createTopic("roundtrip")
        let allBytes = (0...255).map { UInt8($0) }
        let sent: [KafkaProducerMessage] = [
            KafkaProducerMessage(topic: topic, key: "order-1", value: "{\"status\":\"accepted\"}", headers: [
                KafkaHeader(name: "traceparent", string: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
                KafkaHeader(name: "empty", value: []),
                KafkaHeader(name: "absent", value: nil),
                KafkaHeader(name: "binary", value: allBytes),
            ]),
            KafkaProducerMessage(topic: topic, key: [0, 1, 2, 0xff], value: allBytes),
            KafkaProducerMessage(topic: topic, key: "deleted-order".bytes, value: nil),
            KafkaProducerMessage(topic: topic, key: nil as [UInt8]?, value: []),
            KafkaProducerMessage(topic: topic, partition: 2, key: "订单-上海", value: "润滑油 4L"),
        ]
        let producer = try TestBroker.producer()
        var reports: [KafkaDeliveryReport] = []
        for message in sent { reports.append(try await producer.send(message)) }
        try await producer.shutdown()
        #expect(reports[4].partition == 2)

        let consumer = try TestBroker.consumer(topics: [topic])
        let received = try await TestBroker.collect(sent.count, from: consumer)
        await consumer.close()
        #expect(received.count == sent.count)
        for (message, report) in zip(sent, reports) {
            let match = try #require(received.first { $0.partition == report.partition && $0.offset == report.offset })
            #expect(match.topic == topic)
            #expect(match.key == message.key)
            #expect(match.value == message.value)
            #expect(match.headers == message.headers)
            #expect(match.timestampMilliseconds != nil)
        }
    }

    @Test("per-key order holds across 3 partitions for 10,000 messages")
    func perKeyOrder() async throws {
        let topic = try await TestBroker.createTopic("order", partitions: 3)
        let producer = try TestBroker.producer()
        let keys = (0..<25).map { "dealer-\($0)" }
        let total = 10_000
        for sequence in 0..<total {
            let key = keys[sequence % keys.count]
            try await producer.enqueue(KafkaProducerMessage(topic: topic, key: key, value: "\(key):\(sequence)"))
        }
        try await producer.shutdown()
        #expect(producer.counters.delivered == total)
        #expect(producer.counters.failed == 0)

        let consumer = try TestBroker.consumer(topics: [topic])
        let received = try await TestBroker.collect(total, from: consumer)
        await consumer.close()
        #expect(received.count == total)
        var lastSequence: [String: Int] = [:]
        var partitionOfKey: [String: Int32] = [:]
        var outOfOrder = 0
        for message in received {
            let key = try #require(message.keyString)
            let sequence = try #require(message.valueString?.split(separator: ":").last.flatMap { Int($0) })
            if let last = lastSequence[key], last >= sequence { outOfOrder += 1 }
            lastSequence[key] = sequence
            if let partition = partitionOfKey[key] { #expect(partition == message.partition) }
            partitionOfKey[key] = message.partition
        }
        #expect(outOfOrder == 0)
        #expect(Set(partitionOfKey.values).count == 3, "25 keys should spread over all 3 partitions")
        #expect(Set(received.map(\.valueString)).count == total, "no message twice")
    }

    @Test("delivery reports carry the offsets the messages really have")
    func deliveryReportOffsets() async throws {
        let topic = try await TestBroker.createTopic("offsets", partitions: 3)
        let producer = try TestBroker.producer(collectsDeliveryReports: true)
        let count = 300
        let reader = Task {
            var reports: [String: KafkaDeliveryReport] = [:]
            for await report in producer.deliveryReports {
                reports[String(decoding: report.key ?? [], as: UTF8.self)] = report
                if reports.count == count { break }
            }
            return reports
        }
        for index in 0..<count {
            try await producer.enqueue(KafkaProducerMessage(topic: topic, key: "k\(index)", value: "v\(index)"))
        }
        let reports = try await withDeadline(.seconds(30), "delivery reports") { await reader.value }
        try await producer.shutdown()
        #expect(reports.count == count)
        #expect(reports.values.allSatisfy { $0.succeeded && $0.offset != nil && $0.topic == topic })

        let consumer = try TestBroker.consumer(topics: [topic])
        let received = try await TestBroker.collect(count, from: consumer)
        await consumer.close()
        for message in received {
            let report = try #require(reports[message.keyString ?? ""])
            #expect(report.partition == message.partition)
            #expect(report.offset == message.offset)
            #expect(message.valueString == "v" + (message.keyString ?? "").dropFirst())
        }
    }

    @Test("sending to a partition that does not exist fails with a typed error")
    func unknownPartition() async throws {
        let topic = try await TestBroker.createTopic("nopartition", partitions: 1)
        let producer = try TestBroker.producer(properties: ["message.timeout.ms": "5000"])
        await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaProducerMessage(topic: topic, partition: 7, key: "k", value: "v"))
        }
        try await producer.shutdown()
    }

    @Test("sending after shutdown fails with .closed instead of hanging")
    func sendAfterShutdown() async throws {
        let topic = try await TestBroker.createTopic("closed", partitions: 1)
        let producer = try TestBroker.producer()
        try await producer.send(KafkaProducerMessage(topic: topic, key: "k", value: "v"))
        try await producer.shutdown()
        await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaProducerMessage(topic: topic, key: "k", value: "v"))
        }
    }
}

@Suite("producer backpressure")
struct BackpressureTests {
    @Test("a full local queue makes sending wait, not fail: 5,000 messages through a 50-message queue")
    func fullQueueWaits() async throws {
        let topic = try await TestBroker.createTopic("backpressure", partitions: 2)
        let producer = try TestBroker.producer(properties: ["queue.buffering.max.messages": "50"])
        let total = 5_000
        for index in 0..<total { try await producer.enqueue(KafkaProducerMessage(topic: topic, key: "k\(index % 9)", value: "\(index)")) }
        // Awaited sends take the same path when the queue is full.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask { try await producer.send(KafkaProducerMessage(topic: topic, key: "s", value: "s\(index)")) }
            }
            try await group.waitForAll()
        }
        try await producer.shutdown()
        #expect(producer.counters.delivered == total + 200)
        #expect(producer.counters.failed == 0)
        #expect(producer.counters.queueFullWaits > 0, "the queue did fill up and sending waited")
    }
}
