/// A message to send. A `nil` value is a tombstone (deletes the key on a compacted topic).
public struct KafkaProducerMessage: Sendable {
    public var topic: String
    public var partition: Int32?
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [KafkaHeader]

    /// - Parameter partition: `nil` lets the partitioner choose from the key.
    public init(topic: String, partition: Int32? = nil, key: [UInt8]? = nil, value: [UInt8]?, headers: [KafkaHeader] = []) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
    }

    public init(topic: String, partition: Int32? = nil, key: String?, value: String?, headers: [KafkaHeader] = []) {
        self.init(topic: topic, partition: partition, key: key.map { Array($0.utf8) }, value: value.map { Array($0.utf8) }, headers: headers)
    }
}

/// The broker's answer for one message.
public struct KafkaDeliveryReport: Sendable {
    public var topic: String
    public var partition: Int32
    /// The offset the broker stored the message at; `nil` when delivery failed.
    public var offset: Int64?
    public var key: [UInt8]?
    /// Why delivery failed; `nil` on success.
    public var error: KafkaError?

    public var succeeded: Bool { error == nil }
}
