import Foundation
import HubContracts
import HubCore
@_spi(SQL) import HubStore
import StoreTestSupport
import Testing

/// The core's rules applied to a real store, on SQLite and on PostgreSQL, without a broker.
@Suite("core rules: orders, inventory, shipments and dealer trade in the store")
struct CoreRulesTests {
    typealias F = CompanyFixture

    func company(_ kind: StoreKind) async throws -> RuleHarness {
        let harness = try RuleHarness(try TestDatabase(kind))
        for event in F.masterData { #expect(try await harness.apply(event, topic: "hub.master") == .applied, "\(event.type)") }
        return harness
    }

    func stock(_ harness: RuleHarness, _ material: String = "M1") throws -> (onHand: String, reserved: String) {
        let row = try #require(try harness.rows("SELECT on_hand, reserved FROM stock WHERE warehouse_id = 'WH1' AND material_id = ?", .text(material)).first)
        return (row.string(0) ?? "", row.string(1) ?? "")
    }

    func status(_ harness: RuleHarness, _ orderId: String) throws -> String? {
        try harness.rows("SELECT status FROM orders WHERE order_id = ?", .text(orderId)).first?.string(0)
    }

    func outbox(_ harness: RuleHarness, topic: String) throws -> [(key: String, id: String, event: CanonicalEvent)] {
        try harness.rows("SELECT message_key, event_id, value FROM outbox WHERE topic = ? ORDER BY seq", .text(topic)).map {
            ($0.string(0) ?? "", $0.string(1) ?? "", try CanonicalEvent.decode($0.blob(2) ?? []))
        }
    }

    @Test("an accepted order reserves its spot lines, schedules made-to-order ones, and publishes its events and view", arguments: StoreKind.allCases)
    func acceptAndReserve(kind: StoreKind) async throws {
        let harness = try await company(kind)
        #expect(try await harness.apply(F.submit("O1", [("M1", "30", .spot), ("M2", "10", .madeToOrder)]), topic: "hub.orders.commands") == .applied)
        #expect(try status(harness, "O1") == "accepted")
        #expect(try stock(harness) == ("50", "30"))
        let events = try outbox(harness, topic: "hub.orders.events")
        #expect(events.map(\.event.type) == ["order.submitted", "order.accepted"])
        #expect(events.allSatisfy { $0.key == "O1" })
        let accepted = try #require(events[1].event.data.payload(as: OrderAccepted.self))
        #expect(accepted.total.amount.value == 3800)
        #expect(accepted.lines[1].reservations.isEmpty, "made-to-order lines are produced, not reserved")
        let updates = try outbox(harness, topic: "hub.orders.updates")
        #expect(updates.map(\.id) == ["O1.v1"])
        let view = try #require(updates[0].event.data.payload(as: OrderView.self))
        #expect(view.status == .accepted && view.lines.count == 2)
        // The core's own events read back from hub.orders.events change nothing.
        for event in events.map(\.event) { #expect(try await harness.apply(event, topic: "hub.orders.events") == .duplicate) }
        // A second submit of the same order under another command id: the first decision stands.
        #expect(try await harness.apply(F.submit("O1", [("M1", "1", .spot)], id: "cmd-O1-again"), topic: "hub.orders.commands") == .applied)
        #expect(try stock(harness) == ("50", "30"))
    }

    @Test("credit and stock rejections carry their reasons, per line where a line is at fault, and reserve nothing", arguments: StoreKind.allCases)
    func rejections(kind: StoreKind) async throws {
        let harness = try await company(kind)
        try await harness.apply(F.submit("O1", [("M1", "40", .spot)]), topic: "hub.orders.commands")       // 4,000.00 open
        try await harness.apply(F.submit("O2", [("M1", "20", .spot)]), topic: "hub.orders.commands")       // only 10 left
        try await harness.apply(F.submit("O3", [("M2", "80", .madeToOrder)]), topic: "hub.orders.commands") // 6,400 > 10,000 - 4,000
        try await harness.apply(F.submit("O4", dealer: "D404", [("M1", "1", .spot)]), topic: "hub.orders.commands")
        #expect(try status(harness, "O1") == "accepted")
        let rejected = try outbox(harness, topic: "hub.orders.events").compactMap { $0.event.data.payload(as: OrderRejected.self) }
        #expect(rejected.map(\.orderId) == ["O2", "O3", "O4"])
        #expect(rejected[0].reasons.map(\.code) == [.insufficientStock] && rejected[0].reasons[0].lineNo == 1)
        #expect(rejected[0].reasons[0].message.contains("10 available"), "\(rejected[0].reasons[0].message)")
        #expect(rejected[1].reasons.map(\.code) == [.creditLimitExceeded])
        #expect(rejected[2].reasons.map(\.code) == [.unknownDealer])
        #expect(try stock(harness) == ("50", "40"))
        let view = try #require(try outbox(harness, topic: "hub.orders.updates").last?.event.data.payload(as: OrderView.self))
        #expect(view.orderId == "O4" && view.status == .rejected && view.rejections?.first?.code == .unknownDealer)
    }

    @Test("the ERP's delivery ahead of its confirmation is held, then applied in order; an order never moves back", arguments: StoreKind.allCases)
    func heldUntilConfirmed(kind: StoreKind) async throws {
        let harness = try await company(kind)
        try await harness.apply(F.submit("O1", [("M1", "30", .spot)]), topic: "hub.orders.commands")
        let allocated = F.erp("erp-alloc", "O1", .orderAllocated(OrderAllocated(orderId: "O1", deliveryNumber: "0080001", lines: [.init(lineNo: 1, warehouseId: "WH1", quantity: F.decimal("30"))])))
        let confirmed = F.erp("erp-conf", "O1", .orderConfirmed(OrderConfirmed(orderId: "O1", erpOrderNumber: "0010004711", promisedDate: CalendarDate("2026-12-05")!,
                                                                               lines: [.init(lineNo: 1, confirmedQuantity: F.decimal("30"))])))
        let dispatched = F.erp("erp-disp", "O1", .orderDispatched(OrderDispatched(orderId: "O1", shipmentId: "S1", dispatchedAt: F.at)))
        #expect(try await harness.apply(allocated, topic: "hub.orders.events") == .unknownReference("order O1 to be confirmed (it is accepted)"))
        #expect(try status(harness, "O1") == "accepted")
        #expect(try await harness.apply(confirmed, topic: "hub.orders.events") == .applied)
        #expect(try await harness.apply(allocated, topic: "hub.orders.events") == .applied, "released once its confirmation applied")
        #expect(try await harness.apply(dispatched, topic: "hub.orders.events") == .applied)
        #expect(try status(harness, "O1") == "dispatched")
        #expect(try stock(harness) == ("50", "0"), "dispatch hands the reservation to the ERP's goods issue")
        // A late repeat of the confirmation under a new id does not move it back.
        let late = F.erp("erp-conf-2", "O1", .orderConfirmed(OrderConfirmed(orderId: "O1", erpOrderNumber: "0010004711", promisedDate: CalendarDate("2026-12-05")!, lines: [])))
        #expect(try await harness.apply(late, topic: "hub.orders.events") == .applied)
        #expect(try status(harness, "O1") == "dispatched")
        let views = try outbox(harness, topic: "hub.orders.updates").compactMap { $0.event.data.payload(as: OrderView.self) }
        #expect(views.map(\.status) == [.accepted, .confirmed, .allocated, .dispatched])
        #expect(views.map(\.version) == [1, 2, 3, 4])
        #expect(views.last?.erpOrderNumber == "0010004711" && views.last?.lines.first?.confirmedQuantity == F.decimal("30"))
        #expect(try outbox(harness, topic: "hub.orders.events").count == 2, "the ERP's events are not published again")
    }

    @Test("cancelling releases the reservation; too late once dispatched; receipt books goods in to the dealer's own stock", arguments: StoreKind.allCases)
    func cancelAndReceive(kind: StoreKind) async throws {
        let harness = try await company(kind)
        try await harness.apply(F.submit("O1", [("M1", "30", .spot)]), topic: "hub.orders.commands")
        try await harness.apply(F.event("cmd-cancel-O1", "O1", .orderCancel(OrderCancellation(orderId: "O1", reason: "不要了", requestedBy: "U-D1"))), topic: "hub.orders.commands")
        #expect(try status(harness, "O1") == "cancelled")
        #expect(try stock(harness) == ("50", "0"))
        #expect(try outbox(harness, topic: "hub.orders.events").last?.event.type == "order.cancelled")

        try await harness.apply(F.submit("O2", [("M1", "10", .spot)]), topic: "hub.orders.commands")
        for (id, data) in [("c", EventData.orderConfirmed(OrderConfirmed(orderId: "O2", erpOrderNumber: "1", promisedDate: CalendarDate("2026-12-05")!,
                                                                         lines: [.init(lineNo: 1, confirmedQuantity: F.decimal("8"))]))),
                           ("a", .orderAllocated(OrderAllocated(orderId: "O2", deliveryNumber: "2", lines: []))),
                           ("d", .orderDispatched(OrderDispatched(orderId: "O2", shipmentId: "S2", dispatchedAt: F.at)))] {
            #expect(try await harness.apply(F.erp("erp-\(id)", "O2", data), topic: "hub.orders.events") == .applied)
        }
        try await harness.apply(F.event("cmd-cancel-O2", "O2", .orderCancel(OrderCancellation(orderId: "O2", reason: "late", requestedBy: "U-D1"))), topic: "hub.orders.commands")
        #expect(try status(harness, "O2") == "dispatched", "too late to cancel")
        // A rating before the receipt waits for it: the receipt books the goods in, a rating must not skip it.
        let rating = F.event("cmd-rate-O2", "O2", .orderRate(OrderRating(orderId: "O2", ratedBy: "U-D1", productQuality: 4, dispatchSpeed: 3, serviceQuality: 5)))
        #expect(try await harness.apply(rating, topic: "hub.orders.commands") == .unknownReference("order O2 to be received (it is dispatched)"))
        try await harness.apply(F.event("cmd-recv-O2", "O2", .orderConfirmReceipt(OrderReceipt(orderId: "O2", receivedAt: F.at, receivedBy: "U-D1"))), topic: "hub.orders.commands")
        #expect(try status(harness, "O2") == "received")
        #expect(try await harness.apply(rating, topic: "hub.orders.commands") == .applied)
        #expect(try status(harness, "O2") == "rated")
        // Rated by the dealer; the receipt not scored: the hub never learnt when the goods arrived (no shipment).
        let rated = try outbox(harness, topic: "hub.orders.updates").compactMap { $0.event.data.payload(as: OrderView.self) }.last { $0.orderId == "O2" }
        #expect(rated?.rating == OrderView.Rating(productQuality: 4, dispatchSpeed: 3, serviceQuality: 5), "\(String(describing: rated?.rating))")
        let books = try harness.rows("SELECT dealer_id, material_id, kind, quantity_milli, cost_fen FROM book_lines")
        #expect(books.map { [$0.string(0), $0.string(1), $0.string(2)] } == [["D1", "M1", "purchase"]])
        #expect(books.map { [$0.int64(3), $0.int64(4)] } == [[8_000, 80_000]], "the confirmed quantity (8) at the order's unit price (100.00)")
        #expect(try harness.rows("SELECT on_hand FROM dealer_stock WHERE dealer_id = 'D1' AND material_id = 'M1'").first?.string(0) == "8")
        // The receipt frees the credit: a 9,000.00 order fits again.
        try await harness.apply(F.submit("O3", [("M2", "112.5", .madeToOrder)]), topic: "hub.orders.commands")
        #expect(try status(harness, "O3") == "accepted")
    }

    @Test("movements change on hand; a snapshot sets it and books the difference, so on hand is the sum of its movements", arguments: StoreKind.allCases)
    func inventoryReconciles(kind: StoreKind) async throws {
        let harness = try await company(kind)
        let moves: [(String, String, MovementKind)] = [("mv1", "-12", .issue), ("mv2", "30", .receipt), ("mv1", "-12", .issue)]
        for (index, (id, quantity, movementKind)) in moves.enumerated() {
            try await harness.apply(F.event("ev-move-\(index)", "WH1:M1",
                                      .inventoryMoved(InventoryMoved(movementId: id, warehouseId: "WH1", materialId: "M1", quantity: F.decimal(quantity), kind: movementKind))))
        }
        #expect(try stock(harness).onHand == "68", "the repeated movement id counted once")
        let later = Timestamp(parsing: "2026-12-02T00:00:00Z")!
        try await harness.apply(F.event("snap-2", "WH1:M1", .stockSnapshot(StockSnapshot(warehouseId: "WH1", materialId: "M1", onHand: F.decimal("65"), asOf: later))))
        #expect(try stock(harness).onHand == "65")
        let sum = try harness.rows("SELECT quantity FROM inventory_movements WHERE warehouse_id = 'WH1' AND material_id = 'M1'")
            .reduce(Decimal(0)) { $0 + (DecimalNumber($1.string(0) ?? "")?.value ?? 0) }
        #expect(sum == 65, "50 from the first snapshot, -12, +30, then -3 from the second")
        // An older snapshot after a newer one changes nothing.
        try await harness.apply(F.event("snap-old", "WH1:M1", .stockSnapshot(StockSnapshot(warehouseId: "WH1", materialId: "M1", onHand: F.decimal("1"), asOf: F.at))))
        #expect(try stock(harness).onHand == "65")
    }

    @Test("a shipment's dispatch and delivery move the orders it carries, even when the carrier reports before the ERP's allocation", arguments: StoreKind.allCases)
    func shipmentsMoveOrders(kind: StoreKind) async throws {
        let harness = try await company(kind)
        let destination = ShipmentCreated.Destination(dealerId: "D1", region: Region(province: "上海"), position: nil)
        func confirm(_ orderId: String) async throws {
            #expect(try await harness.apply(F.erp("erp-conf-\(orderId)", orderId, .orderConfirmed(OrderConfirmed(orderId: orderId, erpOrderNumber: "1", promisedDate: CalendarDate("2026-12-05")!, lines: []))),
                                      topic: "hub.orders.events") == .applied)
        }
        func allocate(_ orderId: String) async throws {
            #expect(try await harness.apply(F.erp("erp-alloc-\(orderId)", orderId, .orderAllocated(OrderAllocated(orderId: orderId, deliveryNumber: "2", lines: []))),
                                      topic: "hub.orders.events") == .applied)
        }
        func shipment(_ id: String, _ data: EventData) async throws {
            #expect(try await harness.apply(F.event("\(id)-\(data.type)", id, data), topic: "hub.shipments") == .applied)
        }
        for orderId in ["O1", "O2", "O3"] {
            try await harness.apply(F.submit(orderId, [("M1", "5", .spot)]), topic: "hub.orders.commands")
            try await confirm(orderId)
        }
        try await allocate("O1")
        try await allocate("O2")
        try await shipment("S1", .shipmentCreated(ShipmentCreated(shipmentId: "S1", carrierId: "C1", orderIds: ["O1", "O2"], originWarehouseId: "WH1", destination: destination)))
        try await shipment("S2", .shipmentCreated(ShipmentCreated(shipmentId: "S2", carrierId: "C1", orderIds: ["O3"], originWarehouseId: "WH1", destination: destination)))
        #expect(try stock(harness) == ("50", "15"))

        try await shipment("S1", .shipmentDispatched(ShipmentDispatched(shipmentId: "S1", dispatchedAt: F.at)))
        #expect(try status(harness, "O1") == "dispatched" && status(harness, "O2") == "dispatched")
        #expect(try stock(harness) == ("50", "5"), "the goods left: their reservations are handed to the ERP's goods issue")
        let announced = try outbox(harness, topic: "hub.orders.events").filter { $0.event.type == "order.dispatched" }
        #expect(announced.map(\.key) == ["O1", "O2"] && Set(announced.map(\.id)).count == 2, "one event per order, each under its own id")
        #expect((announced.first?.event.data.payload(as: OrderDispatched.self)) == OrderDispatched(orderId: "O1", shipmentId: "S1", dispatchedAt: F.at))
        // The carrier's dispatch of S2 reaches the core before the ERP's allocation of O3: O3 follows once allocated.
        try await shipment("S2", .shipmentDispatched(ShipmentDispatched(shipmentId: "S2", dispatchedAt: F.at)))
        #expect(try status(harness, "O3") == "confirmed")
        try await allocate("O3")
        #expect(try status(harness, "O3") == "dispatched")
        #expect(try stock(harness) == ("50", "0"))

        try await shipment("S1", .shipmentArrived(ShipmentArrived(shipmentId: "S1", arrivedAt: F.at)))
        #expect(try status(harness, "O1") == "dispatched")
        try await shipment("S1", .shipmentDelivered(ShipmentDelivered(shipmentId: "S1", deliveredAt: F.at)))
        #expect(try status(harness, "O1") == "delivered" && status(harness, "O2") == "delivered")
        // The ERP's own dispatch of O1, arriving late, changes nothing; the dealer can now confirm receipt and rate.
        #expect(try await harness.apply(F.erp("erp-disp-O1", "O1", .orderDispatched(OrderDispatched(orderId: "O1", shipmentId: "S1", dispatchedAt: F.at))),
                                  topic: "hub.orders.events") == .applied)
        #expect(try status(harness, "O1") == "delivered")
        try await harness.apply(F.event("cmd-recv-O1", "O1", .orderConfirmReceipt(OrderReceipt(orderId: "O1", receivedAt: F.at, receivedBy: "U-D1"))), topic: "hub.orders.commands")
        #expect(try status(harness, "O1") == "received")
        let views = try outbox(harness, topic: "hub.orders.updates").compactMap { $0.event.data.payload(as: OrderView.self) }.filter { $0.orderId == "O1" }
        #expect(views.map(\.status) == [.accepted, .confirmed, .allocated, .allocated, .dispatched, .dispatched, .delivered, .received])
        #expect(views.map(\.version) == Array(1...8), "each change one version, each published once")
        // The receipt's speed is scored from the shipment's arrival: O1 at once, O2 fifty hours later.
        #expect(views.last?.rating == OrderView.Rating(receiptSpeed: 5, receiptHours: DecimalNumber("0")), "\(String(describing: views.last?.rating))")
        let later = Timestamp(F.at.date.addingTimeInterval(50 * 3_600))
        try await harness.apply(F.event("cmd-recv-O2", "O2", .orderConfirmReceipt(OrderReceipt(orderId: "O2", receivedAt: later, receivedBy: "U-D1"))), topic: "hub.orders.commands")
        let o2 = try outbox(harness, topic: "hub.orders.updates").compactMap { $0.event.data.payload(as: OrderView.self) }.last { $0.orderId == "O2" }
        #expect(o2?.status == .received && o2?.rating == OrderView.Rating(receiptSpeed: 3, receiptHours: DecimalNumber("50")))
    }

    @Test("a shipment carries truck, driver and phone into the view; a carrier ETA past the promised day flags it late", arguments: StoreKind.allCases)
    func shipments(kind: StoreKind) async throws {
        let harness = try await company(kind)
        try await harness.apply(F.submit("O1", [("M1", "5", .spot)]), topic: "hub.orders.commands")
        #expect(try await harness.apply(F.event("sh-assign-early", "S1",
                                          .shipmentVehicleAssigned(ShipmentVehicleAssigned(shipmentId: "S1", vehicleId: "V1", plate: "沪A12345", driverName: "王师傅", driverPhone: "13900000000"))),
                                  topic: "hub.shipments") == .unknownReference("shipment S1"))
        let destination = ShipmentCreated.Destination(dealerId: "D1", region: Region(province: "上海"), position: GeoPosition(lat: 31.2, lon: 121.5))
        try await harness.apply(F.event("sh-create", "S1", .shipmentCreated(ShipmentCreated(shipmentId: "S1", carrierId: "C1", orderIds: ["O1"], originWarehouseId: "WH1",
                                                                                        destination: destination, promisedDate: CalendarDate("2026-12-03")!))), topic: "hub.shipments")
        try await harness.apply(F.event("sh-assign", "S1",
                                  .shipmentVehicleAssigned(ShipmentVehicleAssigned(shipmentId: "S1", vehicleId: "V1", plate: "沪A12345", driverName: "王师傅", driverPhone: "13900000000"))), topic: "hub.shipments")
        try await harness.apply(F.event("sh-eta", "S1",
                                  .shipmentEtaReported(ShipmentEtaReported(shipmentId: "S1", eta: Timestamp(parsing: "2026-12-03T17:00:00Z")!, reportedBy: .carrier))), topic: "hub.shipments")
        let view = try #require(try outbox(harness, topic: "hub.orders.updates").last?.event.data.payload(as: OrderView.self))
        let shipment = try #require(view.shipments.first)
        #expect(shipment.plate == "沪A12345" && shipment.driverName == "王师傅" && shipment.driverPhone == "13900000000")
        #expect(shipment.status == .assigned)
        #expect(shipment.late == true, "17:00Z is 01:00 on 4 December in China, after the promised 3rd")
    }

    @Test("the ERP's goods issue at dispatch lowers on hand then, not at the next snapshot; the same movement twice counts once", arguments: StoreKind.allCases)
    func goodsIssueAtDispatch(kind: StoreKind) async throws {
        let harness = try await company(kind)
        try await harness.apply(F.submit("O1", [("M1", "30", .spot)]), topic: "hub.orders.commands")
        #expect(try stock(harness) == ("50", "30"))
        for (id, data) in [("c", EventData.orderConfirmed(OrderConfirmed(orderId: "O1", erpOrderNumber: "1", promisedDate: CalendarDate("2026-12-05")!,
                                                                         lines: [.init(lineNo: 1, confirmedQuantity: F.decimal("30"))]))),
                           ("a", .orderAllocated(OrderAllocated(orderId: "O1", deliveryNumber: "0080000001", lines: []))),
                           ("d", .orderDispatched(OrderDispatched(orderId: "O1", shipmentId: "S1", dispatchedAt: F.at)))] {
            #expect(try await harness.apply(F.erp("erp-\(id)", "O1", data), topic: "hub.orders.events") == .applied)
        }
        #expect(try stock(harness) == ("50", "0"), "dispatched: the reservation is released, the goods are still counted")
        let issue = InventoryMoved(movementId: "0000000000700001:1", warehouseId: "WH1", materialId: "M1", quantity: F.decimal("-30"), kind: .issue,
                                   reference: "0080000001")
        #expect(try await harness.apply(F.erp("mv-1", "WH1:M1", .inventoryMoved(issue)), topic: "hub.inventory.movements") == .applied)
        #expect(try stock(harness) == ("20", "0"), "the goods issue takes them off")
        #expect(try await harness.apply(F.erp("mv-1-again", "WH1:M1", .inventoryMoved(issue)), topic: "hub.inventory.movements") == .applied)
        #expect(try stock(harness) == ("20", "0"))
    }

    @Test("a made-to-order line through production: the ERP's production order released schedules the order, done produces it; before the confirmation it waits",
          arguments: StoreKind.allCases)
    func production(kind: StoreKind) async throws {
        let harness = try await company(kind)
        try await harness.apply(F.submit("O1", [("M1", "10", .spot), ("M2", "20", .madeToOrder)]), topic: "hub.orders.commands")
        func report(_ id: String, line: Int = 2, _ status: ProductionStatus) -> CanonicalEvent {
            F.erp("prod-\(id)", "0010004711", .productionOrderReported(ProductionOrderReported(
                productionOrderId: "PO-1", erpOrderNumber: "0010004711", lineNo: line, materialId: "M2", plantId: "P1", quantity: F.decimal("20"), status: status,
                plannedFinish: CalendarDate("2026-12-04")!, batch: status == .produced ? "B-1" : nil)))
        }
        #expect(try await harness.apply(report("early", .released), topic: "hub.production") == .unknownReference("order with ERP number 0010004711"))
        let confirmed = OrderConfirmed(orderId: "O1", erpOrderNumber: "0010004711", promisedDate: CalendarDate("2026-12-05")!,
                                       lines: [.init(lineNo: 1, confirmedQuantity: F.decimal("10")), .init(lineNo: 2, confirmedQuantity: F.decimal("20"))])
        #expect(try await harness.apply(F.erp("erp-c", "O1", .orderConfirmed(confirmed)), topic: "hub.orders.events") == .applied)
        #expect(try await harness.apply(report("spot", line: 1, .released), topic: "hub.production")
                == .refused("production order PO-1 is for line 1 of order O1 (ERP 0010004711), which is not made to order (made-to-order lines: 2)"))
        #expect(try await harness.apply(report("released", .released), topic: "hub.production") == .applied)
        #expect(try status(harness, "O1") == "scheduled")
        #expect(try await harness.apply(report("done", .produced), topic: "hub.production") == .applied)
        #expect(try status(harness, "O1") == "produced")
        let events = try outbox(harness, topic: "hub.orders.events").map(\.event)
        let scheduled = try #require(events.first { $0.type == "order.scheduled" }?.data.payload(as: OrderScheduled.self))
        #expect(scheduled.lines == [.init(lineNo: 2, plantId: "P1", plannedDate: CalendarDate("2026-12-04")!)])
        let produced = try #require(events.first { $0.type == "order.produced" }?.data.payload(as: OrderProduced.self))
        #expect(produced.lines == [.init(lineNo: 2, batch: "B-1", quantity: F.decimal("20"))])
        // A late "released" again does not take it back.
        #expect(try await harness.apply(report("released-again", .released), topic: "hub.production") == .applied)
        #expect(try status(harness, "O1") == "produced")
    }
}
