import Foundation
import HubContracts
import HubCore
import HubDomain
@_spi(SQL) import HubStore
import StoreTestSupport
import Testing

/// A tier-1 dealer's books (R1) kept by the core on SQLite and PostgreSQL: a month of business
/// against a calculation by hand, to the fen; the tier-2 order workflow; refusals.
@Suite("dealer books: a month of a tier-1 dealer's business, to the fen")
struct BookRulesTests {
    typealias F = CompanyFixture

    static func at(_ text: String) -> Timestamp { Timestamp(parsing: text)! }

    func company(_ kind: StoreKind) async throws -> RuleHarness {
        let harness = try RuleHarness(try TestDatabase(kind))
        for event in F.masterData { #expect(try await harness.apply(event, topic: "hub.master") == .applied, "\(event.type)") }
        return harness
    }

    /// Buys `quantity` of M1 from the company at the price list's price and confirms receipt at `receivedAt`.
    func purchase(_ harness: RuleHarness, _ orderId: String, _ quantity: String, receivedAt: String) async throws {
        #expect(try await harness.apply(F.submit(orderId, [("M1", quantity, .spot)]), topic: "hub.orders.commands") == .applied)
        for (id, data) in [("c", EventData.orderConfirmed(OrderConfirmed(orderId: orderId, erpOrderNumber: "E\(orderId)", promisedDate: CalendarDate("2026-12-05")!,
                                                                         lines: [.init(lineNo: 1, confirmedQuantity: F.decimal(quantity))]))),
                           ("a", .orderAllocated(OrderAllocated(orderId: orderId, deliveryNumber: "L\(orderId)", lines: []))),
                           ("d", .orderDispatched(OrderDispatched(orderId: orderId, shipmentId: "S\(orderId)", dispatchedAt: F.at)))] {
            #expect(try await harness.apply(F.erp("erp-\(id)-\(orderId)", orderId, data), topic: "hub.orders.events") == .applied)
        }
        let receipt = OrderReceipt(orderId: orderId, receivedAt: Self.at(receivedAt), receivedBy: "U-D1")
        #expect(try await harness.apply(F.event("recv-\(orderId)", orderId, .orderConfirmReceipt(receipt)), topic: "hub.orders.commands") == .applied)
    }

    func entry(_ id: String, _ kind: BookEntryKind, customer: (String, BookCustomerKind)? = nil, _ lines: [(String, String?)] = [], amount: String? = nil,
               at: String) -> CanonicalEvent {
        F.event("be-\(id)", "D1", .bookEntryRecorded(BookEntryRecorded(
            entryId: id, dealerId: "D1", kind: kind, customer: customer.map { .init(customerId: $0.0, name: "客户 \($0.0)", kind: $0.1) },
            lines: lines.map { .init(materialId: "M1", quantity: F.decimal($0.0), unitPrice: $0.1.map(F.decimal)) }, amount: amount.map(F.decimal),
            at: Self.at(at), recordedBy: "U-D1")))
    }

    func note(_ id: String, _ quantity: String, at: String) -> CanonicalEvent {
        F.event("dn-\(id)", "D1", .deliveryNoteIssued(DeliveryNoteIssued(deliveryNoteId: id, supplierDealerId: "D1", customerDealerId: "D2", orderId: "T2-1",
                                                                          issuedAt: Self.at(at), lines: [.init(materialId: "M1", quantity: F.decimal(quantity),
                                                                                                                unitPrice: F.decimal("130.00"))])))
    }

    func tier2Status(_ harness: RuleHarness) throws -> String? {
        try harness.rows("SELECT status FROM tier2_orders WHERE order_id = 'T2-1'").first?.string(0)
    }

    func document(_ harness: RuleHarness, _ id: String) throws -> (status: String, reason: String?)? {
        try harness.rows("SELECT status, reason FROM book_documents WHERE entry_id = ?", .text(id)).first.map { ($0.string(0) ?? "", $0.string(1)) }
    }

    @Test("purchases, partial deliveries to a tier-2 dealer, end-customer sales, a return each way, payments and a count give the hand-calculated report",
          arguments: StoreKind.allCases)
    func monthOfBusiness(kind: StoreKind) async throws {
        let harness = try await company(kind)
        // October: 10 bought at 100.00, 4 sold to a quick-lube centre at 150.00 (cost 400.00) → 6 on hand worth 600.00; QL-1 owes 600.00.
        try await purchase(harness, "O0", "10", receivedAt: "2026-10-20T02:00:00Z")
        #expect(try await harness.apply(entry("S-OCT", .sale, customer: ("QL-1", .quickLube), [("4", "150.00")], at: "2026-10-25T02:00:00Z")) == .applied)
        // November (China time). The price goes up to 110.00: 20 bought → 26 on hand worth 2,800.00 (average 107.6923…).
        #expect(try await harness.apply(F.event("md-pl1-nov", "PL1", .priceListUpserted(PriceListUpserted(
            priceListId: "PL1", currency: "CNY", validFrom: CalendarDate("2026-01-01")!,
            prices: [.init(materialId: "M1", unitPrice: F.decimal("110.00")), .init(materialId: "M2", unitPrice: F.decimal("80.00"))]))), topic: "hub.master") == .applied)
        try await purchase(harness, "O1", "20", receivedAt: "2026-11-03T02:00:00Z")

        // A tier-2 order for 10 at 130.00, accepted, served 6 then 4; a third note (over-delivery) refused.
        let order = Tier2OrderSubmitted(orderId: "T2-1", dealerId: "D2", supplierDealerId: "D1",
                                        lines: [.init(lineNo: 1, materialId: "M1", quantity: F.decimal("10"), unitPrice: F.decimal("130.00"))], submittedBy: "U-D2")
        #expect(try await harness.apply(F.event("t2-1", "T2-1", .tier2OrderSubmitted(order))) == .applied)
        #expect(try await harness.apply(F.event("t2-1-ok", "T2-1", .tier2OrderAccepted(Tier2OrderDecided(orderId: "T2-1", supplierDealerId: "D1", decidedBy: "U-D1")))) == .applied)
        #expect(try tier2Status(harness) == "accepted")
        #expect(try await harness.apply(note("DN-1", "6", at: "2026-11-05T02:00:00Z")) == .applied)  // cost 2,800.00 × 6/26 = 646.15
        #expect(try tier2Status(harness) == "partly-delivered")
        #expect(try await harness.apply(note("DN-2", "4", at: "2026-11-08T02:00:00Z")) == .applied)  // cost 2,153.85 × 4/20 = 430.77
        #expect(try tier2Status(harness) == "delivered")
        #expect(try await harness.apply(note("DN-3", "1", at: "2026-11-09T02:00:00Z")) == .applied)
        let overDelivery = try document(harness, "DN-3")
        #expect(overDelivery?.status == "refused")
        #expect(overDelivery?.reason == "tier-2 order T2-1 is delivered: it takes no more delivery notes", "\(String(describing: overDelivery))")
        // The tier-2 dealer receives both notes: the order is received, and the goods are in its own books at 130.00.
        for noteId in ["DN-1", "DN-2"] {
            let received = Tier2OrderReceived(orderId: "T2-1", deliveryNoteId: noteId, dealerId: "D2", receivedAt: Self.at("2026-11-09T02:00:00Z"), receivedBy: "U-D2")
            #expect(try await harness.apply(F.event("t2-rcv-\(noteId)", "T2-1", .tier2OrderReceived(received))) == .applied)
        }
        #expect(try tier2Status(harness) == "received")
        #expect(try harness.rows("SELECT SUM(quantity_milli), SUM(cost_fen) FROM book_lines WHERE dealer_id = 'D2'").first.map { [$0.int64(0), $0.int64(1)] } == [10_000, 130_000])

        // An end customer buys 5 at 150.00 (cost 1,723.08 × 5/16 = 538.46) and brings 1 back (in at the average 107.69, refund 150.00).
        #expect(try await harness.apply(entry("S-1", .sale, customer: ("EC-1", .endCustomer), [("5", "150.00")], at: "2026-11-10T02:00:00Z")) == .applied)
        #expect(try await harness.apply(entry("R-1", .customerReturn, customer: ("EC-1", .endCustomer), [("1", "150.00")], at: "2026-11-12T02:00:00Z")) == .applied)
        // 2 back to the company (1,292.31 × 2/12 = 215.385 → 215.39).
        #expect(try await harness.apply(entry("RC-1", .returnToCompany, [("2", nil)], at: "2026-11-15T02:00:00Z")) == .applied)
        // 50 asked out with 10 on hand: refused, nothing booked.
        #expect(try await harness.apply(entry("S-2", .sale, customer: ("EC-1", .endCustomer), [("50", "150.00")], at: "2026-11-20T02:00:00Z")) == .applied)
        let refused = try #require(try document(harness, "S-2"))
        #expect(refused.status == "refused" && refused.reason == "line 1 (M1): 50 asked out but 10 on hand (this dealer does not allow negative stock)")
        // Beyond what the books take (an amount 64-bit fen could not hold): refused, nothing booked.
        #expect(try await harness.apply(entry("S-HUGE", .sale, customer: ("EC-1", .endCustomer), [("99999999", "9999999999")], at: "2026-11-20T03:00:00Z")) == .applied)
        #expect(try document(harness, "S-HUGE")?.reason?.contains("beyond what the books take") == true)
        // Payments, and a count finding 9 of 10 (the shortage at the average: 1,076.92 / 10 = 107.69).
        #expect(try await harness.apply(entry("P-1", .payment, customer: ("QL-1", .quickLube), amount: "400.00", at: "2026-11-25T02:00:00Z")) == .applied)
        #expect(try await harness.apply(entry("P-2", .payment, customer: ("EC-1", .endCustomer), amount: "300.00", at: "2026-11-25T03:00:00Z")) == .applied)
        #expect(try await harness.apply(entry("C-1", .stockCount, [("9", nil)], at: "2026-11-28T02:00:00Z")) == .applied)
        // The same entry again (another event id): booked once.
        #expect(try await harness.apply(F.event("be-C-1-again", "D1", entry("C-1", .stockCount, [("3", nil)], at: "2026-11-28T02:00:00Z").data)) == .applied)

        let month = try #require(BookMonth("2026-11"))
        let report = try await harness.store.read { reader throws(StoreError) in try reader.books.report(dealerId: "D1", from: month.from, to: month.to) }
        let m1 = try #require(report.materials.first { $0.materialId == "M1" })
        #expect([m1.openingQuantity, m1.openingValue] == ["6", "600.00"])
        #expect([m1.purchasedQuantity, m1.purchases] == ["20", "2200.00"])
        #expect([m1.soldQuantity, m1.sales, m1.costOfSales, m1.grossMargin, m1.grossMarginRate] == ["14", "1900.00", "1507.69", "392.31", "20.6"])
        #expect([m1.returnedToCompanyQuantity, m1.returnsToCompany] == ["2", "215.39"])
        #expect([m1.adjustedQuantity, m1.adjustments] == ["-1", "-107.69"])
        #expect([m1.closingQuantity, m1.closingValue, m1.averageCost] == ["9", "969.23", "107.69"])
        let customers = Dictionary(uniqueKeysWithValues: report.customers.map { ($0.customerId, $0) })
        let d2 = try #require(customers["D2"])
        #expect([d2.kind, d2.sales, d2.costOfSales, d2.grossMargin, d2.payments, d2.receivable, d2.days0to30] ==
                ["tier2-dealer", "1300.00", "1076.92", "223.08", "0.00", "1300.00", "1300.00"])
        let endCustomer = try #require(customers["EC-1"])
        #expect([endCustomer.sales, endCustomer.costOfSales, endCustomer.grossMargin, endCustomer.payments, endCustomer.receivable, endCustomer.days0to30] ==
                ["600.00", "430.77", "169.23", "300.00", "300.00", "300.00"])
        let quickLube = try #require(customers["QL-1"])
        #expect([quickLube.sales, quickLube.payments, quickLube.receivable, quickLube.days0to30, quickLube.days31to60] == ["0.00", "400.00", "200.00", "0.00", "200.00"],
                "October's 600.00 less 400.00 paid, 36 days old at the month's end")
        #expect([report.totals.openingValue, report.totals.purchases, report.totals.sales, report.totals.costOfSales, report.totals.grossMargin,
                 report.totals.returnsToCompany, report.totals.adjustments, report.totals.closingValue, report.totals.payments, report.totals.receivables] ==
                ["600.00", "2200.00", "1900.00", "1507.69", "392.31", "215.39", "-107.69", "969.23", "700.00", "1800.00"])
        // The daily sums give the report the lines give, for the month and for a period cut mid-day at both ends.
        let fromLines = try await harness.store.read { reader throws(StoreError) in try reader.books.report(dealerId: "D1", from: month.from, to: month.to, fromLinesOnly: true) }
        #expect(fromLines == report)
        let (oddFrom, oddTo) = (Self.at("2026-11-05T01:00:00Z"), Self.at("2026-11-25T02:30:00Z"))
        let odd = try await harness.store.read { reader throws(StoreError) in
            (try reader.books.report(dealerId: "D1", from: oddFrom, to: oddTo), try reader.books.report(dealerId: "D1", from: oddFrom, to: oddTo, fromLinesOnly: true))
        }
        #expect(odd.0 == odd.1)
        #expect(odd.0.customers.first { $0.customerId == "EC-1" }?.receivable == "600.00", "750.00 less 150.00 refunded: P-2 at 03:00 on the 25th is after the period's end")
        #expect(odd.0.customers.first { $0.customerId == "QL-1" }?.receivable == "200.00", "P-1 at 02:00 is before it")
        // The dealer's own stock (what analytics and the channel read) follows its books.
        #expect(try harness.rows("SELECT on_hand FROM dealer_stock WHERE dealer_id = 'D1' AND material_id = 'M1'").first.flatMap { $0.string(0) }.flatMap(DecimalNumber.init)?.value == 9)
        // The booked sales are its flows (流向): the tier-2 dealer's in its own province (江苏), the others in the dealer's
        // (上海); refused documents and the customer's return are not.
        let flows = try harness.rows("SELECT record_id, quantity, customer_kind, customer_id, province FROM sell_through WHERE dealer_id = 'D1' ORDER BY record_id")
            .map { [$0.string(0), $0.string(1), $0.string(2), $0.string(3), $0.string(4)].map { $0 ?? "-" }.joined(separator: " ") }
        #expect(flows == ["books:DN-1:1 6 tier2 D2 江苏", "books:DN-2:1 4 tier2 D2 江苏", "books:S-1:1 5 end-customer EC-1 上海", "books:S-OCT:1 4 quick-lube QL-1 上海"],
                "\(flows)")
        // Read as the channel: where the goods went, the tier-2 dealer's in another province marked as sold across regions.
        let (records, destinations) = try await harness.store.read { reader throws(StoreError) in
            (try reader.sellThrough.records(for: .dealer("D1"), .init()), try reader.sellThrough.destinations(for: .dealer("D1"), .init()))
        }
        #expect(records.filter(\.crossRegion).map(\.recordId).sorted() == ["books:DN-1:1", "books:DN-2:1"])
        #expect(destinations.map { "\($0.province) \($0.records) \($0.crossRegionRecords)" }.sorted() == ["上海 2 0", "江苏 2 2"], "\(destinations)")
        // Each step of the tier-2 order is audited in order: what puts it on both dealers' live streams.
        #expect(try harness.rows("SELECT action, actor FROM audit_log WHERE subject_kind = 'tier2-order' AND subject_id = 'T2-1' ORDER BY seq")
                    .map { "\($0.string(0) ?? "") \($0.string(1) ?? "")" } ==
                ["tier2-order.submitted U-D2", "tier2-order.accepted U-D1", "tier2-order.partly-delivered D1", "tier2-order.delivered D1", "tier2-order.received U-D2"])
        let audited = try harness.rows("SELECT value FROM outbox WHERE message_key = 'tier2-order:T2-1'")
        #expect(audited.count == 5)
        let catalogue = try TopicCatalogue.load(directory: MasterDataDecisionTests.topics)
        for row in audited { #expect(catalogue.validate(topic: "hub.audit", value: row.blob(0) ?? []) == .valid, "the catalogue's audit.recorded") }

        // December: the dealer allows negative stock; 12 out with 9 on hand books, leaving -3 (the 3 beyond at the last average).
        #expect(try await harness.apply(F.event("bs-1", "D1", .bookSettingsSet(BookSettingsSet(dealerId: "D1", allowNegativeStock: true, setBy: "U-D1")))) == .applied)
        #expect(try await harness.apply(entry("S-3", .sale, customer: ("EC-1", .endCustomer), [("12", "150.00")], at: "2026-12-02T02:00:00Z")) == .applied)
        #expect(try document(harness, "S-3")?.status == "booked")
        let after = try await harness.store.read { reader throws(StoreError) in try reader.books.stock(dealerId: "D1") }
        #expect(after.first { $0.materialId == "M1" }.map { [$0.onHand, $0.value] } == ["-3", "-323.08"], "969.23 for the 9 held, 3 beyond at the last average (1,292.31 ÷ 12 = 107.6925)")
    }

    @Test("selling prices: set, replaced and removed per customer and for the list; a material not known yet holds them back", arguments: StoreKind.allCases)
    func sellingPrices(kind: StoreKind) async throws {
        let harness = try await company(kind)
        func set(_ id: String, _ prices: [BookPricesSet.Price]) -> CanonicalEvent {
            F.event("bp-\(id)", "D1", .bookPricesSet(BookPricesSet(dealerId: "D1", prices: prices, setBy: "U-D1-ADMIN")))
        }
        func kept() throws -> [String] {
            try harness.rows("SELECT customer_id, material_id, unit_price FROM book_prices WHERE dealer_id = 'D1' ORDER BY customer_id, material_id")
                .map { "\($0.string(0) ?? "")|\($0.string(1) ?? "")|\($0.string(2) ?? "")" }
        }
        #expect(try await harness.apply(set("1", [.init(materialId: "M1", unitPrice: F.decimal("120.00")),
                                                   .init(customerId: "QL-1", materialId: "M1", unitPrice: F.decimal("110.00")),
                                                   .init(customerId: "QL-1", materialId: "M2", unitPrice: F.decimal("90.00"))])) == .applied)
        #expect(try kept() == ["|M1|120.00", "QL-1|M1|110.00", "QL-1|M2|90.00"])
        #expect(try await harness.apply(set("2", [.init(customerId: "QL-1", materialId: "M1", unitPrice: F.decimal("105.00")),
                                                   .init(customerId: "QL-1", materialId: "M2", unitPrice: nil)])) == .applied)
        #expect(try kept() == ["|M1|120.00", "QL-1|M1|105.00"], "replaced, and removed")
        let prices = try await harness.store.read { reader throws(StoreError) in
            (try reader.books.salePrices(dealerId: "D1", customerId: "QL-1", materials: ["M1", "M2"]),
             try reader.books.salePrices(dealerId: "D1", customerId: "EC-9", materials: ["M1"]))
        }
        #expect(prices.0["M1"] == BookSalePrice(unitPrice: F.decimal("105.00"), source: .customer) && prices.0["M2"] == nil)
        #expect(prices.1["M1"] == BookSalePrice(unitPrice: F.decimal("120.00"), source: .list))
        #expect(try await harness.apply(set("3", [.init(materialId: "M9", unitPrice: F.decimal("1"))])) == .unknownReference("material M9"))
        #expect(try kept().count == 2)
    }

    @Test("a tier-2 order: rejected with a reason, cancelled by the buyer before any delivery, a note for another dealer's order refused", arguments: StoreKind.allCases)
    func tier2Workflow(kind: StoreKind) async throws {
        let harness = try await company(kind)
        try await purchase(harness, "O0", "10", receivedAt: "2026-11-20T02:00:00Z")
        func submit(_ id: String) async throws {
            let order = Tier2OrderSubmitted(orderId: id, dealerId: "D2", supplierDealerId: "D1",
                                            lines: [.init(lineNo: 1, materialId: "M1", quantity: F.decimal("2"))], submittedBy: "U-D2")
            #expect(try await harness.apply(F.event("t2-\(id)", id, .tier2OrderSubmitted(order))) == .applied)
        }
        func status(_ id: String) throws -> String? { try harness.rows("SELECT status FROM tier2_orders WHERE order_id = ?", .text(id)).first?.string(0) }
        try await submit("T2-A")
        #expect(try await harness.apply(F.event("t2-A-no", "T2-A", .tier2OrderRejected(Tier2OrderDecided(orderId: "T2-A", supplierDealerId: "D1", reason: "缺货", decidedBy: "U-D1")))) == .applied)
        #expect(try status("T2-A") == "rejected")
        #expect(try harness.rows("SELECT decision_reason FROM tier2_orders WHERE order_id = 'T2-A'").first?.string(0) == "缺货")
        // A later acceptance changes nothing; a note against the rejected order is refused and books nothing.
        #expect(try await harness.apply(F.event("t2-A-ok", "T2-A", .tier2OrderAccepted(Tier2OrderDecided(orderId: "T2-A", supplierDealerId: "D1", decidedBy: "U-D1")))) == .applied)
        #expect(try status("T2-A") == "rejected")
        let lateNote = DeliveryNoteIssued(deliveryNoteId: "DN-A", supplierDealerId: "D1", customerDealerId: "D2", orderId: "T2-A", issuedAt: F.at,
                                          lines: [.init(materialId: "M1", quantity: F.decimal("2"), unitPrice: F.decimal("120.00"))])
        #expect(try await harness.apply(F.event("dn-A", "D1", .deliveryNoteIssued(lateNote))) == .applied)
        #expect(try document(harness, "DN-A")?.status == "refused")
        #expect(try harness.rows("SELECT on_hand_milli FROM book_positions WHERE dealer_id = 'D1'").first?.int64(0) == 10_000)
        // Cancelled by the buyer while accepted; an answer from a dealer it was not sent to is refused.
        try await submit("T2-B")
        let stranger = try await harness.apply(F.event("t2-B-x", "T2-B", .tier2OrderAccepted(Tier2OrderDecided(orderId: "T2-B", supplierDealerId: "D9", decidedBy: "U-D9"))))
        #expect(stranger == .refused("dealer D9 answered tier-2 order T2-B, which is addressed to D1"))
        #expect(try await harness.apply(F.event("t2-B-ok", "T2-B", .tier2OrderAccepted(Tier2OrderDecided(orderId: "T2-B", supplierDealerId: "D1", decidedBy: "U-D1")))) == .applied)
        #expect(try await harness.apply(F.event("t2-B-c", "T2-B", .tier2OrderCancelled(OrderCancelled(orderId: "T2-B", reason: "不需要了", cancelledBy: "U-D2")))) == .applied)
        #expect(try status("T2-B") == "cancelled")
        // A quick-lube centre its tier-1 dealer supplies orders from it; a key account (the company's own customer) cannot.
        for (id, tier, parent) in [("QL1", DealerTier.quickLube, "D1" as String?), ("KA1", .keyAccount, nil)] {
            #expect(try await harness.apply(F.event("md-\(id)", id, .dealerUpserted(DealerUpserted(
                dealerId: id, name: "客户 \(id)", tier: tier, parentDealerId: parent, branchId: "BR-EAST", region: Region(province: "上海"), productLines: [],
                permissionGroupIds: [], creditLimit: Money(amount: F.decimal("0")), status: .active))), topic: "hub.master") == .applied)
        }
        let line = [Tier2OrderSubmitted.Line(lineNo: 1, materialId: "M1", quantity: F.decimal("1"))]
        #expect(try await harness.apply(F.event("t2-QL", "T2-QL", .tier2OrderSubmitted(Tier2OrderSubmitted(orderId: "T2-QL", dealerId: "QL1", supplierDealerId: "D1",
                                                                                                            lines: line, submittedBy: "U-QL1")))) == .applied)
        #expect(try status("T2-QL") == "submitted")
        #expect(try await harness.apply(F.event("t2-KA", "T2-KA", .tier2OrderSubmitted(Tier2OrderSubmitted(orderId: "T2-KA", dealerId: "KA1", supplierDealerId: "D1",
                                                                                                            lines: line, submittedBy: "U-KA1"))))
                == .refused("dealer KA1 (key-account) has no tier-1 dealer supplying it: only tier-2 dealers and supplied quick-lube centres order from one"))
        // Received by a dealer it was not delivered to: refused.
        try await submit("T2-C")
        #expect(try await harness.apply(F.event("dn-C", "D1", .deliveryNoteIssued(DeliveryNoteIssued(
            deliveryNoteId: "DN-C", supplierDealerId: "D1", customerDealerId: "D2", orderId: "T2-C", issuedAt: F.at,
            lines: [.init(materialId: "M1", quantity: F.decimal("2"), unitPrice: F.decimal("120.00"))])))) == .applied)
        #expect(try status("T2-C") == "delivered")
        let wrongReceiver = Tier2OrderReceived(orderId: "T2-C", deliveryNoteId: "DN-C", dealerId: "D1", receivedAt: F.at, receivedBy: "U-D1")
        #expect(try await harness.apply(F.event("t2-C-r", "T2-C", .tier2OrderReceived(wrongReceiver))) ==
                .refused("dealer D1 confirmed receipt of delivery note DN-C, which was issued to D2"))
        // Cancelling a delivered order changes nothing.
        #expect(try await harness.apply(F.event("t2-C-c", "T2-C", .tier2OrderCancelled(OrderCancelled(orderId: "T2-C", reason: "late", cancelledBy: "U-D2")))) == .applied)
        #expect(try status("T2-C") == "delivered")
    }

    @Test("the ERP's invoices: an invoiced order counts once; open invoices raise the exposure so an order beyond credit is refused naming them; clearing frees it; the books show what is owed",
          arguments: StoreKind.allCases)
    func invoices(kind: StoreKind) async throws {
        let harness = try await company(kind)
        func invoice(_ id: String, _ amount: String, kind: InvoiceKind = .invoice, order: String? = nil) -> CanonicalEvent {
            F.erp("inv-\(id)", "D1", .invoicePosted(InvoicePosted(invoiceId: id, dealerId: "D1", kind: kind, amount: Money(amount: F.decimal(amount)),
                                                                   issuedOn: CalendarDate("2026-11-29")!, orderId: order)))
        }
        func clearing(_ id: String, _ invoice: String, _ amount: String) -> CanonicalEvent {
            F.erp("clr-\(id)", "D1", .invoiceCleared(InvoiceCleared(clearingId: id, invoiceId: invoice, dealerId: "D1", amount: Money(amount: F.decimal(amount)),
                                                                     clearedOn: CalendarDate("2026-11-30")!)))
        }
        func status(_ orderId: String) throws -> String? { try harness.rows("SELECT status FROM orders WHERE order_id = ?", .text(orderId)).first?.string(0) }
        #expect(try await harness.apply(F.submit("O1", [("M1", "30", .spot)]), topic: "hub.orders.commands") == .applied)   // 3,000.00 open
        // A clearing overtaking its invoice waits for it.
        #expect(try await harness.apply(clearing("CLR-0", "INV-2", "1000.00"), topic: "hub.invoices") == .unknownReference("invoice INV-2"))
        #expect(try await harness.apply(invoice("INV-1", "3000.00", order: "O1"), topic: "hub.invoices") == .applied)   // O1 now counts by its invoice
        #expect(try await harness.apply(invoice("INV-2", "6500.00"), topic: "hub.invoices") == .applied)               // 9,500.00 owed
        #expect(try await harness.apply(invoice("INV-2", "6500.00"), topic: "hub.invoices") == .duplicate, "the same event again")
        #expect(try await harness.apply(F.submit("O2", [("M1", "6", .spot)]), topic: "hub.orders.commands") == .applied)
        #expect(try status("O2") == "rejected")
        let rejections = try #require(try harness.rows("SELECT rejections FROM orders WHERE order_id = 'O2'").first?.string(0))
        #expect(rejections.contains("open orders 0 + open invoices 9500 + this order 600 exceed the credit limit 10000 CNY"), "\(rejections)")
        // 1,000.00 paid on INV-2, and a 200.00 credit memo: 8,300.00 owed; a 600.00 order fits again.
        #expect(try await harness.apply(clearing("CLR-1", "INV-2", "1000.00"), topic: "hub.invoices") == .applied)
        #expect(try await harness.apply(F.erp("clr-CLR-1-again", "D1", .invoiceCleared(InvoiceCleared(
            clearingId: "CLR-1", invoiceId: "INV-2", dealerId: "D1", amount: Money(amount: F.decimal("1000.00")), clearedOn: CalendarDate("2026-11-30")!))),
                                        topic: "hub.invoices") == .applied, "the same clearing under another event id counts once")
        #expect(try await harness.apply(invoice("CM-1", "200.00", kind: .creditMemo), topic: "hub.invoices") == .applied)
        #expect(try await harness.apply(F.submit("O3", [("M1", "6", .spot)]), topic: "hub.orders.commands") == .applied)
        #expect(try status("O3") == "accepted")
        let month = try #require(BookMonth("2026-11"))
        let report = try await harness.store.read { reader throws(StoreError) in try reader.books.report(dealerId: "D1", from: month.from, to: month.to) }
        #expect(report.payables == "8300.00", "3,000 + 6,500 − 1,000 paid − 200 credited")
        let october = try #require(BookMonth("2026-10"))
        let before = try await harness.store.read { reader throws(StoreError) in try reader.books.report(dealerId: "D1", from: october.from, to: october.to) }
        #expect(before.payables == "0.00", "nothing was invoiced before November 29")
    }
}
