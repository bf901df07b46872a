/// The `data` of a canonical event: one of the event structs of this module.
public protocol CanonicalPayload: Sendable, Codable {}

extension AuditRecorded: CanonicalPayload {}
extension TicketOpened: CanonicalPayload {}
extension SurveyPublished: CanonicalPayload {}
extension SurveyClosed: CanonicalPayload {}
extension SurveyResponded: CanonicalPayload {}
extension TicketAssigned: CanonicalPayload {}
extension TicketReplied: CanonicalPayload {}
extension TicketClosed: CanonicalPayload {}
extension TicketReopened: CanonicalPayload {}
extension ScorecardPublished: CanonicalPayload {}
extension ForecastPublished: CanonicalPayload {}
extension DealerRiskReviewed: CanonicalPayload {}
extension AuthenticityFlagged: CanonicalPayload {}
extension AuthenticityScanned: CanonicalPayload {}
extension DealerCreditLimitSet: CanonicalPayload {}
extension DealerStockSnapshot: CanonicalPayload {}
extension DealerUpserted: CanonicalPayload {}
extension DeliveryNoteIssued: CanonicalPayload {}
extension InventoryMoved: CanonicalPayload {}
extension MaterialUpserted: CanonicalPayload {}
extension OrderAccepted: CanonicalPayload {}
extension OrderAllocated: CanonicalPayload {}
extension OrderCancellation: CanonicalPayload {}
extension OrderCancelled: CanonicalPayload {}
extension OrderConfirmed: CanonicalPayload {}
extension OrderDelivered: CanonicalPayload {}
extension OrderDispatched: CanonicalPayload {}
extension OrderProduced: CanonicalPayload {}
extension OrderRating: CanonicalPayload {}
extension OrderReceipt: CanonicalPayload {}
extension OrderRejected: CanonicalPayload {}
extension OrderScheduled: CanonicalPayload {}
extension OrderSubmission: CanonicalPayload {}
extension OrderView: CanonicalPayload {}
extension PermissionGroupUpserted: CanonicalPayload {}
extension PriceListUpserted: CanonicalPayload {}
extension SellThroughRecorded: CanonicalPayload {}
extension ServiceRecordCreated: CanonicalPayload {}
extension ShipmentArrived: CanonicalPayload {}
extension ShipmentCreated: CanonicalPayload {}
extension ShipmentDelivered: CanonicalPayload {}
extension ShipmentDispatched: CanonicalPayload {}
extension ShipmentEtaReported: CanonicalPayload {}
extension ShipmentException: CanonicalPayload {}
extension ShipmentVehicleAssigned: CanonicalPayload {}
extension StockSnapshot: CanonicalPayload {}
extension Tier2OrderSubmitted: CanonicalPayload {}
extension VehicleFix: CanonicalPayload {}
extension VehicleRegistered: CanonicalPayload {}
extension TerminalAuthorised: CanonicalPayload {}
extension VehicleLocateRequested: CanonicalPayload {}
extension TerminalConnected: CanonicalPayload {}
extension BookEntryRecorded: CanonicalPayload {}
extension InvoicePosted: CanonicalPayload {}
extension ProductionOrderReported: CanonicalPayload {}
extension InvoiceCleared: CanonicalPayload {}
extension BookSettingsSet: CanonicalPayload {}
extension BookPricesSet: CanonicalPayload {}
extension ActivityRecorded: CanonicalPayload {}
extension Tier2OrderDecided: CanonicalPayload {}
extension Tier2OrderReceived: CanonicalPayload {}
extension TerminalDisconnected: CanonicalPayload {}
extension GatewayStarted: CanonicalPayload {}
extension WarehouseUpserted: CanonicalPayload {}
extension ContractUpserted: CanonicalPayload {}
extension FundPosted: CanonicalPayload {}
extension AnnouncementPublished: CanonicalPayload {}
extension AnnouncementWithdrawn: CanonicalPayload {}
extension AnnouncementReceipt: CanonicalPayload {}

