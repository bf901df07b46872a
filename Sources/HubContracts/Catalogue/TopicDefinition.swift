/// One topic of the catalogue, as its file in `topics/` describes it.
public struct TopicDefinition: Sendable {
    /// Which way the topic's data flows.
    public enum Flow: String, Sendable, CaseIterable {
        case rawInbound = "raw-inbound", canonical, outbound, deadLetter = "dead-letter"
    }

    public struct Header: Sendable, Equatable {
        public var name: String
        public var description: String
        public var required: Bool
    }

    /// An example message; exactly one of `value` (JSON), `valueText`, `valueHex` is set.
    public struct Example: Sendable {
        public var name: String
        public var note: String?
        public var key: String?
        public var value: JSONValue?
        public var valueText: String?
        public var valueHex: String?
        public var headers: [String: String]

        /// The example's value as the bytes that would travel on the topic.
        public var bytes: [UInt8] {
            if let value { return value.bytes }
            if let valueText { return Array(valueText.utf8) }
            return valueHex.map(Self.decodeHex) ?? []
        }

        static func decodeHex(_ hex: String) -> [UInt8] {
            var result: [UInt8] = []
            result.reserveCapacity(hex.count / 2)
            var high: UInt8?
            for character in hex.utf8 {
                let nibble: UInt8
                switch character {
                case 0x30...0x39: nibble = character - 0x30
                case 0x61...0x66: nibble = character - 0x61 + 10
                case 0x41...0x46: nibble = character - 0x41 + 10
                default: continue
                }
                if let pending = high {
                    result.append(pending << 4 | nibble)
                    high = nil
                } else {
                    high = nibble
                }
            }
            return result
        }
    }

    public var name: String
    public var flow: Flow
    public var purpose: String
    public var owner: String
    public var consumers: [String]
    public var partitions: Int32
    /// The entity the Kafka key names, and why ordering by it matters.
    public var keyEntity: String
    public var keyReason: String
    public var cleanupPolicy: String
    /// Retention in milliseconds; -1 keeps forever.
    public var retentionMilliseconds: Int64
    /// The broker configs `topics apply` sets.
    public var configs: [String: String]
    /// `json`, `idoc-xml`, `binary`, `csv` or `original` (dead letters).
    public var format: String
    /// The decoder that reads a non-JSON format.
    public var decoder: String?
    public var formatDescription: String?
    /// The JSON Schema of the value, for JSON formats.
    public var schema: JSONValue?
    /// For canonical topics: the event types the topic carries.
    public var eventTypes: [String]
    public var headers: [Header]
    public var examples: [Example]

    /// True when values are JSON that ``schema`` describes.
    public var isJSON: Bool { format == "json" && schema != nil }
}
