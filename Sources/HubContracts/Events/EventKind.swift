/// Every kind of canonical event the hub knows, by the `type` it carries in its envelope, with the
/// topic it travels on. The struct of each kind's data is in ``EventData``. A test checks this
/// list against the catalogue's `eventTypes` (`topics/`), both ways.
public enum EventKind: String, Sendable, CaseIterable, Hashable {
    case dealerUpserted = "dealer.upserted"
    case dealerCreditLimitSet = "dealer.credit-limit-set"
    case dealerRiskReviewed = "dealer.risk-reviewed"
    case permissionGroupUpserted = "permission-group.upserted"
    case materialUpserted = "material.upserted"
    case priceListUpserted = "price-list.upserted"
    case warehouseUpserted = "warehouse.upserted"
    case contractUpserted = "contract.upserted"
    case fundPosted = "fund.posted"
    case invoicePosted = "invoice.posted"
    case invoiceCleared = "invoice.cleared"

    // Commands to the core about orders (hub.orders.commands).
    case orderSubmit = "order.submit"
    case orderCancel = "order.cancel"
    case orderConfirmReceipt = "order.confirm-receipt"
    case orderRate = "order.rate"

    // What happened to an order (hub.orders.events), and its whole view (hub.orders.updates).
    case orderSubmitted = "order.submitted"
    case orderAccepted = "order.accepted"
    case orderRejected = "order.rejected"
    case orderConfirmed = "order.confirmed"
    case orderScheduled = "order.scheduled"
    case orderProduced = "order.produced"
    case orderAllocated = "order.allocated"
    case orderDispatched = "order.dispatched"
    case orderDelivered = "order.delivered"
    case orderReceived = "order.received"
    case orderRated = "order.rated"
    case orderCancelled = "order.cancelled"
    case orderView = "order.view"

    case tier2OrderSubmitted = "tier2-order.submitted"
    case tier2OrderCancelled = "tier2-order.cancelled"
    case tier2OrderAccepted = "tier2-order.accepted"
    case tier2OrderRejected = "tier2-order.rejected"
    case tier2OrderReceived = "tier2-order.received"
    case deliveryNoteIssued = "delivery-note.issued"
    case bookEntryRecorded = "book.entry-recorded"
    case bookSettingsSet = "book.settings-set"
    case bookPricesSet = "book.prices-set"
    case activityRecorded = "activity.recorded"

    case productionOrderReported = "production-order.reported"
    case inventoryMoved = "inventory.moved"
    case stockSnapshot = "stock.snapshot"
    case dealerStockSnapshot = "dealer-stock.snapshot"
    case sellThroughRecorded = "sell-through.recorded"

    case shipmentCreated = "shipment.created"
    case shipmentVehicleAssigned = "shipment.vehicle-assigned"
    case shipmentDispatched = "shipment.dispatched"
    case shipmentEtaReported = "shipment.eta-reported"
    case shipmentArrived = "shipment.arrived"
    case shipmentDelivered = "shipment.delivered"
    case shipmentException = "shipment.exception"
    case vehicleRegistered = "vehicle.registered"
    case vehiclePosition = "vehicle.position"
    case terminalAuthorised = "terminal.authorised"
    case vehicleLocateRequested = "vehicle.locate-requested"
    case terminalConnected = "terminal.connected"
    case terminalDisconnected = "terminal.disconnected"
    case gatewayStarted = "gateway.started"

    case serviceRecordCreated = "service-record.created"
    case authenticityScanned = "authenticity.scanned"
    case authenticityFlagged = "authenticity.flagged"

    // Administration (hub.audit).
    case auditRecorded = "audit.recorded"
    case scorecardPublished = "scorecard.published"
    case forecastPublished = "forecast.published"

    // Engagement (R5, R6): announcements out, dealers' receipts in; dealers' tickets and their answers.
    case announcementPublished = "announcement.published"
    case announcementWithdrawn = "announcement.withdrawn"
    case announcementRead = "announcement.read"
    case announcementAcknowledged = "announcement.acknowledged"
    case ticketOpened = "ticket.opened"
    case ticketAssigned = "ticket.assigned"
    case ticketReplied = "ticket.replied"
    case ticketClosed = "ticket.closed"
    case ticketReopened = "ticket.reopened"
    case surveyPublished = "survey.published"
    case surveyClosed = "survey.closed"
    case surveyResponded = "survey.responded"

    /// The envelope's `type`.
    public var type: String { rawValue }

    /// The canonical topic this kind of event travels on.
    public var topic: String {
        switch self {
        case .dealerUpserted, .dealerCreditLimitSet, .dealerRiskReviewed: TopicName.dealers
        case .permissionGroupUpserted: TopicName.permissionGroups
        case .materialUpserted: TopicName.materials
        case .priceListUpserted: TopicName.priceLists
        case .warehouseUpserted: TopicName.warehouses
        case .contractUpserted: TopicName.contracts
        case .fundPosted: TopicName.funds
        case .invoicePosted, .invoiceCleared: TopicName.invoices
        case .orderSubmit, .orderCancel, .orderConfirmReceipt, .orderRate: TopicName.orderCommands
        case .orderSubmitted, .orderAccepted, .orderRejected, .orderConfirmed, .orderScheduled, .orderProduced, .orderAllocated,
             .orderDispatched, .orderDelivered, .orderReceived, .orderRated, .orderCancelled: TopicName.orderEvents
        case .orderView: TopicName.orderUpdates
        case .tier2OrderSubmitted, .tier2OrderCancelled, .tier2OrderAccepted, .tier2OrderRejected, .tier2OrderReceived: TopicName.tier2Orders
        case .deliveryNoteIssued: TopicName.deliveryNotes
        case .bookEntryRecorded, .bookSettingsSet, .bookPricesSet: TopicName.dealerBooks
        case .activityRecorded: TopicName.activities
        case .inventoryMoved: TopicName.inventoryMovements
        case .productionOrderReported: TopicName.production
        case .stockSnapshot, .dealerStockSnapshot: TopicName.inventorySnapshots
        case .sellThroughRecorded: TopicName.sellThrough
        case .shipmentCreated, .shipmentVehicleAssigned, .shipmentDispatched, .shipmentEtaReported, .shipmentArrived, .shipmentDelivered,
             .shipmentException: TopicName.shipments
        case .vehicleRegistered: TopicName.vehicles
        case .vehiclePosition: TopicName.vehiclePositions
        case .terminalAuthorised: TopicName.terminalCredentials
        case .vehicleLocateRequested: TopicName.terminalCommands
        case .terminalConnected, .terminalDisconnected, .gatewayStarted: TopicName.terminalSessions
        case .serviceRecordCreated: TopicName.serviceRecords
        case .authenticityScanned, .authenticityFlagged: TopicName.authenticity
        case .auditRecorded: TopicName.audit
        case .scorecardPublished: TopicName.scorecards
        case .forecastPublished: TopicName.forecasts
        case .announcementPublished, .announcementWithdrawn: TopicName.announcements
        case .announcementRead, .announcementAcknowledged: TopicName.announcementReceipts
        case .ticketOpened, .ticketAssigned, .ticketReplied, .ticketClosed, .ticketReopened: TopicName.tickets
        case .surveyPublished, .surveyClosed: TopicName.surveys
        case .surveyResponded: TopicName.surveyResponses
        }
    }
}
