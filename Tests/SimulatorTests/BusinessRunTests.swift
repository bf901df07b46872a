import Adapters
import WireFormats
import Foundation
import HubContracts
import Simulator
import Testing

/// The business run's pure parts: trucks carrying a delivery and the field's data, each message
/// mapped by the hub's own adapter as it would be on the broker.
@Suite("simulator: the business")
struct BusinessRunTests {
    static let company = Company.generate(seed: 11, tier1: 30, tier2: 60, materials: 60)

    /// Maps messages as the carrier adapter's two workers do; every refusal is recorded.
    struct CarrierAdapter {
        let events: any AdapterMapping
        let frames: any AdapterMapping
        var offset: Int64 = 0
        var refusals: [String] = []

        init(fleet: Fleet) {
            events = CheckedMapping(CarrierEventsMapping(catalogue: CompanyTests.catalogue), catalogue: CompanyTests.catalogue)
            frames = JT808Mapping(registry: TerminalRegistry(Dictionary(uniqueKeysWithValues: fleet.trucks.map { ($0.terminal, $0.vehicleId) })))
        }

        mutating func map(_ messages: [ERPDocuments.Message]) throws -> [CanonicalEvent] {
            var out: [CanonicalEvent] = []
            for message in messages {
                offset += 1
                let mapping = message.topic == "carrier.in.jt808" ? frames : events
                let result = mapping.map(RawRecord(topic: message.topic, partition: 0, offset: offset, key: Array(message.key.utf8), value: message.value))
                refusals += result.rejections.map { "\(message.topic): \($0.reason)" }
                out += try result.events.map { try CanonicalEvent.decode($0.value) }
            }
            return out
        }
    }

    func shipment(to dealer: Company.Dealer, carrier: String, id: String) -> ShipmentOrder {
        ShipmentOrder(shipmentId: id, orderId: "O-" + id, dealerId: dealer.dealerId, carrierId: carrier, plant: Self.company.branches[dealer.branch].plants[0],
                      promisedDate: ChinaTime.day(Date(timeIntervalSince1970: 1_796_000_000), plus: 1), destination: Geography.position(ofDealer: dealer))
    }

    @Test("a truck of the shipment's carrier is assigned, dispatched, reports its way from the plant to the dealer, arrives and delivers; the adapter maps all of it")
    func truckDeliversAShipment() throws {
        let fleet = Fleet.generate(company: Self.company, vehicles: 240)
        // Both kinds of reporting: a JT/T 808 carrier and a JSON one.
        for carrier in ["CAR-03", Fleet.carrierId(Fleet.firstJSONCarrier + 1)] {
            let dealer = try #require(Self.company.tier1.first { Self.company.branches[$0.branch].id == "BR-EAST" && $0.city != "上海" })
            var settings = Dispatcher.Settings()
            settings.minimumTripSeconds = 30
            settings.fixInterval = 5
            var clock = Date(timeIntervalSince1970: 1_796_000_000)
            var dispatcher = Dispatcher(company: Self.company, fleet: fleet, settings: settings, run: "T", start: clock)
            var adapter = CarrierAdapter(fleet: fleet)
            let registered = try adapter.map(dispatcher.registrations(at: clock))
            #expect(registered.count == fleet.trucks.count && registered.allSatisfy { $0.type == "vehicle.registered" })

            let order = shipment(to: dealer, carrier: carrier, id: "SH-T-\(carrier)")
            dispatcher.add(order)
            var shipmentEvents: [CanonicalEvent] = []
            var fixes: [VehicleFix] = []
            var delivered: [ShipmentOrder] = []
            for _ in 0..<600 where delivered.isEmpty {
                let mapped = try adapter.map(dispatcher.tick(now: clock))
                shipmentEvents += mapped.filter { $0.subject == order.shipmentId }
                fixes += mapped.compactMap { $0.data.payload(as: VehicleFix.self) }
                delivered += dispatcher.takeDelivered()
                clock += 1
            }
            #expect(adapter.refusals.isEmpty, "\(adapter.refusals)")
            #expect(delivered == [order])
            let types = shipmentEvents.map(\.type)
            #expect(types.first == "shipment.vehicle-assigned" && types.last == "shipment.delivered", "\(types)")
            for (earlier, later) in [("shipment.vehicle-assigned", "shipment.dispatched"), ("shipment.dispatched", "shipment.arrived"), ("shipment.arrived", "shipment.delivered")] {
                #expect((types.firstIndex(of: earlier) ?? .max) < (types.firstIndex(of: later) ?? -1), "\(types)")
            }
            let assigned = try #require(shipmentEvents.first?.data.payload(as: ShipmentVehicleAssigned.self))
            let truck = try #require(fleet.trucks.first { $0.vehicleId == assigned.vehicleId })
            #expect(truck.carrierId == carrier && truck.homePlant == order.plant)

            // The truck's fixes lead from its plant to the dealer, each nearer than the one before.
            let trip = fixes.filter { $0.vehicleId == truck.vehicleId && $0.speedKmh > 0 }
            let plant = Geography.position(ofPlant: order.plant, in: Self.company)
            let distances = trip.map { Geography.distanceKm(Geography.Point(lat: $0.lat, lon: $0.lon), order.destination) }
            #expect(trip.count >= 3)
            #expect(zip(distances, distances.dropFirst()).allSatisfy { $0 >= $1 - 0.01 }, "\(distances)")
            #expect(Geography.distanceKm(plant, order.destination) > 20)
            let last = try #require(fixes.last { $0.vehicleId == truck.vehicleId })
            #expect(Geography.distanceKm(Geography.Point(lat: last.lat, lon: last.lon), order.destination) < 0.5)
        }
    }

