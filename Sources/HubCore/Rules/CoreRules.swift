public import HubContracts
public import HubStore
public import Foundation
import HubDomain

/// The core's rules for every canonical event but positions: what an event changes, applied inside
/// the store's transaction (``CoreTransaction/apply(eventId:source:releasing:rule:)``), with the
/// events it publishes written to the outbox in that same transaction. The rules decide; the
/// store's tables read and write.
public struct CoreRules: Sendable {
    /// The `source` of the events the core publishes.
    public static let producerName = "lubehub-core"

    /// Where the core publishes what happens to orders.
    public struct Topics: Sendable {
        /// Each order's events in order (the core's decisions and the outcome of commands).
        public var orderEvents: String
        /// Each order's whole current view.
        public var orderUpdates: String
        /// Administrative changes (a person's edit of master data through the API).
        public var audit: String

        public init(orderEvents: String = TopicName.orderEvents, orderUpdates: String = TopicName.orderUpdates, audit: String = TopicName.audit) {
            self.orderEvents = orderEvents
            self.orderUpdates = orderUpdates
            self.audit = audit
        }
    }

    public let topics: Topics
    /// Whether the rules keep the figures (R4, R8) as they apply events (off only to measure what keeping them costs).
    public let keepsFigures: Bool
    private let now: @Sendable () -> Date

    public init(topics: Topics = Topics(), keepsFigures: Bool = true, now: @escaping @Sendable () -> Date = { Date() }) {
        self.topics = topics
        self.keepsFigures = keepsFigures
        self.now = now
    }