/// A canonical event's data, typed by its kind: a rule switches over these cases instead of
/// comparing `type` strings and casting. Several kinds share a struct (`order.submit` and
/// `order.submitted` both carry an ``OrderSubmission``); the case tells them apart.
public enum EventData: Sendable {
    case dealerUpserted(DealerUpserted)
    case dealerCreditLimitSet(DealerCreditLimitSet)
    case dealerRiskReviewed(DealerRiskReviewed)
    case permissionGroupUpserted(PermissionGroupUpserted)
    case materialUpserted(MaterialUpserted)
    case priceListUpserted(PriceListUpserted)
    case warehouseUpserted(WarehouseUpserted)
    case contractUpserted(ContractUpserted)
    case fundPosted(FundPosted)
    case invoicePosted(InvoicePosted)
    case invoiceCleared(InvoiceCleared)
    case orderSubmit(OrderSubmission)
    case orderCancel(OrderCancellation)
    case orderConfirmReceipt(OrderReceipt)
    case orderRate(OrderRating)
    case orderSubmitted(OrderSubmission)
    case orderAccepted(OrderAccepted)
    case orderRejected(OrderRejected)
    case orderConfirmed(OrderConfirmed)
    case orderScheduled(OrderScheduled)
    case orderProduced(OrderProduced)
    case orderAllocated(OrderAllocated)
    case orderDispatched(OrderDispatched)
    case orderDelivered(OrderDelivered)
    case orderReceived(OrderReceipt)
    case orderRated(OrderRating)
    case orderCancelled(OrderCancelled)
    case orderView(OrderView)
    case tier2OrderSubmitted(Tier2OrderSubmitted)
    case tier2OrderCancelled(OrderCancelled)
    case tier2OrderAccepted(Tier2OrderDecided)
    case tier2OrderRejected(Tier2OrderDecided)
    case tier2OrderReceived(Tier2OrderReceived)
    case deliveryNoteIssued(DeliveryNoteIssued)
    case bookEntryRecorded(BookEntryRecorded)
    case bookSettingsSet(BookSettingsSet)
    case bookPricesSet(BookPricesSet)
    case activityRecorded(ActivityRecorded)
    case productionOrderReported(ProductionOrderReported)
    case inventoryMoved(InventoryMoved)
    case stockSnapshot(StockSnapshot)
    case dealerStockSnapshot(DealerStockSnapshot)
    case sellThroughRecorded(SellThroughRecorded)
    case shipmentCreated(ShipmentCreated)
    case shipmentVehicleAssigned(ShipmentVehicleAssigned)
    case shipmentDispatched(ShipmentDispatched)
    case shipmentEtaReported(ShipmentEtaReported)
    case shipmentArrived(ShipmentArrived)
    case shipmentDelivered(ShipmentDelivered)
    case shipmentException(ShipmentException)
    case vehicleRegistered(VehicleRegistered)
    case vehiclePosition(VehicleFix)
    case terminalAuthorised(TerminalAuthorised)
    case vehicleLocateRequested(VehicleLocateRequested)
    case terminalConnected(TerminalConnected)
    case terminalDisconnected(TerminalDisconnected)
    case gatewayStarted(GatewayStarted)
    case serviceRecordCreated(ServiceRecordCreated)
    case authenticityScanned(AuthenticityScanned)
    case authenticityFlagged(AuthenticityFlagged)
    case auditRecorded(AuditRecorded)
    case scorecardPublished(ScorecardPublished)
    case forecastPublished(ForecastPublished)
    case announcementPublished(AnnouncementPublished)
    case announcementWithdrawn(AnnouncementWithdrawn)
    case announcementRead(AnnouncementReceipt)
    case announcementAcknowledged(AnnouncementReceipt)
    case ticketOpened(TicketOpened)
    case ticketAssigned(TicketAssigned)
    case ticketReplied(TicketReplied)
    case ticketClosed(TicketClosed)
    case ticketReopened(TicketReopened)
    case surveyPublished(SurveyPublished)
    case surveyClosed(SurveyClosed)
    case surveyResponded(SurveyResponded)
    /// The data of an event type this build does not know (a newer producer's): kept as JSON, so it
    /// is passed on unchanged rather than lost or failed.
    case unknown(type: String, json: JSONValue)

