public import Kafka

/// One consumed message of an outside system's raw topic.
public struct RawRecord: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [KafkaHeader]
    /// The broker's (or the producer's) timestamp of the message, when it has one.
    public var timestampMilliseconds: Int64?

    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]? = nil, value: [UInt8]?, headers: [KafkaHeader] = [],
                timestampMilliseconds: Int64? = nil) {
        self.timestampMilliseconds = timestampMilliseconds
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
    }

    public init(_ message: KafkaConsumerMessage) {
        self.init(topic: message.topic, partition: message.partition, offset: message.offset, key: message.key, value: message.value,
                  headers: message.headers, timestampMilliseconds: message.timestampMilliseconds)
    }

    /// The id of this input's `index`-th canonical event: the same input always yields the same ids,
    /// so a replay (after a crash, or a weakly fenced transaction) is dropped by every consumer.
    public func eventId(_ index: Int) -> String { "\(topic):\(partition):\(offset):\(index)" }

    public var keyText: String? { key.map { String(decoding: $0, as: UTF8.self) } }

    public func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value.map { String(decoding: $0, as: UTF8.self) }
    }
}

/// A canonical event ready to publish: its topic, key, id and encoded envelope.
public struct MappedEvent: Sendable, Equatable {
    public var topic: String
    public var key: String
    public var id: String
    public var value: [UInt8]

    public init(topic: String, key: String, id: String, value: [UInt8]) {
        self.topic = topic
        self.key = key
        self.id = id
        self.value = value
    }
}

/// Part of an input that cannot be mapped: dead-lettered with its reason. `payload` is the part
/// (a CSV row) when only part of the input is bad; `nil` dead-letters the whole input. `heldInput`
/// names an earlier input the mapping held (``PendingInputs``) and now gives up on: that one is
/// dead-lettered, as it was.
public struct MappingRejection: Sendable, Equatable {
    public var reason: String
    public var payload: [UInt8]?
    public var heldInput: RawRecord?

    public init(_ reason: String, payload: [UInt8]? = nil, heldInput: RawRecord? = nil) {
        self.reason = reason
        self.payload = payload
        self.heldInput = heldInput
    }
}

/// What one input became.
public struct MappingResult: Sendable, Equatable {
    public var events: [MappedEvent]
    public var rejections: [MappingRejection]
    /// Set when the input is deliberately not mapped (a heartbeat, say): counted, not dead-lettered.
    public var skipped: String?

    public init(events: [MappedEvent] = [], rejections: [MappingRejection] = [], skipped: String? = nil) {
        self.events = events
        self.rejections = rejections
        self.skipped = skipped
    }

    public static func rejected(_ reason: String) -> MappingResult { MappingResult(rejections: [MappingRejection(reason)]) }
    public static func skip(_ why: String) -> MappingResult { MappingResult(skipped: why) }
}

/// One outside system's mapping, native to canonical: a pure function of the input (and of what
/// it was told before, like a terminal's registration), unit-tested without Kafka.
public protocol AdapterMapping: Sendable {
    /// The adapter's name (`lubehub adapter NAME`), also its consumer group and transactional id prefix.
    var name: String { get }
    var inputTopics: [String] { get }
    var deadLetterTopic: String { get }
    func map(_ record: RawRecord) -> MappingResult
    /// The same for a mapping that holds inputs until later ones complete them; `pending` is the
    /// input's partition's. By default it holds nothing.
    func map(_ record: RawRecord, pending: inout PendingInputs) -> MappingResult
}

extension AdapterMapping {
    public func map(_ record: RawRecord, pending: inout PendingInputs) -> MappingResult { map(record) }
}
