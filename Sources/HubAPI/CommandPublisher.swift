public import HubContracts
public import Kafka

/// Where the API's commands and uploads go: canonical events checked against the topic catalogue
/// before they leave, raw carrier messages as a carrier's platform would send them. Each send
/// waits for the broker's acknowledgement, so an answer of 2xx means the message is in the log.
public struct CommandPublisher: Sendable {
    public struct Topics: Sendable {
        public var orderCommands = "hub.orders.commands"
        public var tier2Orders = "hub.tier2-orders"
        public var deliveryNotes = "hub.delivery-notes"
        public var carrierEvents = "carrier.in.shipment-events"
        public var orderUpdates = "hub.orders.updates"

        public init() {}

        /// Every topic under a prefix (a test's own copy of the topics).
        public init(prefix: String) {
            orderCommands = prefix + orderCommands
            tier2Orders = prefix + tier2Orders
            deliveryNotes = prefix + deliveryNotes
            carrierEvents = prefix + carrierEvents
            orderUpdates = prefix + orderUpdates
        }
    }

    public let producer: KafkaProducer
    public let catalogue: TopicCatalogue
    public let topics: Topics

    public init(producer: KafkaProducer, catalogue: TopicCatalogue, topics: Topics = Topics()) {
        self.producer = producer
        self.catalogue = catalogue
        self.topics = topics
    }

    /// Publishes a canonical event on `topic` keyed by `key`, after checking it against the
    /// catalogue entry of the topic's unprefixed name.
    public func publish(_ event: CanonicalEvent, topic: String, key: String, catalogueTopic: String) async throws(APIProblem) {
        let bytes: [UInt8]
        do {
            bytes = try event.encoded()
        } catch {
            throw APIProblem.unprocessable("the command could not be written: \(error)")
        }
        if case .invalid(let issues) = catalogue.validate(topic: catalogueTopic, value: bytes) {
            throw APIProblem.unprocessable("the request does not make a valid \(event.type)", issues: issues.map(\.description))
        }
        try await sendRaw([KafkaProducerMessage(topic: topic, key: Array(key.utf8), value: bytes,
                                                headers: [KafkaHeader(name: "event.id", string: event.id)])])
    }

    /// Publishes messages as they are (a carrier's raw JSON), all or none acknowledged.
    public func sendRaw(_ messages: [KafkaProducerMessage]) async throws(APIProblem) {
        let reports: [KafkaDeliveryReport]
        do {
            reports = try await producer.sendBatch(messages)
        } catch {
            throw APIProblem.unavailable("the broker did not take the upload (\(error)); send it again")
        }
        if let failed = reports.first(where: { !$0.succeeded }) {
            throw APIProblem.unavailable("the broker did not take the upload (\(failed.error.map { "\($0)" } ?? "no acknowledgement")); send it again")
        }
    }
}
