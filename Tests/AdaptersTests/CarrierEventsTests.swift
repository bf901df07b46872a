import Adapters
import WireFormats
import Foundation
import HubContracts
import Testing

@Suite("carrier adapter: JSON shipment events")
struct CarrierEventsTests {
    static let catalogue = JT808Tests.catalogue
    let mapping = CarrierEventsMapping(catalogue: CarrierEventsTests.catalogue)

    func map(_ example: Int) -> MappingResult {
        let definition = Self.catalogue["carrier.in.shipment-events"]!.examples[example]
        return mapping.map(RawRecord(topic: "carrier.in.shipment-events", partition: 2, offset: 40 + Int64(example), key: definition.key.map { Array($0.utf8) },
                                     value: definition.bytes))
    }

    /// Every event a mapping produces must be valid on its canonical topic.
    func canonical(_ event: MappedEvent) throws -> CanonicalEvent {
        #expect(Self.catalogue.validate(topic: event.topic, value: event.value) == .valid, "\(String(decoding: event.value, as: UTF8.self))")
        return try CanonicalEvent.decode(event.value)
    }

    @Test("the catalogue's examples: assignment in local time, an exception with an offset and an extra field, a registration")
    func golden() throws {
        let assigned = try #require(map(0).events.first)
        #expect(assigned.topic == "hub.shipments" && assigned.key == "SH-88123" && assigned.id == "carrier.in.shipment-events:2:40:0")
        let assignment = try canonical(assigned)
        #expect(assignment.type == "shipment.vehicle-assigned" && assignment.occurredAt.text == "2026-12-03T00:40:00Z", "08:40 in UTC+8")
        let data = try #require(assignment.data.payload(as: ShipmentVehicleAssigned.self))
        #expect(data.plate == "沪A·12345" && data.driverName == "张师傅" && data.driverPhone == "13800138000" && data.vehicleId == "V-CAR07-0042")

        let exception = try canonical(try #require(map(1).events.first))
        let problem = try #require(exception.data.payload(as: ShipmentException.self))
        #expect(problem.code == .breakdown && problem.description == "G2 京沪高速 无锡段 爆胎" && problem.at.text == "2026-12-03T08:10:00Z")

        let registration = try #require(map(2).events.first)
        #expect(registration.topic == "hub.vehicles" && registration.key == "V-CAR07-0042")
        let vehicle = try #require(try canonical(registration).data.payload(as: VehicleRegistered.self))
        #expect(vehicle.terminalId == "013912345678" && vehicle.carrierId == "CAR-07")
        #expect(map(2) == map(2), "the same input gives the same output")
    }

    @Test("rejections name what is wrong; a carrier's waybill with origin and destination creates the shipment, a bare creation is skipped")
    func rejections() throws {
        func reason(_ json: String) -> String? {
            mapping.map(RawRecord(topic: "t", partition: 0, offset: 0, value: Array(json.utf8))).rejections.first?.reason
        }
        #expect(reason("{\"eventId\":\"1\",")?.contains("not JSON") == true)
        #expect(reason(#"{"eventId":"1","carrierId":"C1","type":"shipment.teleported","time":"2026-12-03 08:00:00"}"#)?.contains("type") == true)
        #expect(reason(#"{"eventId":"1","carrierId":"C1","type":"shipment.dispatched","shipmentId":"S1","time":"yesterday"}"#)?.contains("yesterday") == true)
        #expect(reason(#"{"eventId":"1","carrierId":"C1","type":"shipment.assigned","shipmentId":"S1","time":"2026-12-03 08:00:00"}"#)?.contains("driver.name") == true)
        let created = mapping.map(RawRecord(topic: "t", partition: 0, offset: 0, value: Array(#"{"eventId":"1","carrierId":"C1","type":"shipment.created","shipmentId":"S1","orders":["O1"],"time":"2026-12-03 08:00:00"}"#.utf8)))
        #expect(created.skipped != nil && created.rejections.isEmpty && created.events.isEmpty, "no origin or destination: the ERP's delivery creates it")
        #expect(reason(#"{"eventId":"1","carrierId":"C1","type":"shipment.created","shipmentId":"S1","orders":["O1"],"origin":{"warehouseId":"P1"},"destination":{"dealerId":"D1"},"time":"2026-12-03 08:00:00"}"#)?
            .contains("destination.province") == true, "the schema or the mapping names what is missing")
        #expect(reason(#"{"eventId":"1","carrierId":"C1","type":"shipment.created","shipmentId":"S1","origin":{"warehouseId":"P1"},"destination":{"dealerId":"D1","province":"上海"},"time":"2026-12-03 08:00:00"}"#)?
            .contains("orders") == true)
        let waybill = try CanonicalEvent.decode(try #require(map(3).events.first).value)
        let shipment = try #require(waybill.data.payload(as: ShipmentCreated.self))
        #expect(shipment.originWarehouseId == "P1010" && shipment.destination.position == GeoPosition(lat: 31.2035, lon: 121.5914) && shipment.orderIds == ["O-7Q3K9ZP2"])
    }

    @Test("times: offsets, Z, fractions and UTC+8 local time all land on the same instant")
    func times() throws {
        for text in ["2026-12-03 08:40:00", "2026-12-03T08:40:00+08:00", "2026-12-03T00:40:00Z", "2026-12-02T19:40:00-05:00"] {
            let json = #"{"eventId":"1","carrierId":"C1","type":"shipment.arrived","shipmentId":"S1","time":"\#(text)"}"#
            let event = try CanonicalEvent.decode(try #require(mapping.map(RawRecord(topic: "t", partition: 0, offset: 0, value: Array(json.utf8))).events.first).value)
            #expect(event.occurredAt.text == "2026-12-03T00:40:00Z", "\(text)")
        }
    }
}
