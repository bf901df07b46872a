public import HubContracts
public import HubStore
public import Foundation

/// The core's rules for every canonical event but positions: what an event changes, applied inside
/// the store's transaction (``CoreStore/apply(eventId:source:releasing:rule:)``), with the events
/// it publishes written to the outbox in that same transaction.
public struct CoreRules: Sendable {
    /// The `source` of the events the core publishes.
    public static let producerName = "lubehub-core"

    /// Where the core publishes what happens to orders.
    public struct Topics: Sendable {
        /// Each order's events in order (the core's decisions and the outcome of commands).
        public var orderEvents: String
        /// Each order's whole current view.
        public var orderUpdates: String

        public init(orderEvents: String = "hub.orders.events", orderUpdates: String = "hub.orders.updates") {
            self.orderEvents = orderEvents
            self.orderUpdates = orderUpdates
        }
    }

    public let topics: Topics
    private let now: @Sendable () -> Date

    public init(topics: Topics = Topics(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.topics = topics
        self.now = now
    }

    public func apply(_ event: CanonicalEvent, source: EventSource, in db: any SQLDatabase) throws(StoreError) -> ApplyOutcome {
        let context = RuleContext(event: event, source: source, db: db, now: Timestamp(now()), topics: topics)
        let type = event.type
        if type.hasPrefix("order.") { return try OrderRules.apply(context) }
        if type.hasPrefix("tier2-order.") || type.hasPrefix("delivery-note.") { return try DealerTradeRules.apply(context) }
        if type.hasPrefix("shipment.") || type == "vehicle.registered" { return try ShipmentRules.apply(context) }
        if type == "inventory.moved" || type == "stock.snapshot" { return try InventoryRules.apply(context) }
        return try MasterDataTables.apply(event.data, in: db)
    }
}

/// What a rule works with: the event, where it was read, the open transaction, and the time.
struct RuleContext {
    let event: CanonicalEvent
    let source: EventSource
    let db: any SQLDatabase
    let now: Timestamp
    let topics: CoreRules.Topics

    /// Writes an event to the outbox. Its id is derived from the input event's id, so applying the
    /// same input again (which the applied-events table prevents anyway) yields the same id. When
    /// the core will read the event back from a topic it consumes, the id is recorded as applied.
    func publish(topic: String, key: String, id: String, type: String, data: any CanonicalPayload, readBack: Bool) throws(StoreError) {
        let envelope = CanonicalEvent(id: id, type: type, source: CoreRules.producerName, occurredAt: now, subject: key, data: data)
        let bytes: [UInt8]
        do {
            bytes = try envelope.encoded()
        } catch {
            throw StoreError(.statement, "cannot encode \(type) \(id): \(error.description)")
        }
        try Outbox.append([OutboxRow(topic: topic, key: key, eventId: id, value: bytes)], in: db)
        if readBack { try CoreStore.markApplied(id, source: source, in: db) }
    }
}

extension Decimal {
    /// A stored decimal text; 0 for text that is not one (the schema stores only what was parsed).
    init(stored text: String?) {
        self = text.flatMap { DecimalNumber($0)?.value } ?? 0
    }

    /// The exact decimal text to store.
    var stored: String { DecimalNumber(self).text }
}

/// Small JSON documents kept in a text column (rejection reasons, a rating).
enum JSONText {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
