import Adapters
import ArgumentParser
import HubCommandLine
import Foundation
import WireFormats
import HubContracts
import Kafka

/// The carrier adapter turning JT/T 808 location frames into canonical positions, transactionally
/// (outputs and offsets in one Kafka transaction per batch), vs. our consumer reading the same
/// topic without processing (the ceiling), in the same run.
struct BenchAdapterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adapter",
        abstract: "The carrier adapter (JT/T 808 frames -> canonical positions, transactional) vs. a plain consumer of the same topic."
    )

    @Argument(help: "The adapter: carrier.") var name = "carrier"
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "JT/T 808 location frames to publish and map.") var messages = 300_000
    @Option(help: "Distinct terminals.") var terminals = 2_000
    @Option(help: "Partitions of the benchmark topics.") var partitions: Int32 = 6
    @Option(help: "Messages per transaction (the worker's batch size).") var batchSize = 10_000
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func run() async throws {
        guard name == "carrier" else { throw ValidationError("only the carrier adapter has a benchmark so far") }
        let runID = UUID().uuidString.prefix(8).lowercased()
        var topics = CarrierTopics()
        topics.jt808 = "bench.jt808.\(runID)"
        topics.positions = "bench.positions.\(runID)"
        topics.deadLetters = "bench.carrier-dlq.\(runID)"
        let admin = try KafkaAdmin(configuration: connection.client(clientID: "lubehub-bench-admin"))
        for topic in [topics.jt808, topics.positions, topics.deadLetters] {
            if case .failed(let reason)? = try await admin.createTopics([KafkaNewTopic(name: topic, partitions: partitions)])[topic] {
                throw ValidationError("could not create \(topic): \(reason)")
            }
        }
        let registry = TerminalRegistry()
        let numbers = (0..<terminals).map { String(format: "0139%08d", $0) }
        for (index, terminal) in numbers.enumerated() { registry.register(terminal: terminal, vehicle: "V-\(index)") }
        progress("publishing \(messages) JT/T 808 location frames from \(terminals) terminals to \(topics.jt808)")
        let frames = try await publish(topic: topics.jt808, terminals: numbers)

        // Where the time goes: the mapping alone (decode, look up, encode), in this process, no Kafka.
        let mapping = JT808Mapping(registry: registry, topics: topics)
        let mapStart = ContinuousClock.now
        var mapped = 0
        for (index, frame) in frames.enumerated() {
            mapped += mapping.map(RawRecord(topic: topics.jt808, partition: 0, offset: Int64(index), value: frame)).events.count
        }
        let mappingRate = Double(mapped) / (ContinuousClock.now - mapStart).seconds
        progress("mapping alone: \(Int(mappingRate)) msg/s")

        // The adapter's own output produced alone, in the worker's transactions and without them:
        // what writing it costs here.
        let outputs = frames.enumerated().flatMap { index, frame in
            mapping.map(RawRecord(topic: topics.jt808, partition: 0, offset: Int64(index), value: frame)).events
        }
        let producerOnly = try await producerRate(outputs, topic: "bench.positions-only.\(runID)", admin: admin, transactionalID: "lubehub-bench-\(runID)")
        progress("transactional producer alone: \(Int(producerOnly)) msg/s")
        let idempotentOnly = try await producerRate(outputs, topic: "bench.positions-idempotent.\(runID)", admin: admin, transactionalID: nil)
        progress("idempotent producer alone (no transactions): \(Int(idempotentOnly)) msg/s")

        let ceiling = try await plainConsumerRate(client: connection.client(clientID: "lubehub-bench-plain"), topic: topics.jt808,
                                                  group: "bench-plain-\(runID)", messages: messages, maxBatchSize: batchSize, isolation: .readCommitted)
        progress("plain consumer: \(Int(ceiling)) msg/s")

        var client = connection.client(clientID: "lubehub-bench-adapter")
        client.properties = ["queued.min.messages": "1000000"]  // a consumer property; the worker's producer ignores it with a warning
        let worker = AdapterWorker(mapping: JT808Mapping(registry: registry, topics: topics),
                                   configuration: .init(client: client, instance: runID, maxBatchSize: batchSize))
        let target = messages
        let clock = FirstBatchClock()
        let counters = try await worker.run { counters in
            clock.mark(applied: counters.received)
            return counters.received >= target
        }
        guard counters.produced == messages, counters.deadLettered == 0 else {
            throw ValidationError("the adapter produced \(counters.produced) positions and \(counters.deadLettered) dead letters for \(messages) frames")
        }
        let adapter = clock.rate(applied: counters.received)
        progress("carrier adapter: \(Int(adapter)) msg/s in \(counters.transactions) transactions")
        progress("adapter time: mapping \(counters.mapping), handing to the producer \(counters.producing), committing \(counters.committing)")

        var report = BenchReport(bench: "adapter-carrier")
        report.config = [("messages", String(messages)), ("terminals", String(terminals)), ("partitions", String(partitions)),
                         ("batch_size", String(batchSize)), ("broker", connection.bootstrapServers.joined(separator: ","))]
        report.results = [
            ("carrier_adapter", .init(value: adapter.rounded(), unit: "msg/s")),
            ("hub_consumer", .init(value: ceiling.rounded(), unit: "msg/s")),
            ("mapping_only", .init(value: mappingRate.rounded(), unit: "msg/s")),
            ("transactional_producer_only", .init(value: producerOnly.rounded(), unit: "msg/s")),
            ("idempotent_producer_only", .init(value: idempotentOnly.rounded(), unit: "msg/s")),
            // Consuming the frames and producing the positions one after the other with nothing in
            // between: the best any adapter could do on this machine, mapping for free.
            ("consume_then_produce_bound", .init(value: (1 / (1 / ceiling + 1 / producerOnly)).rounded(), unit: "msg/s")),
        ]
        report.ratio("carrier_adapter", "hub_consumer")
        report.ratio("consume_then_produce_bound", "hub_consumer")
        report.ratio("carrier_adapter", "consume_then_produce_bound")
        print(json ? report.json : report.table)
    }

    /// Produces `events` as the worker does (in transactions of `batchSize` when `transactionalID`
    /// is set, else flushed at the end), without consuming or mapping.
    private func producerRate(_ events: [MappedEvent], topic: String, admin: KafkaAdmin, transactionalID: String?) async throws -> Double {
        if case .failed(let reason)? = try await admin.createTopics([KafkaNewTopic(name: topic, partitions: partitions)])[topic] {
            throw ValidationError("could not create \(topic): \(reason)")
        }
        let producer = try KafkaProducer(configuration: .init(client: connection.client(clientID: "lubehub-bench-producer-only"), linger: .milliseconds(5),
                                                              transactionalID: transactionalID))
        if transactionalID != nil { try await producer.initTransactions() }
        let start = ContinuousClock.now
        for first in stride(from: 0, to: events.count, by: batchSize) {
            if transactionalID != nil { try producer.beginTransaction() }
            for event in events[first..<min(first + batchSize, events.count)] {
                try await producer.enqueue(KafkaProducerMessage(topic: topic, key: Array(event.key.utf8), value: event.value,
                                                                headers: [KafkaHeader(name: "event.id", string: event.id)]))
            }
            if transactionalID != nil { try await producer.commitTransaction() }
        }
        try await producer.flush()
        let rate = Double(events.count) / (ContinuousClock.now - start).seconds
        try await producer.shutdown()
        return rate
    }

    /// One location report per message, each terminal driving a straight line.
    private func publish(topic: String, terminals: [String]) async throws -> [[UInt8]] {
        var frames: [[UInt8]] = []
        frames.reserveCapacity(messages)
        let producer = try KafkaProducer(configuration: .init(client: connection.client(clientID: "lubehub-bench-publisher"), linger: .milliseconds(5)))
        for index in 0..<messages {
            let terminal = terminals[index % terminals.count]
            let step = index / terminals.count
            func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
            let seconds = step * 15
            let time: [UInt8] = [0x26, 0x12, 0x03, UInt8((seconds / 3600 % 24) / 10 << 4 | (seconds / 3600 % 24) % 10),
                                 UInt8((seconds / 60 % 60) / 10 << 4 | (seconds / 60 % 60) % 10), UInt8((seconds % 60) / 10 << 4 | (seconds % 60) % 10)]
            let body = be32(0) + be32(0x03) + be32(31_000_000 + UInt32(step * 50)) + be32(121_000_000 + UInt32(index % terminals.count))
                + [0, 12, 0x03, 0x39, 0, 90] + time
            let frame = JT808Frame(messageId: 0x0200, protocolVersion: nil, terminal: terminal, serial: UInt16(truncatingIfNeeded: step), body: body)
            let bytes = frame.encoded()
            frames.append(bytes)
            try await producer.enqueue(KafkaProducerMessage(topic: topic, key: Array(terminal.utf8), value: bytes))
        }
        try await producer.shutdown(flushTimeout: .seconds(300))
        guard producer.counters.failed == 0 else { throw ValidationError("\(producer.counters.failed) frames were not delivered") }
        return frames
    }

    private func progress(_ text: String) {
        FileHandle.standardError.write(Data("[bench adapter] \(text)\n".utf8))
    }
}
