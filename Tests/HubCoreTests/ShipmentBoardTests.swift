import Foundation
import HubContracts
import HubCore
@_spi(SQL) import HubStore
import StoreTestSupport
import Testing

/// The trucks on the road as staff and carriers see them, on both databases: staff the open
/// shipments to the dealers of their scope, a carrier its own; delivered ones are gone; late first.
@Suite("the open shipments by scope (the console's map of trucks)")
struct ShipmentBoardTests {
    @Test("a branch sees the shipments to its dealers, a carrier its own; delivered shipments drop off", arguments: StoreKind.allCases)
    func scopes(kind: StoreKind) async throws {
        let store = try RuleHarness(try TestDatabase(kind))
        let at = Timestamp(parsing: "2026-11-01T00:00:00Z")!
        func event(_ id: String, _ data: EventData) -> CanonicalEvent { CanonicalEvent(id: id, source: "adapter-erp", occurredAt: at, subject: id, data: data) }
        for (dealer, branch) in [("DE", "EAST"), ("DN", "NORTH")] {
            let upserted = DealerUpserted(dealerId: dealer, name: dealer, tier: .tier1, branchId: branch, region: Region(province: "上海"),
                                          productLines: [], permissionGroupIds: [], status: .active)
            #expect(try await store.apply(event("d-\(dealer)", .dealerUpserted(upserted))) == .applied)
        }
        for (shipment, carrier, dealer) in [("S1", "CAR-A", "DE"), ("S2", "CAR-B", "DE"), ("S3", "CAR-A", "DN")] {
            let created = ShipmentCreated(shipmentId: shipment, carrierId: carrier, orderIds: [], deliveryNumber: "N-\(shipment)", originWarehouseId: "P1",
                                          destination: .init(dealerId: dealer, region: Region(province: "上海"), position: GeoPosition(lat: 31.2, lon: 121.5)))
            #expect(try await store.apply(event("s-\(shipment)", .shipmentCreated(created))) == .applied)
        }
        func seen(_ scope: ShipmentBoard.Scope) async throws -> Set<String> {
            Set(try await store.store.read { reader throws(StoreError) in try reader.shipmentBoard.open(scope) }.map(\.shipmentId))
        }
        #expect(try await seen(.dealers(.branch("EAST"))) == ["S1", "S2"])
        #expect(try await seen(.dealers(.branch("NORTH"))) == ["S3"])
        #expect(try await seen(.carrier("CAR-A")) == ["S1", "S3"])
        #expect(try await seen(.dealers(.nobody)).isEmpty)
        let delivered = ShipmentDelivered(shipmentId: "S1", deliveredAt: at)
        #expect(try await store.apply(event("del-S1", .shipmentDelivered(delivered))) == .applied)
        #expect(try await seen(.carrier("CAR-A")) == ["S3"], "a delivered shipment is no longer on the road")
    }

