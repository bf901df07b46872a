import HubContracts
public import HubDomain

/// The core store's tables inside one open transaction (``CoreStore/transaction(_:)``): several
/// events applied, held or released together and committed at once, so a busy core pays for one
/// commit per fetched batch rather than one per event. Valid only inside the call that made it;
/// the rules reach every table through it and write no SQL of their own.
public struct CoreTransaction {
    let db: any SQLDatabase
    private let connection: StoreConnection?
    /// The figures' changes of the events applied so far, written once before the commit.
    private let figures = FigureBuffer()

    init(_ db: any SQLDatabase, connection: StoreConnection? = nil) {
        self.db = db
        self.connection = connection
    }

    /// Writes the figures' changes the transaction's events made: called by the store just before it
    /// commits (see ``FigureBuffer``).
    func flushFigures() throws(StoreError) {
        guard let settle = figures.settle, !figures.isEmpty else { return }
        let change = try settle(figures.befores, analytics)
        figures.befores = FigureBuffer.Befores()
        if !change.isEmpty { try analytics.add(change) }
    }

    /// Whether other work waits for the store's connection while this transaction holds it.
    public var othersWaiting: Bool { connection?.othersWaiting ?? false }

    public var appliedEvents: AppliedEventTable { AppliedEventTable(db: db) }
    public var consumerOffsets: ConsumerOffsetTable { ConsumerOffsetTable(db: db) }
    public var heldEvents: HeldEventTable { HeldEventTable(db: db) }
    public var offsetGaps: OffsetGapTable { OffsetGapTable(db: db) }
    public var outbox: OutboxTable { OutboxTable(db: db) }
    public var masterData: MasterDataTable { MasterDataTable(db: db) }
    public var orders: OrderTable { OrderTable(db: db) }
    public var announcements: AnnouncementTable { AnnouncementTable(db: db) }
    public var tickets: TicketTable { TicketTable(db: db) }
    public var activities: ActivityTable { ActivityTable(db: db) }
    public var riskReviews: RiskReviewTable { RiskReviewTable(db: db) }
    public var surveys: SurveyTable { SurveyTable(db: db) }
    public var authenticity: AuthenticityTable { AuthenticityTable(db: db) }
    public var reservations: ReservationTable { ReservationTable(db: db) }
    public var stock: StockTable { StockTable(db: db) }
    public var movements: InventoryMovementTable { InventoryMovementTable(db: db) }
    public var shipments: ShipmentTable { ShipmentTable(db: db) }
    public var vehicles: VehicleTable { VehicleTable(db: db) }
    public var terminalSessions: TerminalSessionTable { TerminalSessionTable(db: db) }
    public var dealerTrade: DealerTradeTable { DealerTradeTable(db: db) }
    public var books: BookTable { BookTable(db: db) }
    public var invoices: InvoiceTable { InvoiceTable(db: db) }
    public var production: ProductionTable { ProductionTable(db: db) }
    public var sellThrough: SellThroughTable { SellThroughTable(db: db) }
    public var contracts: ContractTable { ContractTable(db: db) }
    public var funds: FundTable { FundTable(db: db) }
    /// The figures (R4, R8) and the facts they are made of.
    public var analytics: AnalyticsTable { AnalyticsTable(db: db, buffer: figures) }
    /// The audit log (and its events on `hub.audit`, through the outbox).
    public var audit: AuditLogTable { AuditLogTable(db: db) }
    /// The order views, as the transaction sees them (with its own changes).
    public var orderViews: OrderViewReader { OrderViewReader(db: db) }
    /// What deciding an order reads, as the transaction sees it.
    public var orderDecisions: OrderDecisionReader { OrderDecisionReader(db: db) }

    /// Applies the event `eventId` read at `source`: `rule` runs inside the transaction and says
    /// what it did. Anything but `.applied` undoes whatever `rule` wrote; `.applied` and
    /// `.duplicate` record the offset (the consumer moves on); `.unknownReference`, `.refused` and
    /// `.notHandled` leave that to the caller (hold, or dead-letter then ``skip(_:)``). When
    /// `releasing` names a held event, it is released in the same transaction once it applied.
    public func apply(eventId: String, source: EventSource, releasing heldId: String? = nil,
                      rule: (CoreTransaction) throws(StoreError) -> ApplyOutcome) throws(StoreError) -> ApplyOutcome {
        if try appliedEvents.contains(eventId) {
            try consumerOffsets.record([source.consumed], group: source.group)
            if let heldId { try heldEvents.release(heldId) }
            return .duplicate
        }
        try db.executeScript("SAVEPOINT rule")
        let outcome = try rule(self)
        switch outcome {
        case .applied:
            try db.executeScript("RELEASE SAVEPOINT rule")
            try appliedEvents.mark(eventId, source: source)
            if let heldId { try heldEvents.release(heldId) }
            try consumerOffsets.record([source.consumed], group: source.group)
        case .duplicate:
            try db.executeScript("ROLLBACK TO SAVEPOINT rule")
            try db.executeScript("RELEASE SAVEPOINT rule")
            try consumerOffsets.record([source.consumed], group: source.group)
        case .notHandled, .unknownReference, .refused:
            try db.executeScript("ROLLBACK TO SAVEPOINT rule")
            try db.executeScript("RELEASE SAVEPOINT rule")
        }
        return outcome
    }

    /// Keeps an event whose reference is unknown and records its offset as consumed.
    public func hold(_ held: HeldEvent, group: String) throws(StoreError) {
        try heldEvents.insert(held)
        try consumerOffsets.record([ConsumedPosition(topic: held.topic, partition: held.partition, nextOffset: held.offset + 1)], group: group)
    }

    /// Records a consumed offset without applying anything.
    public func skip(_ source: EventSource) throws(StoreError) {
        try consumerOffsets.record([source.consumed], group: source.group)
    }
}

/// What the figures need to settle a transaction's events at its end: each order, shipment,
/// contract, fund entry and sell-through record the events changed, with its facts as they were before the first of them (nil: it did
/// not exist). Just before the commit the core reads each one's facts once more and adds the
/// difference of their contributions (``settle``) — once per thing changed, not once per event:
/// working out and writing each event's change as it applied cost the core 40–60 % of its ingest
/// rate (measured, `lubehub-bench analytics`). Lives only inside its transaction's closure.
public final class FigureBuffer {
    public struct Befores: Sendable {
        public var orders: [String: OrderFacts?] = [:]
        public var shipments: [String: ShipmentFacts?] = [:]
        public var contracts: [String: ContractFacts?] = [:]
        public var funds: [String: FundFacts?] = [:]
        public var sellThrough: [SellThroughFacts.Key: SellThroughFacts?] = [:]

        public init() {}
    }

    public var befores = Befores()
    /// What the event being applied noted so far, as it was before the transaction first changed
    /// it: kept apart until the event is applied (a rule that is not applied is rolled back, and
    /// what it noted with it); nil while no rule that keeps the figures runs.
    public var noting: Befores?
    /// Works out the change from the facts before and as they are now; set by the rules that keep the figures.
    public var settle: ((Befores, AnalyticsTable) throws(StoreError) -> FigureContributions)?

    var isEmpty: Bool { befores.orders.isEmpty && befores.shipments.isEmpty && befores.contracts.isEmpty && befores.funds.isEmpty && befores.sellThrough.isEmpty }
}