    /// The kind, `nil` for an unknown type.
    public var kind: EventKind? { parts?.kind }

    /// The envelope's `type`.
    public var type: String {
        if case .unknown(let type, _) = self { return type }
        return parts?.kind.type ?? ""
    }

    /// The payload as its struct, for writing it out; `nil` for an unknown type.
    public var payload: (any CanonicalPayload)? { parts?.payload }

    /// Reads the data of an event of `type` from its JSON; an unknown type keeps the JSON.
    public static func decode(type: String, from json: JSONValue) throws -> EventData {
        guard let kind = EventKind(rawValue: type) else { return .unknown(type: type, json: json) }
        return try decode(kind, with: JSONValuePayloadReader(json: json))
    }

    /// Reads the data of a `kind` of event with `reader`, which is asked for the kind's struct.
    public static func decode(_ kind: EventKind, with reader: some PayloadReader) throws -> EventData {
        func read<Payload: CanonicalPayload>() throws -> Payload { try reader.read(Payload.self) }
        return switch kind {
        case .dealerUpserted: .dealerUpserted(try read())
        case .dealerCreditLimitSet: .dealerCreditLimitSet(try read())
        case .dealerRiskReviewed: .dealerRiskReviewed(try read())
        case .permissionGroupUpserted: .permissionGroupUpserted(try read())
        case .materialUpserted: .materialUpserted(try read())
        case .priceListUpserted: .priceListUpserted(try read())
        case .warehouseUpserted: .warehouseUpserted(try read())
        case .contractUpserted: .contractUpserted(try read())
        case .fundPosted: .fundPosted(try read())
        case .invoicePosted: .invoicePosted(try read())
        case .invoiceCleared: .invoiceCleared(try read())
        case .orderSubmit: .orderSubmit(try read())
        case .orderCancel: .orderCancel(try read())
        case .orderConfirmReceipt: .orderConfirmReceipt(try read())
        case .orderRate: .orderRate(try read())
        case .orderSubmitted: .orderSubmitted(try read())
        case .orderAccepted: .orderAccepted(try read())
        case .orderRejected: .orderRejected(try read())
        case .orderConfirmed: .orderConfirmed(try read())
        case .orderScheduled: .orderScheduled(try read())
        case .orderProduced: .orderProduced(try read())
        case .orderAllocated: .orderAllocated(try read())
        case .orderDispatched: .orderDispatched(try read())
        case .orderDelivered: .orderDelivered(try read())
        case .orderReceived: .orderReceived(try read())
        case .orderRated: .orderRated(try read())
        case .orderCancelled: .orderCancelled(try read())
        case .orderView: .orderView(try read())
        case .tier2OrderSubmitted: .tier2OrderSubmitted(try read())
        case .tier2OrderCancelled: .tier2OrderCancelled(try read())
        case .tier2OrderAccepted: .tier2OrderAccepted(try read())
        case .tier2OrderRejected: .tier2OrderRejected(try read())
        case .tier2OrderReceived: .tier2OrderReceived(try read())
        case .deliveryNoteIssued: .deliveryNoteIssued(try read())
        case .bookEntryRecorded: .bookEntryRecorded(try read())
        case .bookSettingsSet: .bookSettingsSet(try read())
        case .bookPricesSet: .bookPricesSet(try read())
        case .activityRecorded: .activityRecorded(try read())
        case .productionOrderReported: .productionOrderReported(try read())
        case .inventoryMoved: .inventoryMoved(try read())
        case .stockSnapshot: .stockSnapshot(try read())
        case .dealerStockSnapshot: .dealerStockSnapshot(try read())
        case .sellThroughRecorded: .sellThroughRecorded(try read())
        case .shipmentCreated: .shipmentCreated(try read())
        case .shipmentVehicleAssigned: .shipmentVehicleAssigned(try read())
        case .shipmentDispatched: .shipmentDispatched(try read())
        case .shipmentEtaReported: .shipmentEtaReported(try read())
        case .shipmentArrived: .shipmentArrived(try read())
        case .shipmentDelivered: .shipmentDelivered(try read())
        case .shipmentException: .shipmentException(try read())
        case .vehicleRegistered: .vehicleRegistered(try read())
        case .vehiclePosition: .vehiclePosition(try read())
        case .terminalAuthorised: .terminalAuthorised(try read())
        case .vehicleLocateRequested: .vehicleLocateRequested(try read())
        case .terminalConnected: .terminalConnected(try read())
        case .terminalDisconnected: .terminalDisconnected(try read())
        case .gatewayStarted: .gatewayStarted(try read())
        case .serviceRecordCreated: .serviceRecordCreated(try read())
        case .authenticityScanned: .authenticityScanned(try read())
        case .authenticityFlagged: .authenticityFlagged(try read())
        case .auditRecorded: .auditRecorded(try read())
        case .scorecardPublished: .scorecardPublished(try read())
        case .forecastPublished: .forecastPublished(try read())
        case .announcementPublished: .announcementPublished(try read())
        case .announcementWithdrawn: .announcementWithdrawn(try read())
        case .announcementRead: .announcementRead(try read())
        case .announcementAcknowledged: .announcementAcknowledged(try read())
        case .ticketOpened: .ticketOpened(try read())
        case .ticketAssigned: .ticketAssigned(try read())
        case .ticketReplied: .ticketReplied(try read())
        case .ticketClosed: .ticketClosed(try read())
        case .ticketReopened: .ticketReopened(try read())
        case .surveyPublished: .surveyPublished(try read())
        case .surveyClosed: .surveyClosed(try read())
        case .surveyResponded: .surveyResponded(try read())
        }
    }

