import Foundation
import HubContracts
import HubCore
@_spi(SQL) import HubStore
import StoreTestSupport
import Testing

/// The attacks of issue 23 against the core's rules, on SQLite and PostgreSQL: another carrier's
/// shipment, vehicle and terminal; a take-over; a re-linked order. Each is refused with its reason
/// and changes nothing.
@Suite("core rules: a carrier moves only its own shipments and vehicles")
struct CarrierOwnershipRulesTests {
    typealias F = CompanyFixture
    let destination = ShipmentCreated.Destination(dealerId: "D1", region: Region(province: "上海"), position: nil)

    /// D1's order O1, confirmed and allocated, on CAR-16's shipment S16 (the ERP's delivery), with CAR-16's truck V16 registered.
    func company(_ kind: StoreKind) async throws -> RuleHarness {
        let harness = try RuleHarness(try TestDatabase(kind))
        for event in F.masterData { #expect(try await harness.apply(event, topic: "hub.master") == .applied, "\(event.type)") }
        try await harness.apply(F.submit("O1", [("M1", "5", .spot)]), topic: "hub.orders.commands")
        try await harness.apply(F.erp("conf", "O1", .orderConfirmed(OrderConfirmed(orderId: "O1", erpOrderNumber: "1", promisedDate: CalendarDate("2026-12-05")!, lines: []))),
                                topic: "hub.orders.events")
        try await harness.apply(F.erp("alloc", "O1", .orderAllocated(OrderAllocated(orderId: "O1", deliveryNumber: "2", lines: []))), topic: "hub.orders.events")
        #expect(try await harness.apply(F.event("erp-S16", "S16", .shipmentCreated(ShipmentCreated(shipmentId: "S16", carrierId: "CAR-16", orderIds: ["O1"],
                                                                                                originWarehouseId: "WH1", destination: destination)),
                                                source: "adapter-erp"), topic: "hub.shipments") == .applied)
        #expect(try await carrier("reg-V16", "V16", .vehicleRegistered(VehicleRegistered(vehicleId: "V16", carrierId: "CAR-16", plate: "沪A16", terminalId: "013900000016")),
                                  in: harness) == .applied)
        return harness
    }

    func carrier(_ id: String, _ subject: String, _ data: EventData, in harness: RuleHarness) async throws -> ApplyOutcome {
        try await harness.apply(F.event(id, subject, data, source: EventProducer.carrierAdapter), topic: "hub.shipments")
    }

    func refusal(_ outcome: ApplyOutcome) -> String? {
        if case .refused(let reason) = outcome { return reason }
        return nil
    }

    func status(_ harness: RuleHarness, _ orderId: String) throws -> String? {
        try harness.rows("SELECT status FROM orders WHERE order_id = ?", .text(orderId)).first?.string(0)
    }

    @Test("CAR-03 reports CAR-16's shipment delivered, dispatched, arrived, late, broken down, or puts its own truck on it: each refused, the order untouched",
          arguments: StoreKind.allCases)
    func anotherCarriersShipment(kind: StoreKind) async throws {
        let harness = try await company(kind)
        let before = try status(harness, "O1")
        let attacks: [EventData] = [
            .shipmentDelivered(ShipmentDelivered(shipmentId: "S16", deliveredAt: F.at, carrierId: "CAR-03")),
            .shipmentDispatched(ShipmentDispatched(shipmentId: "S16", dispatchedAt: F.at, carrierId: "CAR-03")),
            .shipmentArrived(ShipmentArrived(shipmentId: "S16", arrivedAt: F.at, carrierId: "CAR-03")),
            .shipmentEtaReported(ShipmentEtaReported(shipmentId: "S16", eta: F.at, reportedBy: .carrier, carrierId: "CAR-03")),
            .shipmentException(ShipmentException(shipmentId: "S16", code: ShipmentExceptionCode(rawValue: "breakdown"), description: "x", at: F.at, carrierId: "CAR-03")),
            .shipmentVehicleAssigned(ShipmentVehicleAssigned(shipmentId: "S16", vehicleId: "V03", plate: "沪A03", driverName: "x", driverPhone: "1", carrierId: "CAR-03")),
        ]
        for (index, data) in attacks.enumerated() {
            let outcome = try await carrier("attack-\(index)", "S16", data, in: harness)
            #expect(refusal(outcome) == "shipment S16 is carrier CAR-16's: carrier CAR-03 cannot report on it", "\(data.type): \(outcome)")
        }
        #expect(try status(harness, "O1") == before && before == "allocated")
        let shipment = try #require(try harness.rows("SELECT status, vehicle_id, exception, eta, carrier_eta FROM shipments WHERE shipment_id = 'S16'").first)
        #expect(shipment.string(0) == "created" && shipment.isNull(1) && shipment.isNull(2) && shipment.isNull(4))
        // CAR-16 itself: its truck V16 (its own), then delivered.
        #expect(try await carrier("own-assign", "S16", .shipmentVehicleAssigned(ShipmentVehicleAssigned(shipmentId: "S16", vehicleId: "V16", plate: "沪A16", driverName: "王师傅",
                                                                                                       driverPhone: "13900000016", carrierId: "CAR-16")), in: harness) == .applied)
        #expect(try await carrier("own-delivered", "S16", .shipmentDelivered(ShipmentDelivered(shipmentId: "S16", deliveredAt: F.at, carrierId: "CAR-16")), in: harness) == .applied)
        #expect(try status(harness, "O1") == "delivered")
    }

    @Test("CAR-16's own shipment, with CAR-03's registered truck put on it: refused", arguments: StoreKind.allCases)
    func anotherCarriersVehicle(kind: StoreKind) async throws {
        let harness = try await company(kind)
        #expect(try await carrier("reg-V03", "V03", .vehicleRegistered(VehicleRegistered(vehicleId: "V03", carrierId: "CAR-03", plate: "沪A03", terminalId: "013900000003")),
                                  in: harness) == .applied)
        let outcome = try await carrier("assign-V03", "S16", .shipmentVehicleAssigned(ShipmentVehicleAssigned(shipmentId: "S16", vehicleId: "V03", plate: "沪A03", driverName: "x",
                                                                                                            driverPhone: "1", carrierId: "CAR-16")), in: harness)
        #expect(refusal(outcome) == "vehicle V03 is carrier CAR-03's: carrier CAR-16 cannot report it")
    }

    @Test("CAR-03 registers CAR-16's vehicle, or its own vehicle with CAR-16's terminal: refused, the registration kept", arguments: StoreKind.allCases)
    func registrations(kind: StoreKind) async throws {
        let harness = try await company(kind)
        let takeOver = try await carrier("reg-steal", "V16", .vehicleRegistered(VehicleRegistered(vehicleId: "V16", carrierId: "CAR-03", plate: "沪A03", terminalId: "013900000003")),
                                         in: harness)
        #expect(refusal(takeOver)?.contains("vehicle V16 is carrier CAR-16's") == true, "\(takeOver)")
        let terminal = try await carrier("reg-terminal", "V03", .vehicleRegistered(VehicleRegistered(vehicleId: "V03", carrierId: "CAR-03", plate: "沪A03",
                                                                                                   terminalId: "013900000016")), in: harness)
        #expect(refusal(terminal)?.contains("terminal 013900000016 is in carrier CAR-16's vehicle V16") == true, "\(terminal)")
        let vehicles = try harness.rows("SELECT vehicle_id, carrier_id, terminal_id FROM vehicles ORDER BY vehicle_id").map { [$0.string(0), $0.string(1), $0.string(2)] }
        #expect(vehicles == [["V16", "CAR-16", "013900000016"]])
    }

    @Test("shipment.created: CAR-03 taking over S16, re-linking another order to S16, a waybill claiming CAR-16's order: refused", arguments: StoreKind.allCases)
    func creations(kind: StoreKind) async throws {
        let harness = try await company(kind)
        func created(_ id: String, carrier: String, orders: [String]) -> EventData {
            .shipmentCreated(ShipmentCreated(shipmentId: id, carrierId: carrier, orderIds: orders, originWarehouseId: "WH1", destination: destination))
        }
        let takeOver = try await carrier("c1", "S16", created("S16", carrier: "CAR-03", orders: ["O1"]), in: harness)
        #expect(refusal(takeOver)?.contains("cannot take it over") == true, "\(takeOver)")
        try await harness.apply(F.submit("O2", [("M1", "1", .spot)]), topic: "hub.orders.commands")
        let relink = try await carrier("c2", "S16", created("S16", carrier: "CAR-16", orders: ["O1", "O2"]), in: harness)
        #expect(refusal(relink)?.contains("cannot link O2") == true, "\(relink)")
        let claim = try await carrier("c3", "S03", created("S03", carrier: "CAR-03", orders: ["O1"]), in: harness)
        #expect(refusal(claim)?.contains("was not given order O1") == true, "\(claim)")
        let split = try await carrier("c4", "S16B", created("S16B", carrier: "CAR-16", orders: ["O1"]), in: harness)
        #expect(split == .applied, "CAR-16 splits its own delivery onto a second waybill")
        let carriers = try harness.rows("SELECT s.carrier_id FROM order_shipments o JOIN shipments s ON s.shipment_id = o.shipment_id WHERE o.order_id = 'O1'")
        #expect(Set(carriers.compactMap { $0.string(0) }) == ["CAR-16"])
        #expect(try harness.rows("SELECT 1 FROM order_shipments WHERE order_id = 'O2'").isEmpty)
    }

    @Test("carrier × carrier: each carrier's dispatch, ETA, arrival, exception and delivery of each carrier's shipment apply exactly on the diagonal",
          arguments: StoreKind.allCases)
    func carrierMatrix(kind: StoreKind) async throws {
        let harness = try RuleHarness(try TestDatabase(kind))
        for event in F.masterData { try await harness.apply(event, topic: "hub.master") }
        let carriers = ["CAR-A", "CAR-B", "CAR-C"]
        for owner in carriers {
            #expect(try await harness.apply(F.event("erp-S-\(owner)", "S-\(owner)", .shipmentCreated(ShipmentCreated(
                shipmentId: "S-\(owner)", carrierId: owner, orderIds: [], originWarehouseId: "WH1", destination: destination)), source: "adapter-erp"),
                topic: "hub.shipments") == .applied)
        }
        for writer in carriers {
            for owner in carriers {
                let shipment = "S-\(owner)"
                let reports: [EventData] = [
                    .shipmentDispatched(ShipmentDispatched(shipmentId: shipment, dispatchedAt: F.at, carrierId: writer)),
                    .shipmentEtaReported(ShipmentEtaReported(shipmentId: shipment, eta: F.at, reportedBy: .carrier, carrierId: writer)),
                    .shipmentArrived(ShipmentArrived(shipmentId: shipment, arrivedAt: F.at, carrierId: writer)),
                    .shipmentException(ShipmentException(shipmentId: shipment, code: ShipmentExceptionCode(rawValue: "delay"), description: "x", at: F.at, carrierId: writer)),
                    .shipmentDelivered(ShipmentDelivered(shipmentId: shipment, deliveredAt: F.at, carrierId: writer)),
                ]
                for (index, data) in reports.enumerated() {
                    let outcome = try await carrier("m-\(writer)-\(owner)-\(index)", shipment, data, in: harness)
                    if writer == owner {
                        #expect(outcome == .applied, "\(writer) on its own \(shipment), \(data.type): \(outcome)")
                    } else {
                        #expect(refusal(outcome)?.contains("cannot report on it") == true, "\(writer) on \(owner)'s \(shipment), \(data.type): \(outcome)")
                    }
                }
            }
        }
        let delivered = try harness.rows("SELECT shipment_id FROM shipments WHERE status = 'delivered' ORDER BY shipment_id").compactMap { $0.string(0) }
        #expect(delivered == ["S-CAR-A", "S-CAR-B", "S-CAR-C"], "each delivered by its own carrier only")
    }
}
