import Foundation
import HubContracts
import HubMessaging
import Kafka
import KafkaTestSupport

/// What an adapter committed, read back the way a downstream consumer reads it (read_committed),
/// for the kill tests.
enum CommittedOutputs {
    /// The event ids on `topics` (header `event.id`), read until every one of `expected` is there
    /// (or the deadline passes), and the ids seen with two different values.
    static func eventIds(on topics: [String], expected: Set<String>, timeout: Duration = .seconds(120)) async throws -> (ids: Set<String>, conflicts: [String]) {
        let reader = try TestBroker.consumer(topics: topics, isolation: .readCommitted, maxBatchSize: 5000)
        return try await closing(reader, try await withDeadline(timeout, "every expected output on \(topics.joined(separator: ", "))") {
            var values: [String: [UInt8]] = [:]
            var conflicts: [String] = []
            for try await batch in reader.batches {
                for message in batch {
                    guard let id = message.headers.first(where: { $0.name == "event.id" })?.value.map({ String(decoding: $0, as: UTF8.self) }) else { continue }
                    if let earlier = values[id], earlier != message.value { conflicts.append(id) }
                    values[id] = message.value
                }
                if Set(values.keys).isSuperset(of: expected) { break }
            }
            return (Set(values.keys), conflicts)
        })
    }

    /// The inputs (`topic:partition:offset`) dead-lettered on `topic`, read until every one of
    /// `expected` is there (or the deadline passes).
    static func deadLetteredInputs(on topic: String, expected: Set<String>, timeout: Duration = .seconds(60)) async throws -> Set<String> {
        let letters = try TestBroker.consumer(topics: [topic], isolation: .readCommitted)
        return try await closing(letters, try await withDeadline(timeout, "every refused input dead-lettered on \(topic)") {
            var origins = Set<String>()
            for try await batch in letters.batches {
                for record in batch.compactMap({ DeadLetter.record(of: $0.headers) }) { origins.insert("\(record.sourceTopic):\(record.sourcePartition):\(record.sourceOffset)") }
                if origins.isSuperset(of: expected) { break }
            }
            return origins
        })
    }

    /// `work`'s result once `consumer` is closed, whether `work` succeeded or not.
    private static func closing<T>(_ consumer: KafkaConsumer, _ work: @autoclosure () async throws -> T) async throws -> T {
        do {
            let result = try await work()
            await consumer.close()
            return result
        } catch {
            await consumer.close()
            throw error
        }
    }
}
