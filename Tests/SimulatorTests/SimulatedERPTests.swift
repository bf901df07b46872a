import Adapters
import Foundation
import HubContracts
import Simulator
import Testing

/// The simulated ERP answers what the hub sends it with documents the hub's ERP adapter maps back
/// into the order's confirmation, allocation and shipment.
@Suite("simulator: the ERP's answers")
struct SimulatedERPTests {
    @Test("an accepted order, as the hub writes it for the ERP, is confirmed line by line and delivered from a plant of the dealer's branch")
    func answersAnOrder() throws {
        let company = Company.generate(seed: 3, tier1: 10, tier2: 20, materials: 30)
        let dealer = company.tier1[4]
        let material = company.materials[0]
        // The hub's own outbound mapping writes the ORDERS05 the ERP receives.
        let accepted = OrderAccepted(orderId: "O-SIMTEST0000000001", dealerId: dealer.dealerId, lines: [
            .init(lineNo: 1, materialId: material.number, quantity: DecimalNumber("12")!, kind: .spot, unitPrice: DecimalNumber("100")!,
                  amount: DecimalNumber("1200")!, reservations: []),
            .init(lineNo: 2, materialId: company.materials[1].number, quantity: DecimalNumber("3")!, kind: .madeToOrder, unitPrice: DecimalNumber("50")!,
                  amount: DecimalNumber("150")!, reservations: []),
        ], total: Money(amount: DecimalNumber("1350")!))
        let event = CanonicalEvent(id: "core:accepted:1", source: "lubehub-core", occurredAt: Timestamp(parsing: "2026-12-01T02:00:00Z")!,
                                   subject: accepted.orderId, data: .orderAccepted(accepted))
        let erp = try #require(HubAdapters.mapping(named: "erp", catalogue: CompanyTests.catalogue))
        let outbound = erp.map(RawRecord(topic: "hub.orders.events", partition: 0, offset: 0, key: Array(accepted.orderId.utf8), value: try event.encoded()))
        let orders = try #require(outbound.events.first { $0.topic == "erp.out.orders" }, "\(outbound.rejections.map(\.reason))")

        var simulated = SimulatedERP(company: company)
        let answers = try simulated.answer(orders.value, created: ("20261201", "100000"), promisedDate: "20261205")
        #expect(answers.map(\.topic) == ["erp.in.order-confirmations", "erp.in.production-orders", "erp.in.production-orders", "erp.in.deliveries", "erp.in.goods-movements",
                                      "erp.in.invoices", "erp.in.invoices"])
        var mapped: [String: EventData] = [:]
        var moved: [InventoryMoved] = []
        var production: [ProductionOrderReported] = []
        for (offset, answer) in answers.enumerated() {
            let result = erp.map(RawRecord(topic: answer.topic, partition: 0, offset: Int64(offset), key: Array(answer.key.utf8), value: answer.value))
            #expect(result.rejections.isEmpty, "\(answer.topic): \(result.rejections.map(\.reason))")
            for event in result.events {
                let decoded = try CanonicalEvent.decode(event.value)
                mapped[decoded.type] = decoded.data
                if let movement = decoded.data.payload(as: InventoryMoved.self) { moved.append(movement) }
                if let report = decoded.data.payload(as: ProductionOrderReported.self) { production.append(report) }
            }
        }
        let confirmed = try #require(mapped["order.confirmed"]?.payload(as: OrderConfirmed.self))
        #expect(confirmed.orderId == accepted.orderId && confirmed.promisedDate == CalendarDate("2026-12-05"))
        #expect(confirmed.lines.map(\.lineNo) == [1, 2] && confirmed.lines.map(\.confirmedQuantity.text) == ["12", "3"])
        let allocated = try #require(mapped["order.allocated"]?.payload(as: OrderAllocated.self))
        #expect(allocated.orderId == accepted.orderId && allocated.lines.allSatisfy { company.branches[dealer.branch].plants.contains($0.warehouseId) })
        // The made-to-order line (2) through production: released, then done with a batch, for the ERP's sales order.
        #expect(production.map { "\($0.erpOrderNumber) \($0.lineNo) \($0.status.rawValue) \($0.batch != nil)" } == [
            "\(confirmed.erpOrderNumber) 2 released false", "\(confirmed.erpOrderNumber) 2 produced true",
        ])
        // The goods issue for the delivery: stock leaves the delivering plant when the goods do.
        let plant = try #require(allocated.lines.first?.warehouseId)
        #expect(moved.map { "\($0.warehouseId) \($0.materialId) \($0.quantity.text) \($0.kind.rawValue) \($0.reference ?? "")" } == [
            "\(plant) \(company.materials[1].number) 3 receipt \(allocated.deliveryNumber)",
            "\(plant) \(material.number) -12 issue \(allocated.deliveryNumber)", "\(plant) \(company.materials[1].number) -3 issue \(allocated.deliveryNumber)",
        ], "the made-to-order line's goods received from production, then both lines issued")
        // Billed at the order's value (12 × 100 + 3 × 50), 30 days' terms, and paid at once (cash before delivery).
        let invoice = try #require(mapped["invoice.posted"]?.payload(as: InvoicePosted.self))
        #expect(invoice.orderId == accepted.orderId && invoice.dealerId == dealer.dealerId && invoice.amount.amount.value == 1350 && invoice.kind == .invoice)
        #expect(invoice.issuedOn.text == "2026-12-01" && invoice.dueOn?.text == "2026-12-31")
        let paid = try #require(mapped["invoice.cleared"]?.payload(as: InvoiceCleared.self))
        #expect(paid.invoiceId == invoice.invoiceId && paid.amount.amount.value == 1350)
        let shipment = try #require(mapped["shipment.created"]?.payload(as: ShipmentCreated.self))
        #expect(shipment.orderIds == [accepted.orderId] && shipment.carrierId.hasPrefix("CAR-") && shipment.destination.dealerId == dealer.dealerId)

        // A cancellation (ORDCHG) is not answered.
        let cancelled = CanonicalEvent(id: "core:cancelled:1", source: "lubehub-core", occurredAt: Timestamp(parsing: "2026-12-01T03:00:00Z")!,
                                       subject: accepted.orderId, data: .orderCancelled(OrderCancelled(orderId: accepted.orderId, reason: "重复", cancelledBy: "U-1")))
        let change = try #require(erp.map(RawRecord(topic: "hub.orders.events", partition: 0, offset: 1, key: nil, value: try cancelled.encoded())).events.first)
        #expect(try simulated.answer(change.value, created: ("20261201", "110000"), promisedDate: "20261205").isEmpty)
    }
}
