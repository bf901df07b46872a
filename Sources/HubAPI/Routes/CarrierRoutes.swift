import Foundation
import HubContracts
import HubMessaging
import HubStore
import Hummingbird
import Kafka

/// Carriers' batch uploads: shipment events and positions land on `carrier.in.shipment-events`
/// exactly as a carrier's platform would send them, and the carrier adapter maps them like
/// everything else. Each item is checked against the topic's schema and must be the calling
/// carrier's own; a batch is taken whole or refused whole (422 naming every bad item).
enum CarrierRoutes {
    static let maxBatch = 1_000
    /// How far ahead of the hub's clock a fix's time may be (the core refuses the same beyond its margin).
    static let futureMargin: TimeInterval = 300

    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.post("carrier/events") { request, context in
            let carrierId = try carrier(context)
            let body = try await RequestFields.body(of: request, context: context)
            guard body.keys.allSatisfy({ $0 == "events" }), let items = body["events"]?.arrayValue else {
                throw APIProblem.unprocessable("the body is {\"events\": [ … ]}: carrier events as carrier.in.shipment-events defines them")
            }
            let messages = try Self.messages(items.map { $0 }, carrierId: carrierId, catalogue: services.commands.catalogue,
                                             topic: services.commands.topics.carrierEvents)
            try await services.commands.sendRaw(messages)
            return APIResponse.json(.accepted, ["accepted": messages.count, "topic": TopicName.Carrier.shipmentEvents])
        }
        router.post("vehicles/:vehicleId/locate") { _, context in try await locate(context, services) }
        router.post("carrier/positions") { request, context in
            let carrierId = try carrier(context)
            var fields = RequestFields(try await RequestFields.body(of: request, context: context))
            fields.allowOnly(["positions"])
            var events: [JSONValue] = []
            for var position in fields.objects("positions", required: true, count: 1...maxBatch) {
                position.allowOnly(["vehicleId", "time", "lat", "lon", "speedKmh"])
                let vehicle = position.identifier("vehicleId", required: true)
                let time = position.timestamp("time", required: true)
                if let time, time.date > Date().addingTimeInterval(Self.futureMargin) {
                    position.fail("time", "\(time.text) is ahead of the hub's clock by more than \(Int(Self.futureMargin)) s: a fix cannot come from the future")
                }
                let lat = position.number("lat", required: true, range: -90...90)
                let lon = position.number("lon", required: true, range: -180...180)
                let speed = position.number("speedKmh", range: 0...400)
                fields.absorb(position)
                guard let vehicle, let time, let lat, let lon else { continue }
                var event: [String: JSONValue] = [
                    "eventId": .string("\(carrierId):pos:\(vehicle):\(time.text)"), "carrierId": .string(carrierId), "type": .string("vehicle.position"),
                    "vehicle": .object(["vehicleId": .string(vehicle)]), "time": .string(time.text),
                    "position": .object(["lat": .number(String(lat)), "lon": .number(String(lon))]),
                ]
                if let speed { event["speedKmh"] = .number(String(speed)) }
                events.append(.object(event))
            }
            try fields.check("position upload")
            let messages = try Self.messages(events, carrierId: carrierId, catalogue: services.commands.catalogue, topic: services.commands.topics.carrierEvents)
            try await services.commands.sendRaw(messages)
            return APIResponse.json(.accepted, ["accepted": messages.count, "topic": TopicName.Carrier.shipmentEvents])
        }
    }

    /// `POST /v1/vehicles/{vehicleId}/locate`: "where is this truck now" — a position query through
    /// the JT/T 808 gateway the truck's terminal is connected to (`vehicle.locate-requested` on
    /// `hub.terminal-commands`); its answer arrives as a position like any other. A carrier's own
    /// vehicles only: another carrier's, like one nobody registered, is not found.
    static func locate(_ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        guard principal.role == .carrier, let carrierId = principal.carrierId else { throw APIProblem.forbidden("only a carrier asks its trucks where they are") }
        let vehicleId = try MasterDataRoutes.pathId(context, "vehicleId")
        let registration = try await services.database.read { reader throws(StoreError) in try reader.shipmentBoard.registration(of: vehicleId) }
        guard let registration, registration.carrierId == carrierId else { throw APIProblem.notFound("vehicle \(vehicleId) (not one of carrier \(carrierId)'s)") }
        let now = services.now()
        let requestId = services.identifier("LOC")
        let event = CanonicalEvent(id: requestId, source: "api", occurredAt: now, subject: vehicleId, data: .vehicleLocateRequested(
            VehicleLocateRequested(vehicleId: vehicleId, carrierId: carrierId, terminalId: registration.terminalId, requestedBy: principal.subject)))
        try await services.commands.publish(event, topic: services.commands.topics.terminalCommands, key: vehicleId, catalogueTopic: TopicName.terminalCommands)
        return APIResponse.json(.accepted, ["requestId": requestId, "vehicleId": vehicleId, "terminalId": registration.terminalId, "topic": TopicName.terminalCommands])
    }

    static func carrier(_ context: APIRequestContext) throws(APIProblem) -> String {
        let principal = try context.caller()
        guard principal.role == .carrier, let carrierId = principal.carrierId else { throw APIProblem.forbidden("only carriers upload shipment events and positions") }
        return carrierId
    }

    /// The Kafka messages for a batch, keyed as carriers key them (shipment, else vehicle), or 422 naming every bad item.
    static func messages(_ items: [JSONValue], carrierId: String, catalogue: TopicCatalogue, topic: String) throws(APIProblem) -> [KafkaProducerMessage] {
        guard (1...maxBatch).contains(items.count) else { throw APIProblem.unprocessable("a batch holds 1 to \(maxBatch) items (this has \(items.count))") }
        var issues: [String] = []
        var messages: [KafkaProducerMessage] = []
        for (index, item) in items.enumerated() {
            let bytes = Array(item.description.utf8)
            if case .invalid(let problems) = catalogue.validate(topic: TopicName.Carrier.shipmentEvents, value: bytes) {
                issues += problems.map { "[\(index)]\($0.path.isEmpty ? "" : ".")\($0.path): \($0.reason)" }
                continue
            }
            guard item["carrierId"]?.stringValue == carrierId else {
                issues.append("[\(index)].carrierId: must be your carrier id \(carrierId)")
                continue
            }
            let key = item["shipmentId"]?.stringValue ?? item["vehicle"]?["vehicleId"]?.stringValue ?? carrierId
            messages.append(KafkaProducerMessage(topic: topic, key: Array(key.utf8), value: bytes))
        }
        if !issues.isEmpty { throw APIProblem.unprocessable("\(issues.count) problem\(issues.count == 1 ? "" : "s") in the batch; nothing was taken", issues: issues) }
        return messages
    }
}