    @Test("a truck that breaks down reports the exception and an ETA after the promised day")
    func breakdownMakesItLate() throws {
        let fleet = Fleet.generate(company: Self.company, vehicles: 200)
        let dealer = Self.company.tier1[0]
        // Which shipments break down is decided by their id: find one.
        var clock = Date(timeIntervalSince1970: 1_796_000_000)
        var dispatcher = Dispatcher(company: Self.company, fleet: fleet, run: "B", start: clock)
        var adapter = CarrierAdapter(fleet: fleet)
        _ = try adapter.map(dispatcher.registrations(at: clock))
        for number in 0..<200 { dispatcher.add(shipment(to: dealer, carrier: Fleet.carrierId(number % 20 + 1), id: "SH-B-\(number)")) }
        var events: [CanonicalEvent] = []
        for _ in 0..<900 {
            events += try adapter.map(dispatcher.tick(now: clock))
            clock += 1
        }
        #expect(adapter.refusals.isEmpty, "\(adapter.refusals)")
        let exceptions = events.compactMap { $0.data.payload(as: ShipmentException.self) }
        #expect(!exceptions.isEmpty && exceptions.count < 40)
        #expect(dispatcher.counts.breakdowns == exceptions.count)
        let promisedEnd = try #require(Timestamp(parsing: "2026-12-01T16:00:00Z"))
        for exception in exceptions {
            let etas = events.compactMap { $0.data.payload(as: ShipmentEtaReported.self) }.filter { $0.shipmentId == exception.shipmentId }
            #expect(etas.last.map { $0.eta > promisedEnd } == true, "\(exception.shipmentId): \(etas.map(\.eta))")
        }
    }

    @Test("service records, scans, sell-through and stock snapshots map without a refusal; the malformed ones are refused")
    func fieldDataMaps() throws {
        var field = FieldMessages(company: Self.company)
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        var messages: [ERPDocuments.Message] = []
        for _ in 0..<60 {
            messages += [field.serviceRecord(at: now), field.scan(at: now), field.sellThrough(at: now), field.stockSnapshot(at: now)]
        }
        let dealers = Self.company.dealers.map { dealer in
            DealerUpserted(dealerId: dealer.dealerId, name: dealer.name, tier: dealer.tier, branchId: Self.company.branches[dealer.branch].id,
                           region: Region(province: IDocValues.province(region: dealer.province) ?? dealer.province, city: dealer.city),
                           productLines: [], permissionGroupIds: [], status: .active)
        }
        let mappings: [String: any AdapterMapping] = [
            "abs.in.service-records": try #require(HubAdapters.mapping(named: "abs", catalogue: CompanyTests.catalogue)),
            "anticounterfeit.in.scans": try #require(HubAdapters.mapping(named: "anticounterfeit", catalogue: CompanyTests.catalogue, dealers: DealerDirectory(dealers))),
            "dealer.in.sell-through": try #require(HubAdapters.mapping(named: "dealer", catalogue: CompanyTests.catalogue)),
            "dealer.in.stock-snapshots": try #require(HubAdapters.mapping(named: "dealer", catalogue: CompanyTests.catalogue)),
        ]
        var types: [String: Int] = [:]
        for (offset, message) in messages.enumerated() {
            let mapping = try #require(mappings[message.topic])
            let record = RawRecord(topic: message.topic, partition: 0, offset: Int64(offset), key: Array(message.key.utf8), value: message.value)
            let result = mapping.map(record)
            #expect(result.rejections.isEmpty, "\(message.topic): \(result.rejections.map(\.reason))")
            for event in result.events { types[try CanonicalEvent.decode(event.value).type, default: 0] += 1 }
            for kind in 0..<3 {
                let broken = FieldMessages.malformed(message, kind: kind)
                let refused = mapping.map(RawRecord(topic: message.topic, partition: 0, offset: Int64(offset), key: Array(broken.key.utf8), value: broken.value))
                #expect(!refused.rejections.isEmpty && refused.events.isEmpty, "kind \(kind) of \(message.topic) was mapped: \(String(decoding: broken.value, as: UTF8.self))")
            }
        }
        #expect(types["service-record.created"] == 60)
        #expect(types["authenticity.scanned"] == 60)
        #expect((types["authenticity.flagged"] ?? 0) > 0)
        #expect(types["sell-through.recorded"].map { $0 >= 60 } == true)
        #expect(types["dealer-stock.snapshot"].map { $0 >= 60 } == true)
    }

    @Test("dealers order what their product lines allow, each order under its own idempotency key")
    func ordersFollowTheDealersLines() throws {
        var traffic = OrderTraffic(company: Self.company, run: "R")
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        let orders = (0..<300).map { _ in traffic.next(at: now) }
        #expect(Set(orders.map(\.idempotencyKey)).count == orders.count)
        #expect(orders.contains { $0.madeToOrder } && orders.contains { !$0.madeToOrder })
        let dealers = Dictionary(uniqueKeysWithValues: Self.company.tier1.map { ($0.dealerId, $0) })
        let materials = Dictionary(uniqueKeysWithValues: Self.company.materials.map { ($0.number, $0) })
        for order in orders {
            let dealer = try #require(dealers[order.dealerId])
            let body = try #require(try JSONSerialization.jsonObject(with: Data(order.body)) as? [String: Any])
            let lines = try #require(body["lines"] as? [[String: Any]])
            #expect((1...3).contains(lines.count))
            for line in lines {
                let material = try #require(materials[line["materialId"] as? String ?? ""])
                #expect(dealer.channels.contains(material.channel))
                #expect((line["kind"] as? String == "made-to-order") == (line["requestedDate"] != nil))
            }
        }
    }
}
