import HubContracts
import HubDomain
import Testing

@Suite("carrier ownership: a carrier moves only its own shipments and reports only its own trucks")
struct CarrierOwnershipTests {
    let destination = ShipmentCreated.Destination(dealerId: "D1", region: Region(province: "上海"))

    func created(_ shipment: String, carrier: String, orders: [String]) -> ShipmentCreated {
        ShipmentCreated(shipmentId: shipment, carrierId: carrier, orderIds: orders, originWarehouseId: "WH1", destination: destination)
    }

    @Test("a report on a shipment: its own carrier, the company and the hub may; another carrier may not")
    func reports() {
        #expect(CarrierOwnership.report(by: "CAR-16", on: "S1", ownedBy: "CAR-16") == nil)
        #expect(CarrierOwnership.report(by: nil, on: "S1", ownedBy: "CAR-16") == nil)
        #expect(CarrierOwnership.report(by: "CAR-03", on: "S1", ownedBy: "CAR-16") == "shipment S1 is carrier CAR-16's: carrier CAR-03 cannot report on it")
    }

    @Test("shipment.created: no take-over, no re-linking, a carrier's waybill only for orders it was given")
    func creations() {
        let existing = CarrierOwnership.Shipment(carrierId: "CAR-16", orderIds: ["O1"])
        #expect(CarrierOwnership.creation(created("S1", carrier: "CAR-16", orders: ["O1"]), byCarrier: false, existing: existing, carriersOfOrder: [:]) == nil,
                "the ERP's delivery again")
        #expect(CarrierOwnership.creation(created("S1", carrier: "CAR-03", orders: ["O1"]), byCarrier: true, existing: existing, carriersOfOrder: [:])?
            .contains("cannot take it over") == true)
        #expect(CarrierOwnership.creation(created("S1", carrier: "CAR-03", orders: ["O1"]), byCarrier: false, existing: existing, carriersOfOrder: [:])?
            .contains("cannot take it over") == true, "not from the ERP either: a new carrier is a new delivery")
        #expect(CarrierOwnership.creation(created("S1", carrier: "CAR-16", orders: ["O1", "O9"]), byCarrier: true, existing: existing, carriersOfOrder: [:])?
            .contains("cannot link O9") == true)
        #expect(CarrierOwnership.creation(created("S2", carrier: "CAR-16", orders: ["O1"]), byCarrier: true, existing: nil, carriersOfOrder: ["O1": ["CAR-16"]]) == nil,
                "a carrier splits what it was given onto a second waybill")
        #expect(CarrierOwnership.creation(created("S2", carrier: "CAR-03", orders: ["O1"]), byCarrier: true, existing: nil, carriersOfOrder: ["O1": ["CAR-16"]])?
            .contains("was not given order O1") == true)
        #expect(CarrierOwnership.creation(created("S2", carrier: "CAR-03", orders: ["O7"]), byCarrier: true, existing: nil, carriersOfOrder: [:])?
            .contains("was not given order O7") == true, "an order on no shipment yet is not a carrier's to claim")
        #expect(CarrierOwnership.creation(created("S2", carrier: "CAR-03", orders: ["O7"]), byCarrier: false, existing: nil, carriersOfOrder: [:]) == nil,
                "the ERP's delivery gives it")
    }

    @Test("vehicle.registered: neither another carrier's vehicle nor its terminal")
    func registrations() {
        let registration = VehicleRegistered(vehicleId: "V-16-1", carrierId: "CAR-03", plate: "沪A1", terminalId: "013912345678")
        #expect(CarrierOwnership.registration(registration, vehicle: nil, terminal: nil) == nil)
        #expect(CarrierOwnership.registration(registration, vehicle: .init(vehicleId: "V-16-1", carrierId: "CAR-03"), terminal: nil) == nil)
        #expect(CarrierOwnership.registration(registration, vehicle: .init(vehicleId: "V-16-1", carrierId: "CAR-16"), terminal: nil)?.contains("cannot register it") == true)
        #expect(CarrierOwnership.registration(registration, vehicle: nil, terminal: .init(vehicleId: "V-16-2", carrierId: "CAR-16"))?.contains("terminal 013912345678") == true)
        #expect(CarrierOwnership.registration(registration, vehicle: nil, terminal: .init(vehicleId: "V-03-9", carrierId: "CAR-03")) == nil,
                "a carrier moves its terminal to another of its trucks")
    }

    @Test("a vehicle named in an assignment or a fix: the reporter's own, or not registered yet")
    func vehicles() {
        #expect(CarrierOwnership.vehicle("V1", by: "CAR-03", registered: .init(vehicleId: "V1", carrierId: "CAR-03")) == nil)
        #expect(CarrierOwnership.vehicle("V1", by: "CAR-03", registered: nil) == nil)
        #expect(CarrierOwnership.vehicle("V1", by: nil, registered: .init(vehicleId: "V1", carrierId: "CAR-16")) == nil)
        #expect(CarrierOwnership.vehicle("V1", by: "CAR-03", registered: .init(vehicleId: "V1", carrierId: "CAR-16")) == "vehicle V1 is carrier CAR-16's: carrier CAR-03 cannot report it")
    }

    @Test("a fix's place: 0,0 and outside the area are flagged, a place in China is not")
    func plausibility() {
        let rule = FixPlausibility()
        func fix(_ lat: Double, _ lon: Double) -> VehicleFix {
            VehicleFix(vehicleId: "V1", fixAt: Timestamp(parsing: "2026-12-03T00:00:00Z")!, lat: lat, lon: lon, speedKmh: 60, heading: 0, source: .jt808)
        }
        #expect(rule.flag(fix(31.2304, 121.4737)) == nil)
        #expect(rule.flag(fix(0, 0)) == .nullIsland)
        #expect(rule.flag(fix(-33.86, 151.2)) == .outsideArea)
        #expect(rule.flag(fix(48.85, 2.35)) == .outsideArea)
    }
}
