import Foundation
public import HubContracts

/// The carrier adapter's topics (configurable, so tests and staging can use their own).
public struct CarrierTopics: Sendable {
    public var events = TopicName.Carrier.shipmentEvents
    public var jt808 = TopicName.Carrier.jt808
    public var vehicles = TopicName.vehicles
    public var shipments = TopicName.shipments
    public var positions = TopicName.vehiclePositions
    public var deadLetters = TopicName.Carrier.deadLetters

    public init() {}
}

/// The carrier adapter's JSON path: carrier platforms' shipment events on
/// `carrier.in.shipment-events` to `hub.vehicles` (registrations), `hub.shipments` and
/// `hub.vehicles.positions`. Each message is checked against the catalogue's schema first (the
/// reason names the field); times with an offset or in UTC+8 become UTC.
public struct CarrierEventsMapping: AdapterMapping {
    public let name = "carrier-events"
    public let inputTopics: [String]
    public let deadLetterTopic: String
    private let catalogue: TopicCatalogue
    private let topics: CarrierTopics

    public init(catalogue: TopicCatalogue, topics: CarrierTopics = CarrierTopics()) {
        self.catalogue = catalogue
        self.topics = topics
        self.inputTopics = [topics.events]
        self.deadLetterTopic = topics.deadLetters
    }