    @Test("counts, the late ones first and alone, pages without repeats, and the map's trucks only those that reported a fix", arguments: StoreKind.allCases)
    func pagesAndTrucks(kind: StoreKind) async throws {
        let store = try RuleHarness(try TestDatabase(kind))
        let positions = try PositionStore(store.database.location)
        let at = Timestamp(parsing: "2026-11-01T00:00:00Z")!
        func event(_ id: String, _ data: EventData) -> CanonicalEvent { CanonicalEvent(id: id, source: "adapter-erp", occurredAt: at, subject: id, data: data) }
        let dealer = DealerUpserted(dealerId: "DE", name: "DE", tier: .tier1, branchId: "EAST", region: Region(province: "上海"), productLines: [], permissionGroupIds: [], status: .active)
        #expect(try await store.apply(event("d-DE", .dealerUpserted(dealer))) == .applied)
        let shipments = (1...7).map { "S\($0)" }
        var fixes: [IdentifiedFix] = []
        for (index, shipment) in shipments.enumerated() {
            let created = ShipmentCreated(shipmentId: shipment, carrierId: "CAR-A", orderIds: [], deliveryNumber: "N-\(shipment)", originWarehouseId: "P1",
                                          destination: .init(dealerId: "DE", region: Region(province: "上海")), promisedDate: CalendarDate("2026-11-02"))
            #expect(try await store.apply(event("s-\(shipment)", .shipmentCreated(created))) == .applied)
            // S7 has no truck yet; S6's truck has not reported.
            guard index < 6 else { continue }
            let vehicle = "V\(index + 1)"
            #expect(try await store.apply(event("v-\(vehicle)", .vehicleRegistered(VehicleRegistered(vehicleId: vehicle, carrierId: "CAR-A", plate: "沪A·\(index)", terminalId: "01390000000\(index)")))) == .applied)
            let assigned = ShipmentVehicleAssigned(shipmentId: shipment, vehicleId: vehicle, plate: "沪A·\(index)", driverName: "司机", driverPhone: "13800000000")
            #expect(try await store.apply(event("a-\(shipment)", .shipmentVehicleAssigned(assigned))) == .applied)
            if index < 5 {
                fixes.append(IdentifiedFix(eventId: "f-\(vehicle)", fix: VehicleFix(vehicleId: vehicle, fixAt: at, lat: 31 + Double(index) / 10, lon: 121.5, speedKmh: 50, heading: 0, source: .jt808)))
            }
        }
        try await positions.apply(fixes, consumed: [], group: "core")
        // S2 and S5 will arrive after the promised day: late.
        for shipment in ["S2", "S5"] {
            let eta = ShipmentEtaReported(shipmentId: shipment, eta: Timestamp(parsing: "2026-11-04T10:00:00Z")!, reportedBy: .hub)
            #expect(try await store.apply(event("eta-\(shipment)", .shipmentEtaReported(eta))) == .applied)
        }
        let east = ShipmentBoard.Scope.dealers(.branch("EAST"))
        let (counts, late, first, second, trucks) = try await store.store.read { reader throws(StoreError) in
            let board = reader.shipmentBoard
            return (try board.counts(east), try board.open(east, lateOnly: true).map(\.shipmentId),
                    try board.open(east, offset: 0, limit: 4).map(\.shipmentId), try board.open(east, offset: 4, limit: 4).map(\.shipmentId),
                    try board.trucks(east))
        }
        #expect(counts == ShipmentBoard.Counts(open: 7, late: 2))
        #expect(late == ["S2", "S5"])
        #expect(first.prefix(2) == ["S2", "S5"], "the late ones lead the list")
        #expect(first.count == 4 && second.count == 3 && Set(first + second) == Set(shipments), "two pages, every shipment once")
        #expect(trucks.map(\.shipmentId) == ["S1", "S2", "S3", "S4", "S5"], "a truck that never reported and a shipment with no truck are not on the map")
        #expect(trucks.first { $0.shipmentId == "S2" }?.late == true && trucks.first { $0.shipmentId == "S3" }?.lat == 31.2)
        #expect(try await store.store.read { reader throws(StoreError) in try reader.shipmentBoard.counts(.carrier("CAR-B")) } == ShipmentBoard.Counts(open: 0, late: 0))
        // The carrier's fleet: every vehicle by plate, its last fix, the open shipment it carries; another carrier's none.
        let (fleet, others) = try await store.store.read { reader throws(StoreError) in
            (try reader.shipmentBoard.fleet(of: "CAR-A"), try reader.shipmentBoard.fleet(of: "CAR-B"))
        }
        #expect(fleet.map(\.vehicleId) == ["V1", "V2", "V3", "V4", "V5", "V6"] && others.isEmpty)
        #expect(fleet.map(\.shipmentId) == ["S1", "S2", "S3", "S4", "S5", "S6"])
        #expect(fleet[2].lastFix?.lat == 31.2 && fleet[5].lastFix == nil, "V6 never reported")
        let delivered = ShipmentDelivered(shipmentId: "S1", deliveredAt: at)
        #expect(try await store.apply(event("del-S1", .shipmentDelivered(delivered))) == .applied)
        #expect(try await store.store.read { reader throws(StoreError) in try reader.shipmentBoard.fleet(of: "CAR-A") }.first?.shipmentId == nil,
                "a truck whose shipment is delivered carries none")
    }
}