    /// Applies `event`, read at `source`; `trace` is the W3C `traceparent` of the message it came
    /// in (what it publishes continues that trace).
    public func apply(_ event: CanonicalEvent, source: EventSource, trace: String? = nil, in transaction: CoreTransaction) throws(StoreError) -> ApplyOutcome {
        let context = RuleContext(event: event, source: source, tables: transaction, now: Timestamp(now()), topics: topics, trace: trace)
        let keepsFigures = keepsFigures
        func tracking(_ touched: AnalyticsRules.Touched, _ rule: () throws(StoreError) -> ApplyOutcome) throws(StoreError) -> ApplyOutcome {
            keepsFigures ? try AnalyticsRules.tracking(touched, context, rule: rule) : try rule()
        }
        switch event.data {
        case .orderSubmitted, .orderAccepted, .orderRejected, .orderConfirmed, .orderScheduled, .orderProduced:
            // None of these changes a figure: the core's own announcements read back, and the ERP's steps before dispatch
            // (a confirmation's date counts only once the goods left, and a confirmation after that is ignored as a step back).
            return try OrderRules.apply(context)
        case .orderSubmit, .orderCancel, .orderConfirmReceipt, .orderRate, .orderAllocated, .orderDispatched, .orderDelivered, .orderReceived, .orderRated,
             .orderCancelled:
            let touched = AnalyticsRules.Touched(orders: Set([OrderRules.orderId(of: event.data)].compactMap { $0 }))
            return try tracking(touched) { () throws(StoreError) in try OrderRules.apply(context) }
        case .shipmentEtaReported(let eta) where eta.reportedBy != .hub:
            // The carrier's first estimate is what its ETA accuracy is judged on.
            return try tracking(AnalyticsRules.Touched(shipments: [eta.shipmentId])) { () throws(StoreError) in try ShipmentRules.apply(context) }
        case .shipmentEtaReported, .shipmentVehicleAssigned:
            // Neither the hub's own estimates nor a vehicle change what the figures read of a shipment, nor move an order:
            // an order follows its shipment when the shipment leaves or the order is allocated, whichever is later, and
            // both are tracked.
            return try ShipmentRules.apply(context)
        case .shipmentCreated, .shipmentDispatched, .shipmentArrived, .shipmentDelivered, .shipmentException:
            // A shipment's change may move the orders it carries (dispatched, delivered): a move notes its order itself
            // (AnalyticsRules.noteChange(ofOrder:)); nothing else a shipment's report does changes what an order counts for.
            let touched = AnalyticsRules.Touched(shipments: Set([ShipmentRules.shipmentId(of: event.data)].compactMap { $0 }))
            return try tracking(touched) { () throws(StoreError) in try ShipmentRules.apply(context) }
        case .vehicleRegistered:
            return try ShipmentRules.apply(context)
        case .contractUpserted(let contract):
            return try tracking(AnalyticsRules.Touched(contracts: [contract.contractId])) { () throws(StoreError) in try MasterDataRules.apply(context) }
        case .fundPosted(let fund):
            return try tracking(AnalyticsRules.Touched(funds: [fund.entryId])) { () throws(StoreError) in try MasterDataRules.apply(context) }
        case .sellThroughRecorded(let record):
            let touched = AnalyticsRules.Touched(sellThrough: [SellThroughFacts.Key(dealerId: record.dealerId, recordId: record.recordId)])
            return try tracking(touched) { () throws(StoreError) in try DealerTradeRules.apply(context) }
        case .deliveryNoteIssued(let note):
            // Booked as a sale: its lines become sell-through records the figures count.
            let touched = AnalyticsRules.Touched(sellThrough: BookRules.flowKeys(dealerId: note.supplierDealerId, entryId: note.deliveryNoteId, lines: note.lines.count))
            return try tracking(touched) { () throws(StoreError) in try DealerTradeRules.apply(context) }
        case .tier2OrderSubmitted, .tier2OrderCancelled, .tier2OrderAccepted, .tier2OrderRejected, .tier2OrderReceived:
            return try DealerTradeRules.apply(context)
        case .bookEntryRecorded(let entry) where entry.kind == .sale:
            let touched = AnalyticsRules.Touched(sellThrough: BookRules.flowKeys(dealerId: entry.dealerId, entryId: entry.entryId, lines: entry.lines.count))
            return try tracking(touched) { () throws(StoreError) in try BookRules.apply(context) }
        case .bookEntryRecorded, .bookSettingsSet, .bookPricesSet:
            return try BookRules.apply(context)
        case .invoicePosted, .invoiceCleared:
            return try InvoiceRules.apply(context)
        case .productionOrderReported(let reported):
            // Moves an order to scheduled or produced: like the ERP's own steps before dispatch, no figure changes.
            return try ProductionRules.apply(reported, context)
        case .shipmentCreated, .shipmentVehicleAssigned, .shipmentDispatched, .shipmentEtaReported, .shipmentArrived, .shipmentDelivered,
             .shipmentException, .vehicleRegistered:
            return try ShipmentRules.apply(context)
        case .inventoryMoved, .stockSnapshot:
            return try InventoryRules.apply(context)
        case .dealerUpserted, .dealerCreditLimitSet, .permissionGroupUpserted, .materialUpserted, .priceListUpserted, .warehouseUpserted,
             .dealerStockSnapshot:
            return try MasterDataRules.apply(context)
        case .announcementPublished, .announcementWithdrawn, .announcementRead, .announcementAcknowledged:
            return try EngagementRules.apply(context)
        case .ticketOpened, .ticketAssigned, .ticketReplied, .ticketClosed, .ticketReopened, .authenticityScanned, .authenticityFlagged:
            return try TicketRules.apply(context)
        case .dealerRiskReviewed:
            return try RiskRules.apply(context)
        case .activityRecorded:
            return try ActivityRules.apply(context)
        case .surveyPublished, .surveyClosed, .surveyResponded:
            return try SurveyRules.apply(context)
        case .terminalConnected, .terminalDisconnected, .gatewayStarted:
            return try TerminalSessionRules.apply(context)
        case .orderView, .vehiclePosition, .serviceRecordCreated, .auditRecorded, .scorecardPublished, .forecastPublished, .terminalAuthorised, .vehicleLocateRequested,
             .unknown:
            // Positions have a path of their own; the others are for subscribers, not for the core's state.
            return .notHandled
        }
    }
}

/// What a rule works with: the event, where it was read, the open transaction's tables, the time,
/// and the trace the event's message belongs to.
struct RuleContext {
    let event: CanonicalEvent
    let source: EventSource
    let tables: CoreTransaction
    let now: Timestamp
    let topics: CoreRules.Topics
    let trace: String?

    /// Writes an event to the outbox. Its id is derived from the input event's id, so applying the
    /// same input again (which the applied-events table prevents anyway) yields the same id. When
    /// the core will read the event back from a topic it consumes, the id is recorded as applied.
    func publish(topic: String, key: String, id: String, data: EventData, readBack: Bool) throws(StoreError) {
        let envelope = CanonicalEvent(id: id, source: CoreRules.producerName, occurredAt: now, subject: key, data: data)
        let bytes: [UInt8]
        do {
            bytes = try envelope.encoded()
        } catch {
            throw StoreError(.statement, "cannot encode \(envelope.type) \(id): \(error.description)")
        }
        try tables.outbox.append([OutboxRow(topic: topic, key: key, eventId: id, value: bytes, traceParent: trace)])
        if readBack { try tables.appliedEvents.mark(id, source: source) }
    }
}