    public func map(_ record: RawRecord) -> MappingResult {
        guard let value = record.value, !value.isEmpty else { return .rejected("empty message: one JSON carrier event is expected") }
        let json: JSONValue
        switch CatalogueJSON.read(value, topic: TopicName.Carrier.shipmentEvents, catalogue: catalogue) {
        case .success(let value): json = value
        case .failure(let problem): return .rejected(problem.reason)
        }
        guard let type = json["type"]?.stringValue, let carrierId = json["carrierId"]?.stringValue, let timeText = json["time"]?.stringValue else {
            return .rejected("type, carrierId and time are required")
        }
        guard let time = CarrierTime.parse(timeText) else {
            return .rejected("time \"\(timeText)\" is neither RFC 3339 with an offset nor yyyy-MM-dd HH:mm:ss (UTC+8)")
        }
        let shipmentId = json["shipmentId"]?.stringValue
        let vehicle = json["vehicle"]
        func event(_ topic: String, _ key: String, _ data: EventData) -> MappingResult {
            let id = record.eventId(0)
            let envelope = CanonicalEvent(id: id, source: EventProducer.carrierAdapter, occurredAt: time, subject: key, data: data)
            guard let bytes = try? envelope.encoded() else { return .rejected("\(data.type) could not be encoded") }
            return MappingResult(events: [MappedEvent(topic: topic, key: key, id: id, value: bytes)])
        }
        func needShipment() -> String? { shipmentId }
        switch type {
        case "vehicle.registered":
            guard let vehicleId = vehicle?["vehicleId"]?.stringValue, let plate = vehicle?["plate"]?.stringValue,
                  let terminal = vehicle?["terminalId"]?.stringValue else {
                return .rejected("vehicle.registered needs vehicle.vehicleId, vehicle.plate and vehicle.terminalId")
            }
            return event(topics.vehicles, vehicleId, .vehicleRegistered(VehicleRegistered(vehicleId: vehicleId, carrierId: carrierId, plate: plate, terminalId: terminal)))
        case "shipment.created":
            // Usually the ERP's delivery (DELVRY07) creates the shipment. A carrier's waybill that
            // names where it loads and whom it delivers to creates (or completes) it too — with the
            // consignee's position, which lets the hub estimate arrival itself.
            guard json["origin"] != nil || json["destination"] != nil else {
                return .skip("shipment.created without origin and destination: the ERP's delivery creates the shipment")
            }
            guard let shipmentId = needShipment() else { return .rejected("shipment.created needs shipmentId") }
            guard let orders = json["orders"]?.arrayValue?.compactMap(\.stringValue), !orders.isEmpty else {
                return .rejected("shipment.created needs orders (the hub order ids it carries)")
            }
            guard let warehouse = json["origin"]?["warehouseId"]?.stringValue else { return .rejected("shipment.created needs origin.warehouseId") }
            guard let destination = json["destination"], let dealer = destination["dealerId"]?.stringValue, let province = destination["province"]?.stringValue else {
                return .rejected("shipment.created needs destination.dealerId and destination.province")
            }
            var position: GeoPosition?
            if let lat = destination["position"]?["lat"]?.doubleValue, let lon = destination["position"]?["lon"]?.doubleValue { position = GeoPosition(lat: lat, lon: lon) }
            return event(topics.shipments, shipmentId, .shipmentCreated(ShipmentCreated(
                shipmentId: shipmentId, carrierId: carrierId, orderIds: orders, deliveryNumber: json["deliveryNumber"]?.stringValue, originWarehouseId: warehouse,
                destination: .init(dealerId: dealer, region: Region(province: province, city: destination["city"]?.stringValue, address: destination["address"]?.stringValue),
                                   position: position))))
        case "shipment.assigned":
            guard let shipmentId = needShipment() else { return .rejected("shipment.assigned needs shipmentId") }
            guard let vehicleId = vehicle?["vehicleId"]?.stringValue, let plate = vehicle?["plate"]?.stringValue,
                  let driver = json["driver"]?["name"]?.stringValue, let phone = json["driver"]?["phone"]?.stringValue else {
                return .rejected("shipment.assigned needs vehicle.vehicleId, vehicle.plate, driver.name and driver.phone")
            }
            return event(topics.shipments, shipmentId, .shipmentVehicleAssigned(ShipmentVehicleAssigned(shipmentId: shipmentId, vehicleId: vehicleId, plate: plate, driverName: driver, driverPhone: phone, carrierId: carrierId)))
        case "shipment.dispatched":
            guard let shipmentId = needShipment() else { return .rejected("shipment.dispatched needs shipmentId") }
            return event(topics.shipments, shipmentId, .shipmentDispatched(ShipmentDispatched(shipmentId: shipmentId, dispatchedAt: time, carrierId: carrierId)))
        case "shipment.eta":
            guard let shipmentId = needShipment() else { return .rejected("shipment.eta needs shipmentId") }
            guard let etaText = json["eta"]?.stringValue, let eta = CarrierTime.parse(etaText) else { return .rejected("shipment.eta needs an eta time") }
            return event(topics.shipments, shipmentId, .shipmentEtaReported(ShipmentEtaReported(shipmentId: shipmentId, eta: eta, reportedBy: .carrier, carrierId: carrierId)))
        case "shipment.arrived":
            guard let shipmentId = needShipment() else { return .rejected("shipment.arrived needs shipmentId") }
            return event(topics.shipments, shipmentId, .shipmentArrived(ShipmentArrived(shipmentId: shipmentId, arrivedAt: time, carrierId: carrierId)))
        case "shipment.delivered":
            guard let shipmentId = needShipment() else { return .rejected("shipment.delivered needs shipmentId") }
            return event(topics.shipments, shipmentId, .shipmentDelivered(ShipmentDelivered(shipmentId: shipmentId, deliveredAt: time, carrierId: carrierId)))
        case "shipment.exception":
            guard let shipmentId = needShipment() else { return .rejected("shipment.exception needs shipmentId") }
            guard let code = json["exception"]?["code"]?.stringValue else { return .rejected("shipment.exception needs exception.code") }
            return event(topics.shipments, shipmentId, .shipmentException(ShipmentException(shipmentId: shipmentId, code: ShipmentExceptionCode(rawValue: code),
                                           description: json["exception"]?["description"]?.stringValue ?? code, at: time, carrierId: carrierId)))
        case "vehicle.position":
            guard let vehicleId = vehicle?["vehicleId"]?.stringValue, let lat = json["position"]?["lat"]?.doubleValue,
                  let lon = json["position"]?["lon"]?.doubleValue else {
                return .rejected("vehicle.position needs vehicle.vehicleId and position.lat/lon")
            }
            let fix = VehicleFix(vehicleId: vehicleId, fixAt: time, lat: lat, lon: lon, speedKmh: json["speedKmh"]?.doubleValue ?? 0, heading: 0, source: .carrierJSON, carrierId: carrierId)
            return event(topics.positions, vehicleId, .vehiclePosition(fix))
        default:
            return .rejected("event type \(type) is not one a carrier sends")
        }
    }
}
