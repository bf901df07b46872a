import Foundation
import HubContracts
import HubCore
@_spi(SQL) import HubStore
import StoreTestSupport
import Testing

@Suite("ETA updates in the store")
struct EtaTests {
    @Test("the updater sets the ETA from the truck's position, flags it late and republishes the order's view with the position", arguments: StoreKind.allCases)
    func updater(kind: StoreKind) async throws {
        let harness = try RuleHarness(try TestDatabase(kind))
        typealias F = CompanyFixture
        for event in F.masterData { try await harness.apply(event) }
        try await harness.apply(F.submit("O1", [("M1", "5", .spot)]), topic: "hub.orders.commands")
        let beijing = ShipmentCreated.Destination(dealerId: "D1", region: Region(province: "北京"), position: GeoPosition(lat: 39.9042, lon: 116.4074))
        try await harness.apply(F.event("s-c", "S1", .shipmentCreated(ShipmentCreated(shipmentId: "S1", carrierId: "C1", orderIds: ["O1"], originWarehouseId: "WH1",
                                                                                  destination: beijing, promisedDate: CalendarDate("2026-12-01")!))))
        try await harness.apply(F.event("s-a", "S1", .shipmentVehicleAssigned(ShipmentVehicleAssigned(shipmentId: "S1", vehicleId: "V1", plate: "沪A1", driverName: "李", driverPhone: "139"))))
        try await harness.apply(F.event("s-d", "S1", .shipmentDispatched(ShipmentDispatched(shipmentId: "S1", dispatchedAt: F.at))))
        let positions = try PositionStore(harness.database.location)
        let fixAt = Timestamp(parsing: "2026-12-01T02:00:00Z")!
        try await positions.apply([IdentifiedFix(eventId: "p1", fix: VehicleFix(vehicleId: "V1", fixAt: fixAt, lat: 31.2304, lon: 121.4737, speedKmh: 80, heading: 0, source: .jt808))],
                            consumed: [], group: "g")
        let updater = EtaUpdater(store: harness.store)
        #expect(try await updater.updateOnce(now: fixAt.date) == 1)
        #expect(try await updater.updateOnce(now: fixAt.date) == 0, "nothing moved: nothing republished")
        let row = try #require(try harness.rows("SELECT eta, late FROM shipments WHERE shipment_id = 'S1'").first)
        let eta = try #require(row.string(0).flatMap(Timestamp.init(parsing:)))
        #expect(abs(eta.date.timeIntervalSince(fixAt.date) / 3600 - 1067 * 1.3 / 80) < 0.1)
        #expect(row.int(1) == 1, "about 17 h from 10:00 China time on the promised day: late")
        let last = try #require(try harness.rows("SELECT value FROM outbox WHERE topic = 'hub.orders.updates' ORDER BY seq DESC").first?.blob(0))
        let view = try #require(try CanonicalEvent.decode(last).data.payload(as: OrderView.self))
        #expect(view.shipments.first?.late == true && view.shipments.first?.eta == eta)
        #expect(view.shipments.first?.position == GeoPosition(lat: 31.2304, lon: 121.4737))
    }
}
