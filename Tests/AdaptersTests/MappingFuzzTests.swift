import Adapters
import Foundation
import HubContracts
import KafkaTestSupport
import Testing

/// Every adapter's mapping, fed thousands of random mutations of the catalogue's examples of its
/// inputs (fixed seeds): it never crashes or hangs, accounts for every input (events, dead letters
/// or a reason to skip it), and whatever canonical event it emits is valid on its topic — no input,
/// however broken, gets an invalid event past an adapter.
@Suite("fuzz: every mapping, mutated inputs")
struct MappingFuzzTests {
    static var cases: [String] { GoldenTests.cases }

    @Test("mutations of each example: no crash, every input accounted for, every event valid", arguments: cases)
    func mutations(_ name: String) throws {
        let (topic, _, example, mapping) = try GoldenTests.example(name)
        var random = FixedSeedRandom(seed: UInt64(truncatingIfNeeded: name.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }))
        var pending = PendingInputs()
        let interesting: [UInt8] = Array("\"{}[],:0123456789-.<>/ \\\n7e7d".utf8) + [0x7E, 0x7D, 0x00, 0xFF, 0xE4, 0xB8]
        for round in 0..<600 {
            var bytes = example.bytes
            for _ in 0..<(1 + random.next(4)) where !bytes.isEmpty {
                let at = random.next(bytes.count)
                switch random.next(5) {
                case 0: bytes[at] = UInt8(random.next(256))
                case 1: bytes.remove(at: at)
                case 2: bytes.insert(interesting[random.next(interesting.count)], at: at)
                case 3: bytes = Array(bytes.prefix(at))
                default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 1 + random.next(16))], at: at)
                }
            }
            let record = RawRecord(topic: topic, partition: 0, offset: Int64(round), key: example.key.map { Array($0.utf8) }, value: bytes,
                                   timestampMilliseconds: 1_796_000_000_000 + Int64(round) * 1000)
            let result = mapping.map(record, pending: &pending)
            #expect(!result.events.isEmpty || !result.rejections.isEmpty || result.skipped != nil, "\(name) round \(round): the input vanished")
            for event in result.events where event.topic.hasPrefix("hub.") {
                let verdict = GoldenTests.catalogue.validate(topic: event.topic, value: event.value)
                #expect(verdict == .valid, "\(name) round \(round): \(verdict)\n\(String(decoding: event.value, as: UTF8.self))")
            }
        }
    }
}
