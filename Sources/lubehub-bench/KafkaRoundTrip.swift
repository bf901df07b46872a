import ArgumentParser
import Foundation
import Kafka

/// The floor under anything the hub does through Kafka: a bare produce → consume round trip on the
/// same broker, measured in the same run as the bench it is the baseline of.
enum KafkaRoundTrip {
    /// Produce → consume latency of small messages at `rate`, the way the hub's clients are set up.
    static func measure(client: KafkaClientConfiguration, rate: Double, seconds: Int) async throws -> LatencyRecorder {
        let topic = "bench.roundtrip.\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try KafkaAdmin(configuration: client)
        if case .failed(let reason)? = try await admin.createTopics([KafkaNewTopic(name: topic, partitions: 6)])[topic] {
            throw ValidationError("could not create \(topic): \(reason)")
        }
        let recorder = LatencyRecorder()
        let consumer = try KafkaConsumer(configuration: .init(client: client.named("lubehub-bench-roundtrip"), groupID: "bench-roundtrip-\(topic)", topics: [topic],
                                                              sessionTimeout: .seconds(6), autoOffsetReset: .earliest, isolationLevel: .readCommitted,
                                                              fetchWaitMax: .milliseconds(10)))
        let producer = try KafkaProducer(configuration: .init(client: client.named("lubehub-bench-roundtrip")))
        let origin = ContinuousClock.now
        let total = Int(rate) * seconds
        let reader = Task {
            var seen = 0
            while seen < total, let batch = try await consumer.nextBatch() {
                let now = ContinuousClock.now
                for message in batch {
                    guard let nanos = message.value.flatMap({ Int64(String(decoding: $0, as: UTF8.self)) }) else { continue }
                    recorder.record(now - (origin + .nanoseconds(nanos)))
                    seen += 1
                }
            }
        }
        // The consumer has joined (and reads) before the clock starts: one warm-up message.
        func stamp() -> [UInt8] { Array(String(Int64(((ContinuousClock.now - origin) / .nanoseconds(1)).rounded())).utf8) }
        _ = try await producer.send(KafkaProducerMessage(topic: topic, key: nil, value: stamp()))
        while recorder.count == 0 { try await Task.sleep(for: .milliseconds(20)) }
        let interval = Duration.seconds(1 / rate)
        var next = ContinuousClock.now
        for index in 0..<(total - 1) {
            try await Task.sleep(until: next)
            next += interval
            try await producer.enqueue(KafkaProducerMessage(topic: topic, key: Array(String(index).utf8), value: stamp()))
        }
        try await producer.flush()
        _ = try await reader.value
        await consumer.close()
        try await producer.shutdown()
        return recorder
    }
}
