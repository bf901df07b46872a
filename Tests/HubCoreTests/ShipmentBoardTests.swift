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
}
