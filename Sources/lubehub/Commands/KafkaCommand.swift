import ArgumentParser
import HubCommandLine
import Foundation
import Kafka

struct KafkaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka", abstract: "Produce and consume raw messages.",
        subcommands: [KafkaProduceCommand.self, KafkaConsumeCommand.self]
    )
}

struct KafkaProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Send each line of standard input as one message and wait for the broker's acknowledgement."
    )

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Topic to send to.") var topic: String
    @Option(help: "Split each line at the first occurrence of this separator into key and value.") var keySeparator: String?

    func run() async throws {
        let producer = try KafkaProducer(configuration: .init(client: connection.client(clientID: "lubehub-produce")))
        var sent = 0
        while let line = readLine(strippingNewline: true) {
            var key: String? = nil
            var value = line
            if let separator = keySeparator, let range = line.range(of: separator) {
                key = String(line[..<range.lowerBound])
                value = String(line[range.upperBound...])
            }
            try await producer.enqueue(KafkaProducerMessage(topic: topic, key: key, value: value))
            sent += 1
        }
        try await producer.shutdown()
        let (delivered, failed, _) = producer.counters
        FileHandle.standardError.write(Data("sent \(sent), delivered \(delivered), failed \(failed)\n".utf8))
        if failed > 0 { throw ExitCode.failure }
    }
}

struct KafkaConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Print messages as `partition offset key value` lines (binary bytes are shown as \\xNN)."
    )

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Topic to read.") var topic: String
    @Option(help: "Consumer group (default: a new one for this run).") var group: String?
    @Option(help: "Stop after this many messages.") var count: Int?
    @Flag(help: "Start at the oldest message when the group has no committed offset.") var fromBeginning = false

    func run() async throws {
        let consumer = try KafkaConsumer(configuration: .init(
            client: connection.client(clientID: "lubehub-consume"),
            groupID: group ?? "lubehub-consume-\(UUID().uuidString.prefix(8))",
            topics: [topic],
            sessionTimeout: .seconds(6),
            autoOffsetReset: fromBeginning ? .earliest : .latest
        ))
        var printed = 0
        var next: [KafkaTopicPartition: Int64] = [:]
        outer: for try await batch in consumer.batches {
            for message in batch {
                print("\(message.partition) \(message.offset) \(Self.printable(message.key)) \(Self.printable(message.value))")
                next[message.topicPartition] = message.offset + 1
                printed += 1
                if let count, printed >= count { break outer }
            }
            try await consumer.commit(next, mode: .async)
        }
        try await consumer.commit(next, mode: .sync)
        await consumer.close()
    }

    /// Text as is; `-` for absent; bytes that are not printable UTF-8 as `\xNN`.
    static func printable(_ bytes: [UInt8]?) -> String {
        guard let bytes else { return "-" }
        if let text = String(validating: bytes, as: UTF8.self), !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\\" }) {
            return text
        }
        return bytes.map { $0 >= 0x20 && $0 < 0x7f && $0 != 0x5c ? String(UnicodeScalar($0)) : String(format: "\\x%02x", $0) }.joined()
    }
}
