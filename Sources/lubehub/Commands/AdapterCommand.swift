import Adapters
import ArgumentParser
import Foundation
import HubCommandLine
import HubContracts
import HubServer
import Kafka
import Logging
import WireFormats

/// `lubehub adapter NAME`: runs one adapter's workers until SIGINT/SIGTERM.
struct AdapterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adapter",
        abstract: "Run one adapter until SIGINT/SIGTERM: carrier (JSON shipment events and JT/T 808 frames), erp (SAP IDoc-XML both ways: master data, prices, stock, confirmations, deliveries in; orders out), abs (quick-lube service records, JSON and CSV), dealer (dealers' stock, sell-through and tier-2 orders) or anticounterfeit (scans; counterfeit and cross-region flags)."
    )

    @Argument(help: "The adapter: carrier, erp, abs, dealer or anticounterfeit.") var name: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var catalogueOptions: CatalogueOptions
    @Option(help: "This worker's instance name (its transactional id); each running instance needs its own.") var instance = "0"
    @Option(help: "Carrier topics, as NAME=TOPIC pairs (events, jt808, vehicles, shipments, positions, deadLetters), comma-separated.")
    var topics: String?
    @Option(help: "Put before every topic the adapter reads and writes (several hubs on one cluster, or a test's own topics).")
    var topicPrefix = ""

    func run() async throws {
        try LogSetup.bootstrap()
        let logger = Logger(label: "lubehub.adapter.\(name)")
        guard HubAdapters.names.contains(name) else { throw ValidationError("no adapter \(name); the adapters: \(HubAdapters.names.joined(separator: ", "))") }
        var configuration = HubConfiguration()
        configuration.kafka.bootstrap = connection.bootstrapServers
        let servers = connection.bootstrapServers
        var assembly = HubAssembly(configuration: configuration, catalogue: try catalogueOptions.load(), client: { KafkaClientConfiguration(bootstrapServers: servers, clientID: $0) })
        assembly.adapterOptions.instance = instance
        assembly.adapterOptions.carrierTopics = try Self.carrierTopics(topics)
        assembly.adapterOptions.topicPrefix = topicPrefix
        try await assembly.run([.adapter(name)], logger: logger)
    }

    static func carrierTopics(_ text: String?) throws -> CarrierTopics {
        var topics = CarrierTopics()
        for pair in (text ?? "").split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { throw ValidationError("--topics takes NAME=TOPIC pairs, got \(pair)") }
            switch parts[0] {
            case "events": topics.events = parts[1]
            case "jt808": topics.jt808 = parts[1]
            case "vehicles": topics.vehicles = parts[1]
            case "shipments": topics.shipments = parts[1]
            case "positions": topics.positions = parts[1]
            case "deadLetters": topics.deadLetters = parts[1]
            default: throw ValidationError("unknown carrier topic \(parts[0]) (events, jt808, vehicles, shipments, positions, deadLetters)")
            }
        }
        return topics
    }
}

/// `lubehub decode jt808 HEX…`: what a support engineer runs on a carrier's captured frames.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode", abstract: "Decode captured native messages offline.", subcommands: [DecodeJT808Command.self, DecodeIDocCommand.self]
    )
}

struct DecodeJT808Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jt808",
        abstract: "Print the canonical positions of JT/T 808 frames (hex, spaces allowed) as JSON lines; a bad frame prints why."
    )

    @Argument(help: "Frames as hex (7e…7e); - reads one per line from standard input.") var frames: [String]
    @Option(help: "The vehicle id to put in the positions (default: T + the terminal number).") var vehicle: String?

    func run() throws {
        var inputs = frames
        if inputs == ["-"] { inputs = (readLine(strippingNewline: true).map { [$0] } ?? []) + Array(sequence(state: ()) { _ in readLine() }) }
        var failures = 0
        for (index, text) in inputs.enumerated() {
            let hex = text.filter { !$0.isWhitespace }
            guard hex.count % 2 == 0, let bytes = Self.bytes(hex) else {
                print("{\"frame\":\(index + 1),\"error\":\"not hex\"}")
                failures += 1
                continue
            }
            let terminal = (try? JT808Frame.decode(bytes))?.terminal ?? ""
            let mapping = JT808Mapping(registry: TerminalRegistry([terminal: vehicle ?? "T\(terminal)"]))
            let result = mapping.map(RawRecord(topic: "capture", partition: 0, offset: Int64(index), value: bytes))
            for event in result.events { print(String(decoding: event.value, as: UTF8.self)) }
            for rejection in result.rejections {
                print("{\"frame\":\(index + 1),\"error\":\(Self.quoted(rejection.reason))}")
                failures += 1
            }
            if let skipped = result.skipped { print("{\"frame\":\(index + 1),\"skipped\":\(Self.quoted(skipped))}") }
        }
        if failures > 0 { throw ExitCode.failure }
    }

    static func bytes(_ hex: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var iterator = hex.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let byte = UInt8(String([high, low]), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    static func quoted(_ text: String) -> String {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }
}

struct DecodeIDocCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idoc",
        abstract: "Print the canonical events an IDoc-XML document maps to as JSON lines, or why it is refused."
    )

    @Argument(help: "The document, or - for standard input.") var file: String = "-"
    @OptionGroup var catalogueOptions: CatalogueOptions

    func run() throws {
        let bytes = try readInput(file)
        // As the adapter runs it: every event checked against the catalogue.
        let mapping = CheckedMapping(ErpMapping(), catalogue: try catalogueOptions.load())
        let result = mapping.map(RawRecord(topic: "capture", partition: 0, offset: 0, value: bytes))
        for event in result.events { print(String(decoding: event.value, as: UTF8.self)) }
        for rejection in result.rejections { print("{\"error\":\(DecodeJT808Command.quoted(rejection.reason))}") }
        if !result.rejections.isEmpty { throw ExitCode.failure }
    }
}
