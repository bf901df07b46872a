/// Producer settings. `nil` means librdkafka's default; idempotence is on unless turned off.
public struct KafkaProducerConfiguration: Sendable {
    public var client: KafkaClientConfiguration
    /// Acknowledgements the leader waits for (`acks`). Idempotence requires `.all`.
    public var acks: Acks?
    /// `enable.idempotence`: no duplicates and per-partition order across retries. On by default.
    public var idempotence: Bool
    /// `compression.codec`.
    public var compression: Compression?
    /// `linger.ms`: how long to wait to fill a batch.
    public var linger: Duration?
    /// `batch.size` in bytes.
    public var batchSize: Int?
    /// `message.timeout.ms`: a message not acknowledged within this time fails with a timeout.
    public var messageTimeout: Duration?
    /// `transactional.id`: set it to use ``KafkaProducer/beginTransaction()`` and friends.
    public var transactionalID: String?
    /// Deliver a ``KafkaDeliveryReport`` for every message sent with ``KafkaProducer/enqueue(_:)``
    /// through ``KafkaProducer/deliveryReports``. Off: those reports only update counters.
    public var collectsDeliveryReports: Bool
    /// At most this many unconsumed reports are held for ``KafkaProducer/deliveryReports``; when it
    /// is full the producer stops serving reports, librdkafka's queue fills and sending waits.
    public var deliveryReportBufferSize: Int

    public enum Acks: String, Sendable {
        case none = "0", leader = "1", all = "all"
    }

    public enum Compression: String, Sendable {
        case none, gzip, snappy, lz4, zstd
    }

    public init(
        client: KafkaClientConfiguration = .init(), acks: Acks? = nil, idempotence: Bool = true,
        compression: Compression? = nil, linger: Duration? = nil, batchSize: Int? = nil,
        messageTimeout: Duration? = nil, transactionalID: String? = nil,
        collectsDeliveryReports: Bool = false, deliveryReportBufferSize: Int = 100_000
    ) {
        self.client = client
        self.acks = acks
        self.idempotence = idempotence
        self.compression = compression
        self.linger = linger
        self.batchSize = batchSize
        self.messageTimeout = messageTimeout
        self.transactionalID = transactionalID
        self.collectsDeliveryReports = collectsDeliveryReports
        self.deliveryReportBufferSize = deliveryReportBufferSize
    }

    var librdkafkaProperties: [(String, String)] {
        var result = client.librdkafkaProperties
        result.append(("enable.idempotence", idempotence ? "true" : "false"))
        if let acks { result.append(("acks", acks.rawValue)) }
        if let compression { result.append(("compression.codec", compression.rawValue)) }
        if let linger { result.append(("linger.ms", String(linger.milliseconds))) }
        if let batchSize { result.append(("batch.size", String(batchSize))) }
        if let messageTimeout { result.append(("message.timeout.ms", String(messageTimeout.milliseconds))) }
        if let transactionalID { result.append(("transactional.id", transactionalID)) }
        return result + client.passThroughProperties
    }
}
