public import Foundation
public import Kafka
import HubContracts

/// Dead-lettering, one piece of code for every adapter and the core: the original key, value and
/// headers travel unchanged, and the reason and origin are added as headers.
public enum DeadLetter {
    /// Where processing failed.
    public enum Stage: String, Sendable, CaseIterable {
        /// The bytes could not be read (not JSON, bad XML, bad check code, over a limit).
        case decode
        /// Readable, but not what the schema or the rules allow.
        case validate
        /// Valid, but could not be mapped to canonical events.
        case map
        /// The core could not apply it (e.g. an unknown reference after retrying).
        case apply
    }

    public static let reasonHeader = "error.reason"
    public static let stageHeader = "error.stage"
    public static let sourceTopicHeader = "source.topic"
    public static let sourcePartitionHeader = "source.partition"
    public static let sourceOffsetHeader = "source.offset"
    public static let failedAtHeader = "failed.at"
    /// The headers dead-lettering adds; an earlier copy of them on the original is replaced.
    public static let addedHeaders: Set<String> = [reasonHeader, stageHeader, sourceTopicHeader, sourcePartitionHeader, sourceOffsetHeader, failedAtHeader]
    /// Reasons longer than this are cut (a reason is for people, not a dump of the input).
    public static let maxReasonLength = 1000

    /// The dead letter for `original`, to be sent to `topic`.
    public static func message(
        for original: KafkaConsumerMessage, to topic: String, reason: String, stage: Stage, failedAt: Date = Date()
    ) -> KafkaProducerMessage {
        let kept = original.headers.filter { !addedHeaders.contains($0.name) }
        let reasonText = reason.count > maxReasonLength ? String(reason.prefix(maxReasonLength - 1)) + "…" : reason
        let added = [
            KafkaHeader(name: reasonHeader, string: reasonText),
            KafkaHeader(name: stageHeader, string: stage.rawValue),
            KafkaHeader(name: sourceTopicHeader, string: original.topic),
            KafkaHeader(name: sourcePartitionHeader, string: String(original.partition)),
            KafkaHeader(name: sourceOffsetHeader, string: String(original.offset)),
            KafkaHeader(name: failedAtHeader, string: Timestamp(failedAt).text),
        ]
        return KafkaProducerMessage(topic: topic, key: original.key, value: original.value, headers: kept + added)
    }

    /// The dead letter of input that never was on a topic (a gateway's frame from a socket):
    /// `source` says where it came from (in `source.topic`); partition and offset are -1.
    public static func message(
        key: [UInt8]?, value: [UInt8], headers: [KafkaHeader] = [], source: String, to topic: String, reason: String, stage: Stage, failedAt: Date = Date()
    ) -> KafkaProducerMessage {
        let reasonText = reason.count > maxReasonLength ? String(reason.prefix(maxReasonLength - 1)) + "…" : reason
        return KafkaProducerMessage(topic: topic, key: key, value: value, headers: headers + [
            KafkaHeader(name: reasonHeader, string: reasonText),
            KafkaHeader(name: stageHeader, string: stage.rawValue),
            KafkaHeader(name: sourceTopicHeader, string: source),
            KafkaHeader(name: sourcePartitionHeader, string: "-1"),
            KafkaHeader(name: sourceOffsetHeader, string: "-1"),
            KafkaHeader(name: failedAtHeader, string: Timestamp(failedAt).text),
        ])
    }

    /// What a dead letter says about itself, read back from its headers.
    public struct Record: Sendable, Equatable {
        public var reason: String
        public var stage: String
        public var sourceTopic: String
        public var sourcePartition: Int32
        public var sourceOffset: Int64
        public var failedAt: String
    }

    /// Reads the error headers of a dead letter; `nil` when any is missing.
    public static func record(of headers: [KafkaHeader]) -> Record? {
        func text(_ name: String) -> String? { headers.last { $0.name == name }?.stringValue }
        guard let reason = text(reasonHeader), let stage = text(stageHeader), let topic = text(sourceTopicHeader),
              let partition = text(sourcePartitionHeader).flatMap({ Int32($0) }), let offset = text(sourceOffsetHeader).flatMap({ Int64($0) }),
              let failedAt = text(failedAtHeader) else { return nil }
        return Record(reason: reason, stage: stage, sourceTopic: topic, sourcePartition: partition, sourceOffset: offset, failedAt: failedAt)
    }

    /// A reason with its particulars folded: `"…"` for quoted text, `#` for every word with a digit in it.
    public static func fold(_ reason: String) -> String {
        var unquoted = ""
        var inQuote = false
        for character in reason.prefix(200) {
            if character == "\"" {
                if !inQuote { unquoted += "\"…\"" }
                inQuote.toggle()
            } else if !inQuote {
                unquoted.append(character)
            }
        }
        return unquoted.split(separator: " ", omittingEmptySubsequences: false).map { word in
            guard word.contains(where: \.isNumber) else { return String(word) }
            let trailing = word.reversed().prefix { ",;:.)".contains($0) }
            return "#" + String(trailing.reversed())
        }.joined(separator: " ")
    }
}
