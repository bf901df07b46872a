import Foundation
import HubAPI
import HubContracts
import Hummingbird
import HummingbirdTesting
import Kafka
import KafkaTestSupport
import Testing

/// R7 through the API: the carrier's shipment, truck, driver and GPS positions, as the core keeps
/// them from the canonical topics, read back on the order's tracking route.
@Suite("HTTP API: tracking")
struct TrackingRoutesTests {
    @Test("an order's tracking shows its shipment's carrier, plate, driver, phone, dispatch time, latest position and the track since dispatch; after delivery neither position nor phone")
    func tracking() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let submitted = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub, body: #"{"lines":[{"materialId":"M1","quantity":"5"}]}"#)
            let orderId = try #require(submitted["orderId"] as? String)
            let shipment = "SH-\(orderId.dropFirst(2))"
            let vehicle = "V-\(orderId.dropFirst(2))"
            let now = Date()
            func event(_ id: String, _ data: EventData, subject: String, source: String = "adapter-carrier") throws -> [UInt8] {
                try CanonicalEvent(id: "\(id):\(shipment)", source: source, occurredAt: Timestamp(now), subject: subject, data: data).encoded()
            }
            let shipments = hub.prefix + "hub.shipments"
            for (id, data) in [
                ("created", EventData.shipmentCreated(ShipmentCreated(shipmentId: shipment, carrierId: "CAR-07", orderIds: [orderId], originWarehouseId: "WH1",
                                                                      destination: .init(dealerId: "D1", region: Region(province: "上海"), position: GeoPosition(lat: 31.2, lon: 121.6))))),
                ("assigned", .shipmentVehicleAssigned(ShipmentVehicleAssigned(shipmentId: shipment, vehicleId: vehicle, plate: "沪A·12345",
                                                                              driverName: "张师傅", driverPhone: "13800138000"))),
                ("dispatched", .shipmentDispatched(ShipmentDispatched(shipmentId: shipment, dispatchedAt: Timestamp(now.addingTimeInterval(-3600))))),
            ] {
                // The ERP's delivery creates the shipment; the carrier reports the rest.
                let source = id == "created" ? "adapter-erp" : "adapter-carrier"
                try await hub.producer.send(KafkaProducerMessage(topic: shipments, key: Array(shipment.utf8), value: try event(id, data, subject: shipment, source: source)))
            }
            // A fix from before the dispatch (the truck on someone else's goods): not this shipment's track.
            let before = VehicleFix(vehicleId: vehicle, fixAt: Timestamp(now.addingTimeInterval(-7200)), lat: 30.99, lon: 121.4, speedKmh: 0, heading: 0, source: .carrierJSON)
            try await hub.producer.send(KafkaProducerMessage(topic: hub.prefix + "hub.vehicles.positions", key: Array(vehicle.utf8),
                                                             value: try event("fix-before", .vehiclePosition(before), subject: vehicle)))
            for minute in 0..<3 {
                let fix = VehicleFix(vehicleId: vehicle, fixAt: Timestamp(now.addingTimeInterval(Double(minute * 60 - 600))), lat: 31.0 + Double(minute) / 100,
                                     lon: 121.4, speedKmh: 60, heading: 90, source: .carrierJSON)
                try await hub.producer.send(KafkaProducerMessage(topic: hub.prefix + "hub.vehicles.positions", key: Array(vehicle.utf8),
                                                                 value: try event("fix\(minute)", .vehiclePosition(fix), subject: vehicle)))
            }
            let tracked = try await withDeadline(.seconds(30), "the shipment and its three fixes on the tracking route") {
                while true {
                    let answer = try await client.call(.get, "/v1/orders/\(orderId)/tracking", as: APITestHub.d1, hub: hub)
                    if let first = (answer["shipments"] as? [[String: Any]])?.first, (first["track"] as? [Any])?.count == 3, first["dispatchedAt"] != nil {
                        return answer
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            let shipmentView = try #require((tracked["shipments"] as? [[String: Any]])?.first)
            #expect(shipmentView["shipmentId"] as? String == shipment && shipmentView["carrierId"] as? String == "CAR-07")
            #expect(shipmentView["plate"] as? String == "沪A·12345" && shipmentView["driverName"] as? String == "张师傅" && shipmentView["driverPhone"] as? String == "13800138000")
            #expect(shipmentView["status"] as? String == "dispatched" && shipmentView["vehicleId"] as? String == vehicle)
            let position = try #require(shipmentView["position"] as? [String: Any])
            #expect(position["lat"] as? Double == 31.02, "the newest fix: \(position)")
            let track = try #require(shipmentView["track"] as? [[String: Any]])
            #expect(track.compactMap { $0["lat"] as? Double } == [31.02, 31.01, 31.0], "newest first")
            let other = try await client.call(.get, "/v1/orders/\(orderId)/tracking", as: APITestHub.d3, hub: hub)
            #expect(other.status == .notFound && !other.text.contains("沪A"))

            // Delivered: the truck goes on to other goods; its position and the driver's phone are no longer the dealer's to see.
            let delivered = EventData.shipmentDelivered(ShipmentDelivered(shipmentId: shipment, deliveredAt: Timestamp(now.addingTimeInterval(-300))))
            try await hub.producer.send(KafkaProducerMessage(topic: shipments, key: Array(shipment.utf8), value: try event("delivered", delivered, subject: shipment)))
            let later = VehicleFix(vehicleId: vehicle, fixAt: Timestamp(now.addingTimeInterval(-60)), lat: 31.05, lon: 121.4, speedKmh: 60, heading: 0, source: .carrierJSON)
            try await hub.producer.send(KafkaProducerMessage(topic: hub.prefix + "hub.vehicles.positions", key: Array(vehicle.utf8),
                                                             value: try event("fix-after", .vehiclePosition(later), subject: vehicle)))
            let after = try await withDeadline(.seconds(30), "the shipment delivered on the tracking route") {
                while true {
                    let answer = try await client.call(.get, "/v1/orders/\(orderId)/tracking", as: APITestHub.d1, hub: hub)
                    if let first = (answer["shipments"] as? [[String: Any]])?.first, first["status"] as? String == "delivered" {
                        return (position: first["position"] != nil, phone: first["driverPhone"] != nil,
                                track: (first["track"] as? [[String: Any]])?.compactMap { $0["lat"] as? Double } ?? [])
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            #expect(!after.position && !after.phone, "\(after)")
            #expect(after.track == [31.02, 31.01, 31.0], "the track ends at delivery")
        }
    }
}
