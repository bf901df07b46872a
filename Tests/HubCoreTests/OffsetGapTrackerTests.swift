@testable import HubCore
import HubStore
import Kafka
import Testing

@Suite("the offsets a consumer was not handed")
struct OffsetGapTrackerTests {
    let zero = KafkaTopicPartition(topic: "hub.orders.events", partition: 0)
    let one = KafkaTopicPartition(topic: "hub.orders.events", partition: 1)

    func messages(_ partition: KafkaTopicPartition, _ offsets: Int64...) -> [KafkaConsumerMessage] {
        offsets.map { KafkaConsumerMessage(topic: partition.topic, partition: partition.partition, offset: $0, key: nil, value: nil) }
    }

    func ranges(_ gaps: [OffsetGap]) -> [String] { gaps.map { "\($0.partition):\($0.from)..<\($0.to)" } }

    @Test("from a stored start: the offsets before the first message and between messages, per partition, across batches")
    func gapsFromAStart() {
        var tracker = OffsetGapTracker()
        tracker.started([zero, one], at: [zero: KafkaOffset(10), one: KafkaOffset(0)])
        let first = tracker.gaps(before: messages(zero, 10, 11, 13) + messages(one, 2, 3) + messages(zero, 17), seenAtMilliseconds: 5)
        #expect(ranges(first) == ["0:12..<13", "1:0..<2", "0:14..<17"])
        #expect(first.allSatisfy { $0.seenAtMilliseconds == 5 && $0.topic == "hub.orders.events" })
        // The next batch goes on where the last one ended.
        #expect(ranges(tracker.gaps(before: messages(zero, 18, 20) + messages(one, 4), seenAtMilliseconds: 6)) == ["0:19..<20"])
    }

    @Test("no start (the group's committed offset, the beginning): followed from its first message")
    func logicalStarts() {
        var tracker = OffsetGapTracker()
        tracker.started([zero, one], at: [zero: .beginning])
        #expect(tracker.gaps(before: messages(zero, 40, 41) + messages(one, 7), seenAtMilliseconds: 1).isEmpty)
        #expect(ranges(tracker.gaps(before: messages(zero, 43) + messages(one, 9), seenAtMilliseconds: 1)) == ["0:42..<43", "1:8..<9"])
    }

    @Test("a partition taken away and given back starts over from its new start; one read again after a seek back leaves no gap")
    func reassignedAndRewound() {
        var tracker = OffsetGapTracker()
        tracker.started([zero], at: [zero: KafkaOffset(0)])
        _ = tracker.gaps(before: messages(zero, 0, 1, 2), seenAtMilliseconds: 1)
        tracker.stopped([zero])
        #expect(tracker.gaps(before: messages(zero, 9), seenAtMilliseconds: 1).isEmpty, "not followed while not assigned")
        tracker.started([zero], at: [zero: KafkaOffset(20)])
        #expect(ranges(tracker.gaps(before: messages(zero, 22), seenAtMilliseconds: 1)) == ["0:20..<22"])
        #expect(tracker.gaps(before: messages(zero, 21, 22, 23), seenAtMilliseconds: 1).isEmpty)
    }

    @Test("the gap holding an offset, found among sorted gaps: starts are in, ends are out")
    func gapHoldingAnOffset() {
        let gaps = [(2, 5), (6, 7), (10, 20)].map { OffsetGap(topic: "t", partition: 0, from: $0.0, to: $0.1, seenAtMilliseconds: 0) }
        let holding = (0...21).map { offset in OffsetGapReader.gap(in: gaps, containing: Int64(offset)).map { "\($0.from)" } ?? "-" }
        #expect(holding == ["-", "-", "2", "2", "2", "-", "6", "-", "-", "-"] + Array(repeating: "10", count: 10) + ["-", "-"])
        #expect(OffsetGapReader.gap(in: [], containing: 3) == nil)
    }
}