    private var parts: (kind: EventKind, payload: any CanonicalPayload)? {
        switch self {
        case .dealerUpserted(let payload): (.dealerUpserted, payload)
        case .dealerCreditLimitSet(let payload): (.dealerCreditLimitSet, payload)
        case .dealerRiskReviewed(let payload): (.dealerRiskReviewed, payload)
        case .permissionGroupUpserted(let payload): (.permissionGroupUpserted, payload)
        case .materialUpserted(let payload): (.materialUpserted, payload)
        case .priceListUpserted(let payload): (.priceListUpserted, payload)
        case .warehouseUpserted(let payload): (.warehouseUpserted, payload)
        case .contractUpserted(let payload): (.contractUpserted, payload)
        case .fundPosted(let payload): (.fundPosted, payload)
        case .invoicePosted(let payload): (.invoicePosted, payload)
        case .invoiceCleared(let payload): (.invoiceCleared, payload)
        case .orderSubmit(let payload): (.orderSubmit, payload)
        case .orderCancel(let payload): (.orderCancel, payload)
        case .orderConfirmReceipt(let payload): (.orderConfirmReceipt, payload)
        case .orderRate(let payload): (.orderRate, payload)
        case .orderSubmitted(let payload): (.orderSubmitted, payload)
        case .orderAccepted(let payload): (.orderAccepted, payload)
        case .orderRejected(let payload): (.orderRejected, payload)
        case .orderConfirmed(let payload): (.orderConfirmed, payload)
        case .orderScheduled(let payload): (.orderScheduled, payload)
        case .orderProduced(let payload): (.orderProduced, payload)
        case .orderAllocated(let payload): (.orderAllocated, payload)
        case .orderDispatched(let payload): (.orderDispatched, payload)
        case .orderDelivered(let payload): (.orderDelivered, payload)
        case .orderReceived(let payload): (.orderReceived, payload)
        case .orderRated(let payload): (.orderRated, payload)
        case .orderCancelled(let payload): (.orderCancelled, payload)
        case .orderView(let payload): (.orderView, payload)
        case .tier2OrderSubmitted(let payload): (.tier2OrderSubmitted, payload)
        case .tier2OrderCancelled(let payload): (.tier2OrderCancelled, payload)
        case .tier2OrderAccepted(let payload): (.tier2OrderAccepted, payload)
        case .tier2OrderRejected(let payload): (.tier2OrderRejected, payload)
        case .tier2OrderReceived(let payload): (.tier2OrderReceived, payload)
        case .deliveryNoteIssued(let payload): (.deliveryNoteIssued, payload)
        case .bookEntryRecorded(let payload): (.bookEntryRecorded, payload)
        case .bookSettingsSet(let payload): (.bookSettingsSet, payload)
        case .bookPricesSet(let payload): (.bookPricesSet, payload)
        case .activityRecorded(let payload): (.activityRecorded, payload)
        case .productionOrderReported(let payload): (.productionOrderReported, payload)
        case .inventoryMoved(let payload): (.inventoryMoved, payload)
        case .stockSnapshot(let payload): (.stockSnapshot, payload)
        case .dealerStockSnapshot(let payload): (.dealerStockSnapshot, payload)
        case .sellThroughRecorded(let payload): (.sellThroughRecorded, payload)
        case .shipmentCreated(let payload): (.shipmentCreated, payload)
        case .shipmentVehicleAssigned(let payload): (.shipmentVehicleAssigned, payload)
        case .shipmentDispatched(let payload): (.shipmentDispatched, payload)
        case .shipmentEtaReported(let payload): (.shipmentEtaReported, payload)
        case .shipmentArrived(let payload): (.shipmentArrived, payload)
        case .shipmentDelivered(let payload): (.shipmentDelivered, payload)
        case .shipmentException(let payload): (.shipmentException, payload)
        case .vehicleRegistered(let payload): (.vehicleRegistered, payload)
        case .vehiclePosition(let payload): (.vehiclePosition, payload)
        case .terminalAuthorised(let payload): (.terminalAuthorised, payload)
        case .vehicleLocateRequested(let payload): (.vehicleLocateRequested, payload)
        case .terminalConnected(let payload): (.terminalConnected, payload)
        case .terminalDisconnected(let payload): (.terminalDisconnected, payload)
        case .gatewayStarted(let payload): (.gatewayStarted, payload)
        case .serviceRecordCreated(let payload): (.serviceRecordCreated, payload)
        case .authenticityScanned(let payload): (.authenticityScanned, payload)
        case .authenticityFlagged(let payload): (.authenticityFlagged, payload)
        case .auditRecorded(let payload): (.auditRecorded, payload)
        case .scorecardPublished(let payload): (.scorecardPublished, payload)
        case .forecastPublished(let payload): (.forecastPublished, payload)
        case .announcementPublished(let payload): (.announcementPublished, payload)
        case .announcementWithdrawn(let payload): (.announcementWithdrawn, payload)
        case .announcementRead(let payload): (.announcementRead, payload)
        case .announcementAcknowledged(let payload): (.announcementAcknowledged, payload)
        case .ticketOpened(let payload): (.ticketOpened, payload)
        case .ticketAssigned(let payload): (.ticketAssigned, payload)
        case .ticketReplied(let payload): (.ticketReplied, payload)
        case .ticketClosed(let payload): (.ticketClosed, payload)
        case .ticketReopened(let payload): (.ticketReopened, payload)
        case .surveyPublished(let payload): (.surveyPublished, payload)
        case .surveyClosed(let payload): (.surveyClosed, payload)
        case .surveyResponded(let payload): (.surveyResponded, payload)
        case .unknown: nil
        }
    }
}

/// Reads a payload as the struct it is asked for: how ``EventData/decode(_:with:)`` gets at the
/// data, whether from parsed JSON (the hub) or from bytes (a benchmark's other decoder).
public protocol PayloadReader {
    func read<Payload: CanonicalPayload>(_ type: Payload.Type) throws -> Payload
}

/// Reads payloads from parsed JSON.
struct JSONValuePayloadReader: PayloadReader {
    let json: JSONValue
    func read<Payload: CanonicalPayload>(_ type: Payload.Type) throws -> Payload { try JSONValueDecoder.decode(type, from: json) }
}

extension EventData {
    /// The payload when it is a `Payload`, for a reader that expects one struct whatever the kind
    /// (a test, a report); the hub's own rules switch over the cases instead.
    public func payload<Payload: CanonicalPayload>(as type: Payload.Type) -> Payload? {
        payload as? Payload
    }
}
