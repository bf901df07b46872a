public import HubContracts
public import Kafka
import Tracing

/// Where commands and uploads go: canonical events checked against the topic catalogue before
/// they leave, raw messages (a carrier's JSON) as the outside system would send them. Each send
/// waits for the broker's acknowledgement, so a returned send means the message is in the log.
/// A message goes out in the trace of the task that publishes it (the API's request span): its
/// `traceparent` header carries the current span's context.
public struct CommandPublisher: Sendable {
    public struct Topics: Sendable {
        public var orderCommands = TopicName.orderCommands
        public var tier2Orders = TopicName.tier2Orders
        public var deliveryNotes = TopicName.deliveryNotes
        public var dealerBooks = TopicName.dealerBooks
        public var carrierEvents = TopicName.Carrier.shipmentEvents
        public var dealerStock = TopicName.Dealer.stockSnapshots
        public var dealerSellThrough = TopicName.Dealer.sellThrough
        public var orderUpdates = TopicName.orderUpdates
        public var permissionGroups = TopicName.permissionGroups
        public var warehouses = TopicName.warehouses
        public var contracts = TopicName.contracts
        public var announcements = TopicName.announcements
        public var announcementReceipts = TopicName.announcementReceipts
        public var tickets = TopicName.tickets
        public var activities = TopicName.activities
        /// Branch staff's risk reviews of dealers go out beside the dealers' records.
        public var dealers = TopicName.dealers
        public var surveys = TopicName.surveys
        public var surveyResponses = TopicName.surveyResponses
        public var terminalCommands = TopicName.terminalCommands

        public init() {}

        /// Every topic under a prefix (a test's own copy of the topics).
        public init(prefix: String) {
            orderCommands = prefix + orderCommands
            tier2Orders = prefix + tier2Orders
            deliveryNotes = prefix + deliveryNotes
            dealerBooks = prefix + dealerBooks
            carrierEvents = prefix + carrierEvents
            dealerStock = prefix + dealerStock
            dealerSellThrough = prefix + dealerSellThrough
            orderUpdates = prefix + orderUpdates
            permissionGroups = prefix + permissionGroups
            warehouses = prefix + warehouses
            contracts = prefix + contracts
            announcements = prefix + announcements
            announcementReceipts = prefix + announcementReceipts
            tickets = prefix + tickets
            activities = prefix + activities
            dealers = prefix + dealers
            surveys = prefix + surveys
            surveyResponses = prefix + surveyResponses
            terminalCommands = prefix + terminalCommands
        }
    }

    /// Why a command did not go out, and whose move it is.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The command could not be written (the caller's data): fix it.
        case unwritable(String)
        /// It is not what the topic's schema allows (each issue names the field): fix it.
        case invalid(type: String, issues: [String])
        /// The broker did not take it: send it again.
        case notTaken(String)
        /// Larger than one message may be (``maximumMessageBytes``): make it smaller.
        case tooLarge(type: String, bytes: Int)

        public var description: String {
            switch self {
            case .unwritable(let reason): "the command could not be written: \(reason)"
            case .invalid(let type, let issues): "the request does not make a valid \(type): \(issues.joined(separator: "; "))"
            case .notTaken(let reason): "the broker did not take the upload (\(reason)); send it again"
            case .tooLarge(let type, let bytes):
                "the \(type) is \(bytes) bytes as an event, more than one message may be (\(CommandPublisher.maximumMessageBytes)): make it smaller (split a group)"
            }
        }
    }

    /// The largest event published: under librdkafka's and Kafka's default message size
    /// (1,000,000 bytes), with room for headers and the batch's framing.
    public static let maximumMessageBytes = 950_000

    public let producer: KafkaProducer
    public let catalogue: TopicCatalogue
    public let topics: Topics

    public init(producer: KafkaProducer, catalogue: TopicCatalogue, topics: Topics = Topics()) {
        self.producer = producer
        self.catalogue = catalogue
        self.topics = topics
    }

    /// Publishes a canonical event on `topic` keyed by `key`, after checking it against the
    /// catalogue entry of the topic's unprefixed name (`catalogueTopic`: the event kind's topic).
    public func publish(_ event: CanonicalEvent, topic: String, key: String, catalogueTopic: String) async throws(Failure) {
        let bytes: [UInt8]
        do {
            bytes = try event.encoded()
        } catch {
            throw .unwritable(error.description)
        }
        guard bytes.count <= Self.maximumMessageBytes else { throw .tooLarge(type: event.type, bytes: bytes.count) }
        if case .invalid(let issues) = catalogue.validate(topic: catalogueTopic, value: bytes) {
            throw .invalid(type: event.type, issues: issues.map(\.description))
        }
        try await sendRaw([KafkaProducerMessage(topic: topic, key: Array(key.utf8), value: bytes,
                                                headers: [KafkaHeader(name: MessageHeader.eventId, string: event.id)])])
    }

    /// Publishes messages as they are (a carrier's raw JSON), all or none acknowledged, each in
    /// the current trace.
    public func sendRaw(_ messages: [KafkaProducerMessage]) async throws(Failure) {
        let context = InstrumentationContext.current ?? .topLevel
        let traced = messages.map { message in
            var message = message
            HubTracer().inject(context, into: &message.headers, using: KafkaHeaderPropagation())
            return message
        }
        let reports: [KafkaDeliveryReport]
        do {
            reports = try await producer.sendBatch(traced)
        } catch {
            throw .notTaken("\(error)")
        }
        if let failed = reports.first(where: { !$0.succeeded }) {
            throw .notTaken(failed.error.map { "\($0)" } ?? "no acknowledgement")
        }
    }
}
