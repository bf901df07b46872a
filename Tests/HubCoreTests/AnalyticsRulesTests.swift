import Foundation
import HubContracts
import HubCore
import HubDomain
@_spi(SQL) import HubStore
import StoreTestSupport
import Testing

/// The figures kept by the core in each event's transaction, on SQLite and on PostgreSQL: what a
/// run of real events adds, that a repeat adds nothing, and that `analytics rebuild` from the
/// stored facts gives exactly the same rows.
@Suite("analytics: figures kept exactly once by the core, and rebuilt identically")
struct AnalyticsRulesTests {
    typealias F = CompanyFixture

    /// The fixture's company, with M1 as a 4 L can (3.5 kg) costing 60.00 at plant P1 and a
    /// contract of 12,000 L for 2026.
    func company(_ kind: StoreKind) async throws -> RuleHarness {
        let harness = try RuleHarness(try TestDatabase(kind))
        for event in F.masterData { #expect(try await harness.apply(event, topic: "hub.master") == .applied) }
        var m1 = F.material("M1")
        m1.volumeLitres = F.decimal("4")
        m1.netWeightKg = F.decimal("3.5")
        m1.valuations = [.init(plantId: "P1", priceControl: .standard, unitCost: F.decimal("60.00"))]
        #expect(try await harness.apply(F.event("md-m1-costed", "M1", .materialUpserted(m1)), topic: "hub.master") == .applied)
        let contract = ContractUpserted(contractId: "K1", dealerId: "D1", productLine: .automotivePackaged, validFrom: CalendarDate("2026-01-01")!,
                                        validTo: CalendarDate("2026-12-31")!, lines: [.init(lineNo: 10, quantity: F.decimal("12000"), unit: "L")],
                                        contractedLitres: F.decimal("12000"), contractedKilograms: nil, status: .active)
        #expect(try await harness.apply(F.event("k1", "K1", .contractUpserted(contract)), topic: "hub.contracts") == .applied)
        return harness
    }

    func figures(_ harness: RuleHarness, _ scope: AnalyticsScope, _ id: String, line: String = FigureKey.allLines) async throws -> AnalyticsMeasures {
        let december = FigureMonth(year: 2026, month: 12)!
        return try await harness.store.read { reader throws(StoreError) in try reader.analytics.total(scope, id, productLine: line, months: december...december) }
    }

    /// O1 submitted, confirmed in part, allocated, shipped, delivered, received and rated; O2
    /// cancelled; O3 rejected (beyond credit and stock); a repeat of S1's dispatch adds nothing.
    func applyOrderLife(_ harness: RuleHarness) async throws {
        let destination = ShipmentCreated.Destination(dealerId: "D1", region: Region(province: "上海"), position: nil)
        try await harness.apply(F.submit("O1", [("M1", "10", .spot)]), topic: "hub.orders.commands")
        try await harness.apply(F.erp("erp-conf-O1", "O1", .orderConfirmed(OrderConfirmed(orderId: "O1", erpOrderNumber: "1", promisedDate: CalendarDate("2026-12-05")!,
                                                                                         lines: [.init(lineNo: 1, confirmedQuantity: F.decimal("8"))]))),
                                topic: "hub.orders.events")
        try await harness.apply(F.erp("erp-alloc-O1", "O1", .orderAllocated(OrderAllocated(orderId: "O1", deliveryNumber: "2", lines: []))), topic: "hub.orders.events")
        try await harness.apply(F.event("S1-created", "S1", .shipmentCreated(ShipmentCreated(shipmentId: "S1", carrierId: "C1", orderIds: ["O1"], originWarehouseId: "WH1",
                                                                                           destination: destination, promisedDate: CalendarDate("2026-12-05")!))),
                                topic: "hub.shipments")
        let dispatched = F.event("S1-dispatched", "S1", .shipmentDispatched(ShipmentDispatched(shipmentId: "S1", dispatchedAt: F.at)))
        #expect(try await harness.apply(dispatched, topic: "hub.shipments") == .applied)
        let afterDispatch = try await figures(harness, .dealer, "D1")
        #expect(try await harness.apply(dispatched, topic: "hub.shipments") == .duplicate)
        #expect(try await figures(harness, .dealer, "D1") == afterDispatch, "a repeat adds nothing")
        try await harness.apply(F.event("S1-delivered", "S1", .shipmentDelivered(ShipmentDelivered(shipmentId: "S1", deliveredAt: F.at))), topic: "hub.shipments")
        try await harness.apply(F.event("recv-O1", "O1", .orderConfirmReceipt(OrderReceipt(orderId: "O1", receivedAt: F.at, receivedBy: "U-D1"))), topic: "hub.orders.commands")
        try await harness.apply(F.event("rate-O1", "O1", .orderRate(OrderRating(orderId: "O1", ratedBy: "U-D1", productQuality: 5, dispatchSpeed: 4, serviceQuality: 3))),
                                topic: "hub.orders.commands")
        try await harness.apply(F.submit("O2", [("M2", "1", .madeToOrder)]), topic: "hub.orders.commands")
        try await harness.apply(F.event("cancel-O2", "O2", .orderCancel(OrderCancellation(orderId: "O2", reason: "重复下单", requestedBy: "U-D1"))), topic: "hub.orders.commands")
        try await harness.apply(F.submit("O3", [("M1", "500", .spot)]), topic: "hub.orders.commands")  // beyond credit and stock: rejected
    }

    @Test("an order's life, a cancellation, a rejection and a contract: the dealer's, branch's, plant's and carrier's figures", arguments: StoreKind.allCases)
    func orderLife(kind: StoreKind) async throws {
        let harness = try await company(kind)
        try await applyOrderLife(harness)

        let dealer = try await figures(harness, .dealer, "D1")
        #expect(dealer.ordersSubmitted == 3 && dealer.ordersValid == 1 && dealer.ordersCancelled == 1 && dealer.ordersRejected == 1 && dealer.ordersExecuted == 1)
        #expect(dealer.takenMl == 32_000 && dealer.takenG == 28_000, "the 8 the ERP confirmed, not the 10 ordered")
        #expect(dealer.revenueFen == 80_000 && dealer.costFen == 48_000 && dealer.uncostedRevenueFen == 0)
        #expect(dealer.contractedMl == 1_019_178, "12,000 L × 31 / 365 days")
        #expect(dealer.ratedOrders == 1 && dealer.qualitySum == 5 && dealer.receiptScored == 1 && dealer.receiptSum == 5)
        #expect(dealer.dispatchPromised == 1 && dealer.dispatchedOnTime == 1)
        #expect(try await figures(harness, .dealer, "D1", line: "automotive-packaged").takenMl == 32_000)
        #expect(try await figures(harness, .branch, "BR-EAST") == dealer, "D1 is the branch's only dealer with figures")
        let plant = try await figures(harness, .plant, "P1")
        #expect(plant.takenMl == 32_000 && plant.ordersSubmitted == 0)
        let carrier = try await figures(harness, .carrier, "C1")
        #expect(carrier.shipmentsDelivered == 1 && carrier.deliveredOnTime == 1 && carrier.ratedOrders == 1 && carrier.revenueFen == 0)

        let check = try await AnalyticsRebuild.run(harness.store, checkOnly: true)
        #expect(check.differences.isEmpty, "\(check.differences)")
        #expect(check.orders == 3 && check.rows > 0 && !check.written)
    }

    /// Everything the read model gives over 2026, to compare before and after a fold.
    struct EveryRead: Equatable, Sendable {
        var everyId: [AnalyticsScope: [String: [String: AnalyticsMeasures]]] = [:]
        var dealerByMonth: [FigureMonth: [String: AnalyticsMeasures]] = [:]
        var monthlyOrders: [String: [FigureMonth: Int]] = [:]
        var taken: [String] = []
        var trends: [String] = []
        var salesReps: [String] = []
    }

    func everyRead(_ harness: RuleHarness) async throws -> EveryRead {
        let months = FigureMonth(year: 2026, month: 1)!...FigureMonth(year: 2026, month: 12)!
        return try await harness.store.read { reader throws(StoreError) -> EveryRead in
            let analytics = reader.analytics
            var read = EveryRead()
            for scope in AnalyticsScope.allCases { read.everyId[scope] = try analytics.everyId(scope, months: months, reach: .all) }
            read.dealerByMonth = try analytics.byMonth(.dealer, "D1", months: months)
            read.monthlyOrders = try analytics.dealerMonthlyOrders(months: months)
            read.taken = try analytics.monthlyTaken(.dealer, months: months, reach: .all).flatMap { dealer, lines in
                lines.flatMap { line, months in months.map { "\(dealer) \(line) \($0.key) \($0.value.ml) \($0.value.g)" } }
            }.sorted()
            read.trends = try analytics.regionalTrends(months: months).map { "\($0.province) \($0.productLine) \($0.month) \($0.takenMl) \($0.revenueFen)" }
            read.salesReps = try analytics.salesRepDealers(months: months).map { "\($0.key) \($0.value.assigned) \($0.value.active) \($0.value.new)" }.sorted()
            return read
        }
    }

    @Test("the figures read the same with their rows pending (SQLite) and folded; a second fold writes nothing; rebuild agrees", arguments: StoreKind.allCases)
    func foldChangesNoFigure(kind: StoreKind) async throws {
        let harness = try await company(kind)
        _ = try harness.database.location.open().execute("UPDATE dealers SET sales_rep_id = 'SR1'")
        try await applyOrderLife(harness)
        let pendingRows = { () throws -> Int in try harness.rows("SELECT COUNT(*) FROM analytics_pending_batches").first?.int(0) ?? -1 }
        if kind == .sqlite {
            #expect(try pendingRows() > 0, "the events' changes wait to be folded")
        } else {
            #expect(try pendingRows() == 0, "PostgreSQL's writers add in place")
        }
        let pending = try await everyRead(harness)
        #expect(pending.everyId[.dealer]?["D1"]?[FigureKey.allLines]?.ordersSubmitted == 3)
        #expect(pending.salesReps == ["SR1 2 1 1"], "D1 and D2 assigned; D1 ordered in 2026, its first month")
        #expect(!pending.taken.isEmpty && !pending.trends.isEmpty)

        let folder = FigureFolder(store: harness.store)
        let first = try await folder.fold()
        #expect(kind == .postgresql || (first.pendingRows > 0 && first.figureRows > 0 && first.figureRows <= first.pendingRows), "\(first)")
        #expect(try pendingRows() == 0)
        #expect(try await everyRead(harness) == pending)
        #expect(try await folder.fold() == .init(pendingRows: 0, figureRows: 0), "nothing left to fold")

        // A pending change that takes a folded month's orders back to none: the month no longer counts.
        let december = FigureMonth(year: 2026, month: 12)!
        let submitted = try await harness.store.read { reader throws(StoreError) in try reader.analytics.byMonth(.dealer, "D1", months: december...december) }
        var undo = FigureContributions()
        for (line, measures) in submitted[december] ?? [:] where line != FigureKey.allLines {
            var back = AnalyticsMeasures()
            back.ordersSubmitted = -measures.ordersSubmitted
            undo.add(FigureKey(.dealer, "D1", productLine: line, month: december), back)
        }
        let written = undo
        try await harness.store.transaction { tables throws(StoreError) in try tables.analytics.add(written) }
        let undone = try await everyRead(harness)
        #expect(undone.salesReps == ["SR1 2 0 0"], "\(undone.salesReps)")
        #expect(undone.monthlyOrders["D1"] == nil)
        try await folder.fold()
        #expect(try await everyRead(harness) == undone)

        try await harness.store.transaction { tables throws(StoreError) in try tables.analytics.add(written) }
        let check = try await AnalyticsRebuild.run(harness.store, checkOnly: false)
        #expect(!check.differences.isEmpty && check.written, "the hand-made change is not in the facts")
        #expect(try pendingRows() == 0, "a rebuild clears what was pending with the rest")
        #expect(try await everyRead(harness) == pending, "rebuilt from the facts: as the events left them")
    }

    @Test("SQLite: rows appended on another connection while folds run are each counted once")
    func foldWhileAppending() async throws {
        let harness = try RuleHarness(try TestDatabase(.sqlite))
        let writer = try CoreStore(harness.database.location)
        let month = FigureMonth(year: 2026, month: 12)!
        var one = AnalyticsMeasures()
        one.signIns = 1
        var change = FigureContributions()
        change.add(FigureKey(.dealer, "D1", productLine: FigureKey.allLines, month: month), one)
        change.add(FigureKey(.company, FigureKey.company, productLine: FigureKey.allLines, month: month), one)
        let appended = change
        let appends = 300
        let appending = Task {
            for _ in 0..<appends { try await writer.transaction { tables throws(StoreError) in try tables.analytics.add(appended) } }
        }
        // Reads on a connection of their own, meanwhile: each sees the rows in one table or the other, never in neither.
        let readers = try await ReadConnections.open(harness.database.location, label: "fold-test")
        let reading = Task {
            var reads: [Int64] = []
            for _ in 0..<150 {
                reads.append(try await readers.read { reader throws(StoreError) in try reader.analytics.total(.dealer, "D1", months: month...month).signIns })
            }
            return reads
        }
        let folder = FigureFolder(store: harness.store)
        var folded = 0
        for _ in 0..<60 { folded += try await folder.fold().pendingRows }
        try await appending.value
        let reads = try await reading.value
        try await folder.fold()
        #expect(folded > 0, "some folds ran while rows were appended")
        let total = try await harness.store.read { reader throws(StoreError) in try reader.analytics.total(.company, FigureKey.company, months: month...month) }
        #expect(total.signIns == Int64(appends))
        #expect(try harness.rows("SELECT COUNT(*) FROM analytics_pending_batches").first?.int(0) == 0)
        #expect(reads == reads.sorted(), "a read while folding never loses rows it saw before: \(reads)")
    }

    @Test("a changed contract replaces what it added; a cancelled one takes it all back; rebuild agrees", arguments: StoreKind.allCases)
    func contractChanges(kind: StoreKind) async throws {
        let harness = try await company(kind)
        var contract = ContractUpserted(contractId: "K1", dealerId: "D1", productLine: .automotivePackaged, validFrom: CalendarDate("2026-12-01")!,
                                        validTo: CalendarDate("2026-12-31")!, lines: [], contractedLitres: F.decimal("500"), contractedKilograms: nil, status: .active)
        try await harness.apply(F.event("k1-v2", "K1", .contractUpserted(contract)), topic: "hub.contracts")
        #expect(try await figures(harness, .dealer, "D1").contractedMl == 500_000)
        #expect(try await figures(harness, .company, FigureKey.company).contractedMl == 500_000)
        contract.status = .cancelled
        try await harness.apply(F.event("k1-v3", "K1", .contractUpserted(contract)), topic: "hub.contracts")
        #expect(try await figures(harness, .dealer, "D1").contractedMl == 0)
        try await FigureFolder(store: harness.store).fold()
        let rows = try harness.rows("SELECT COUNT(*) FROM analytics_figures WHERE contracted_ml <> 0")
        #expect(rows.first?.int(0) == 0, "no month of 2026 keeps any of it")
        let check = try await AnalyticsRebuild.run(harness.store, checkOnly: false)
        #expect(check.differences.isEmpty && check.written)
    }

    @Test("funds: a budget spread over its months by days, a use in its month, a reversal takes it back, an unknown dealer's entry held; rebuild agrees",
          arguments: StoreKind.allCases)
    func funds(kind: StoreKind) async throws {
        let harness = try await company(kind)
        let budget = FundPosted(entryId: "F1", dealerId: "D1", fund: .marketDevelopment, entry: .budget, productLine: .automotivePackaged,
                                periodFrom: CalendarDate("2026-01-01")!, periodTo: CalendarDate("2026-12-31")!, amount: F.decimal("36500.00"),
                                text: "门头", status: .posted)
        #expect(try await harness.apply(F.event("f1", "F1", .fundPosted(budget)), topic: "hub.funds") == .applied)
        var use = FundPosted(entryId: "F2", dealerId: "D1", fund: .promotion, entry: .use, productLine: nil, periodFrom: CalendarDate("2026-12-15")!,
                             periodTo: CalendarDate("2026-12-15")!, amount: F.decimal("1280.50"), text: nil, status: .posted)
        #expect(try await harness.apply(F.event("f2", "F2", .fundPosted(use)), topic: "hub.funds") == .applied)
        let december = try await figures(harness, .dealer, "D1")
        #expect(december.fundBudgetFen == 310_000 && december.fundUsedFen == 128_050, "36,500.00 × 31 / 365; the spend on 15 December")
        #expect(try await figures(harness, .dealer, "D1", line: "automotive-packaged").fundUsedFen == 0, "a spend for the dealer as a whole is in no one line")
        #expect(try await figures(harness, .branch, "BR-EAST").fundUsedFen == 128_050)
        let year = try await harness.store.read { reader throws(StoreError) in
            try reader.analytics.total(.dealer, "D1", months: FigureMonth(year: 2026, month: 1)!...FigureMonth(year: 2026, month: 12)!)
        }
        #expect(year.fundBudgetFen == 3_650_000, "the months add up to the budget to the fen")
        use.status = .reversed
        #expect(try await harness.apply(F.event("f2-storno", "F2", .fundPosted(use)), topic: "hub.funds") == .applied)
        #expect(try await figures(harness, .dealer, "D1").fundUsedFen == 0)
        let stranger = FundPosted(entryId: "F3", dealerId: "D-NOBODY", fund: .promotion, entry: .use, productLine: nil, periodFrom: CalendarDate("2026-12-01")!,
                                  periodTo: CalendarDate("2026-12-01")!, amount: F.decimal("10"), text: nil, status: .posted)
        #expect(try await harness.apply(F.event("f3", "F3", .fundPosted(stranger)), topic: "hub.funds") != .applied)
        #expect(try await figures(harness, .company, FigureKey.company).fundUsedFen == 0)
        let entries = try await harness.store.read { reader throws(StoreError) in try reader.funds.entries(of: "D1") }
        #expect(entries.map(\.entryId) == ["F1", "F2"] && entries[1].status == .reversed && entries[0] == budget)
        let check = try await AnalyticsRebuild.run(harness.store, checkOnly: true)
        #expect(check.differences.isEmpty, "\(check.differences)")
    }

    @Test("sell-through counts in the month sold and a correction replaces it; the dealer's stock against it gives days of cover; rebuild agrees",
          arguments: StoreKind.allCases)
    func sellThroughAndStock(kind: StoreKind) async throws {
        let harness = try await company(kind)
        let customer = SellThroughRecorded.Customer(kind: .endCustomer, region: Region(province: "上海"))
        var sale = SellThroughRecorded(recordId: "R1", dealerId: "D1", materialId: "M1", quantity: F.decimal("45"),
                                       soldAt: Timestamp(parsing: "2026-11-20T02:00:00Z")!, customer: customer)
        #expect(try await harness.apply(F.event("st-r1", "D1", .sellThroughRecorded(sale)), topic: "hub.sell-through") == .applied)
        let november = FigureMonth(year: 2026, month: 11)!
        func sold() async throws -> AnalyticsMeasures {
            try await harness.store.read { reader throws(StoreError) in try reader.analytics.total(.dealer, "D1", months: november...november) }
        }
        let first = try await sold()
        #expect(first.soldMl == 180_000 && first.soldG == 157_500, "45 cans of 4 L, 3.5 kg")
        sale.quantity = F.decimal("30")
        #expect(try await harness.apply(F.event("st-r1-corrected", "D1", .sellThroughRecorded(sale)), topic: "hub.sell-through") == .applied)
        #expect(try await sold().soldMl == 120_000, "the correction replaces what the record counted")
        let branch = try await harness.store.read { reader throws(StoreError) in try reader.analytics.total(.branch, "BR-EAST", months: november...november) }
        #expect(branch.soldMl == 120_000)

        let snapshot = DealerStockSnapshot(dealerId: "D1", materialId: "M1", onHand: F.decimal("30"), asOf: F.at)
        #expect(try await harness.apply(F.event("ds-d1-m1", "D1", .dealerStockSnapshot(snapshot)), topic: "hub.inventory.snapshots") == .applied)
        let now = Timestamp(parsing: "2026-12-02T00:00:00Z")!.date
        let stock = try await harness.store.read { reader throws(StoreError) in try reader.customerStock.stock(of: "D1", at: now) }
        #expect(stock.millilitres == 120_000 && stock.grams == 105_000 && stock.soldMillilitres == 120_000)
        #expect(stock.daysOfCover == 90, "120 L on hand, 120 L sold in 90 days: 90 days")
        let (east, north) = try await harness.store.read { reader throws(StoreError) in
            (try reader.customerStock.total(.branch, "BR-EAST", at: now), try reader.customerStock.total(.branch, "BR-NORTH", at: now))
        }
        #expect(east?.millilitres == 120_000 && east?.grams == 105_000 && east?.soldMillilitres == 120_000 && east?.daysOfCover == 90,
                "D1's branch adds up its dealers' stock")
        #expect(north?.millilitres == 0 && north?.soldMillilitres == 0 && north?.daysOfCover == nil, "another branch's dealers hold none of it")

        // D2 (江苏, the same branch) counts 10 cans; D1's later count of M1 replaces its first; D1 gets a sales rep.
        let d2 = DealerStockSnapshot(dealerId: "D2", materialId: "M1", onHand: F.decimal("10"), asOf: F.at)
        #expect(try await harness.apply(F.event("ds-d2-m1", "D2", .dealerStockSnapshot(d2)), topic: "hub.inventory.snapshots") == .applied)
        let recount = DealerStockSnapshot(dealerId: "D1", materialId: "M1", onHand: F.decimal("25"), asOf: Timestamp(F.at.date.addingTimeInterval(3_600)))
        #expect(try await harness.apply(F.event("ds-d1-m1-again", "D1", .dealerStockSnapshot(recount)), topic: "hub.inventory.snapshots") == .applied)
        let withRep = DealerUpserted(dealerId: "D1", name: "上海一级经销商", tier: .tier1, branchId: "BR-EAST", region: Region(province: "上海"), salesRepId: "REP-1",
                                     productLines: [], permissionGroupIds: ["PG1"], creditLimit: Money(amount: F.decimal("10000.00")), status: .active)
        #expect(try await harness.apply(F.event("md-d1-rep", "D1", .dealerUpserted(withRep)), topic: "hub.master") == .applied)
        let rollUps = try await harness.store.read { reader throws(StoreError) in
            try [(AnalyticsScope.company, FigureKey.company), (.branch, "BR-EAST"), (.province, "上海"), (.province, "江苏"), (.salesRep, "REP-1"), (.salesRep, "REP-9")]
                .map { scope, id throws(StoreError) in try reader.customerStock.total(scope, id, at: now) }
        }
        #expect(rollUps.map { $0?.millilitres } == [140_000, 140_000, 100_000, 40_000, 100_000, 0],
                "company and branch: both dealers; each province its own; the rep the dealers it holds now")
        #expect(rollUps[0]?.soldMillilitres == 120_000 && rollUps[0]?.daysOfCover == 105, "140 L against 120 L sold in 90 days")
        #expect(rollUps[3]?.soldMillilitres == 0 && rollUps[3]?.daysOfCover == nil, "江苏 sold nothing: no days of cover")
        #expect(rollUps[4]?.soldMillilitres == 0, "the sale counted for whom D1 had when it came: no rep then")
        let notHeld = try await harness.store.read { reader throws(StoreError) in try reader.customerStock.total(.plant, "P1", at: now) }
        #expect(notHeld == nil, "a plant holds no dealers' stock")
        let later = Timestamp(parsing: "2027-03-01T00:00:00Z")!.date
        let stale = try await harness.store.read { reader throws(StoreError) in try reader.customerStock.stock(of: "D1", at: later) }
        #expect(stale.soldMillilitres == 0 && stale.daysOfCover == nil, "nothing sold in the window: no days of cover, not infinity")
        let check = try await AnalyticsRebuild.run(harness.store, checkOnly: true)
        #expect(check.differences.isEmpty, "\(check.differences)")
    }

    @Test("a dealer's sign-ins count for it and for whom it belonged to at the day's first; a move counts from the next day; rebuild agrees",
          arguments: StoreKind.allCases)
    func signIns(kind: StoreKind) async throws {
        let harness = try await company(kind)
        let accounts = try AccountStore(harness.database.location)
        let admin = ChangeActor(id: "U-ADMIN", source: "test")
        let user = try await accounts.create(UserRecord(userId: "U-WANG", login: "wang", displayName: "王", role: "dealer", dealerId: "D1"),
                                             passwordHash: "h", by: admin, now: F.at).get()
        func signIn(_ digest: String, _ text: String) async throws {
            let at = Timestamp(parsing: text)!.milliseconds
            try await accounts.startSession(digest: digest, userId: user.userId, csrfToken: "c", address: nil, now: at, expires: at + 60_000)
        }
        try await signIn("s1", "2026-12-01T02:00:00Z")
        // D1 moves to BR-NORTH with a sales rep the same day: that day's sign-ins stay where the first one counted.
        let moved = DealerUpserted(dealerId: "D1", name: "上海一级经销商", tier: .tier1, branchId: "BR-NORTH", region: Region(province: "上海"), salesRepId: "REP-2",
                                   productLines: [], permissionGroupIds: ["PG1"], creditLimit: Money(amount: F.decimal("10000.00")), status: .active)
        #expect(try await harness.apply(F.event("md-d1-moved", "D1", .dealerUpserted(moved)), topic: "hub.master") == .applied)
        try await signIn("s2", "2026-12-01T09:00:00Z")
        try await signIn("s3", "2026-12-02T01:00:00Z")
        let december = FigureMonth(year: 2026, month: 12)!
        let counted = try await harness.store.read { reader throws(StoreError) in
            try [(AnalyticsScope.dealer, "D1"), (.branch, "BR-EAST"), (.branch, "BR-NORTH"), (.salesRep, "REP-2"), (.province, "上海"), (.company, FigureKey.company)]
                .map { scope, id throws(StoreError) in try reader.analytics.total(scope, id, months: december...december).signIns }
        }
        #expect(counted == [3, 2, 1, 1, 3, 3], "the dealer, its branch of the 1st and of the 2nd, the rep from the 2nd, its province, the company")
        let last = try await harness.store.read { reader throws(StoreError) in try reader.signIns.lastDay(of: "D1") }
        #expect(last == "2026-12-02")
        let check = try await AnalyticsRebuild.run(harness.store, checkOnly: true)
        #expect(check.differences.isEmpty, "\(check.differences)")
    }

    @Test("a carrier's ETA accuracy: its first estimate against the arrival, a later correction and the hub's own estimates left out; rebuild agrees",
          arguments: StoreKind.allCases)
    func etaAccuracy(kind: StoreKind) async throws {
        let harness = try await company(kind)
        let at = { (minutes: Double) in Timestamp(F.at.date.addingTimeInterval(minutes * 60)) }
        let destination = ShipmentCreated.Destination(dealerId: "D1", region: Region(province: "上海"), position: nil)
        for id in ["S1", "S2"] {
            try await harness.apply(F.event("\(id)-created", id, .shipmentCreated(ShipmentCreated(shipmentId: id, carrierId: "C1", orderIds: [], originWarehouseId: "WH1",
                                                                                                destination: destination))), topic: "hub.shipments")
            try await harness.apply(F.event("\(id)-dispatched", id, .shipmentDispatched(ShipmentDispatched(shipmentId: id, dispatchedAt: at(0)))), topic: "hub.shipments")
            try await harness.apply(F.event("\(id)-eta-hub", id, .shipmentEtaReported(ShipmentEtaReported(shipmentId: id, eta: at(500), reportedBy: .hub))),
                                    topic: "hub.shipments")
            try await harness.apply(F.event("\(id)-eta-1", id, .shipmentEtaReported(ShipmentEtaReported(shipmentId: id, eta: at(120), reportedBy: .carrier))),
                                    topic: "hub.shipments")
            try await harness.apply(F.event("\(id)-eta-2", id, .shipmentEtaReported(ShipmentEtaReported(shipmentId: id, eta: at(180), reportedBy: .carrier))),
                                    topic: "hub.shipments")
        }
        // S1 arrives 20 minutes after the first estimate (kept); S2 is only reported delivered, 75 minutes after it (not kept).
        try await harness.apply(F.event("S1-arrived", "S1", .shipmentArrived(ShipmentArrived(shipmentId: "S1", arrivedAt: at(140)))), topic: "hub.shipments")
        #expect(try await figures(harness, .carrier, "C1").etaCompared == 0, "not counted before the delivery")
        try await harness.apply(F.event("S1-delivered", "S1", .shipmentDelivered(ShipmentDelivered(shipmentId: "S1", deliveredAt: at(170)))), topic: "hub.shipments")
        try await harness.apply(F.event("S2-delivered", "S2", .shipmentDelivered(ShipmentDelivered(shipmentId: "S2", deliveredAt: at(195)))), topic: "hub.shipments")
        let carrier = try await figures(harness, .carrier, "C1")
        #expect(carrier.etaCompared == 2 && carrier.etaErrorMinutes == 20 + 75 && carrier.etaKept == 1, "\(carrier)")
        #expect(FigureRatios.etaErrorMinutes(carrier) == Decimal(95) / 2 && FigureRatios.etaKeptRate(carrier) == Decimal(1) / 2)
        let check = try await AnalyticsRebuild.run(harness.store, checkOnly: true)
        #expect(check.differences.isEmpty, "\(check.differences)")
    }

    @Test("a carrier's GPS coverage: the minutes in transit its truck reported at least once a minute, counted by the positions' writer, fixed at delivery",
          arguments: StoreKind.allCases)
    func gpsCoverage(kind: StoreKind) async throws {
        let harness = try await company(kind)
        let at = { (seconds: Double) in Timestamp(F.at.date.addingTimeInterval(seconds)) }
        let destination = ShipmentCreated.Destination(dealerId: "D1", region: Region(province: "上海"), position: nil)
        try await harness.apply(F.event("S1-created", "S1", .shipmentCreated(ShipmentCreated(shipmentId: "S1", carrierId: "C1", orderIds: [], originWarehouseId: "WH1",
                                                                                           destination: destination))), topic: "hub.shipments")
        try await harness.apply(F.event("S1-vehicle", "S1", .shipmentVehicleAssigned(ShipmentVehicleAssigned(shipmentId: "S1", vehicleId: "V1", plate: "沪A1",
                                                                                                         driverName: "李", driverPhone: "139"))), topic: "hub.shipments")
        let positions = try PositionStore(harness.database.location)
        func report(_ seconds: [Double], batch: String) async throws {
            try await positions.apply(seconds.map { IdentifiedFix(eventId: "\(batch)-\($0)", fix: VehicleFix(vehicleId: "V1", fixAt: at($0), lat: 31.2, lon: 121.4,
                                                                                                        speedKmh: 40, heading: 0, source: .jt808)) },
                                      consumed: [], group: "g")
        }
        try await report([-120, -60], batch: "before")  // not yet dispatched: not in transit
        try await harness.apply(F.event("S1-dispatched", "S1", .shipmentDispatched(ShipmentDispatched(shipmentId: "S1", dispatchedAt: at(0)))), topic: "hub.shipments")
        try await report([0, 30, 60], batch: "a")            // 60 (from the fix a minute before) + 30 + 30
        try await report([60, 180, 200, 200, 230], batch: "b")  // a repeat adds nothing; 120 s apart is a gap; then 20 + 30
        try await harness.apply(F.event("S1-arrived", "S1", .shipmentArrived(ShipmentArrived(shipmentId: "S1", arrivedAt: at(600)))), topic: "hub.shipments")
        try await report([260], batch: "c")                  // arrived: no longer in transit
        let covered = try harness.rows("SELECT gps_covered_ms FROM shipments WHERE shipment_id = 'S1'").first?.int64(0)
        #expect(covered == 170_000, "60 + 30 + 30 + 20 + 30 seconds")
        try await harness.apply(F.event("S1-delivered", "S1", .shipmentDelivered(ShipmentDelivered(shipmentId: "S1", deliveredAt: at(900)))), topic: "hub.shipments")
        let carrier = try await figures(harness, .carrier, "C1")
        #expect(carrier.transitMinutes == 10 && carrier.gpsCoveredMinutes == 3, "600 s in transit, 170 s covered: 10 and 3 minutes")
        #expect(FigureRatios.gpsCoverage(carrier) == Decimal(3) / 10)
        let check = try await AnalyticsRebuild.run(harness.store, checkOnly: true)
        #expect(check.differences.isEmpty, "\(check.differences)")
    }

    @Test("the table writes and reads back every measure, each in its own column", arguments: StoreKind.allCases)
    func everyColumn(kind: StoreKind) async throws {
        let harness = try RuleHarness(try TestDatabase(kind))
        #expect(AnalyticsMeasures.columns.count <= 64, "one lane of the vector and one bit of the statement's mask each")
        var measures = AnalyticsMeasures()
        for index in AnalyticsMeasures.columns.indices { measures[index] = Int64(index + 1) }
        var change = FigureContributions()
        let key = FigureKey(.dealer, "D1", productLine: FigureKey.allLines, month: FigureMonth(year: 2026, month: 12)!)
        change.add(key, measures)
        let written = change
        let read = { () async throws -> AnalyticsMeasures in
            try await harness.store.read { reader throws(StoreError) in try reader.analytics.total(.dealer, "D1", months: key.month...key.month) }
        }
        try await harness.store.transaction { tables throws(StoreError) in try tables.analytics.add(written) }
        let pending = try await read()
        #expect(pending == measures, "appended: \(AnalyticsMeasures.columns.indices.filter { pending[$0] != measures[$0] }.map { AnalyticsMeasures.columns[$0] })")
        #expect(try await FigureFolder(store: harness.store).fold() == (kind == .sqlite ? .init(pendingRows: 1, figureRows: 1) : .init(pendingRows: 0, figureRows: 0)))
        let folded = try await read()
        #expect(folded == measures, "folded: \(AnalyticsMeasures.columns.indices.filter { folded[$0] != measures[$0] }.map { AnalyticsMeasures.columns[$0] })")
        try await harness.store.transaction { tables throws(StoreError) in try tables.analytics.add(written) }
        #expect(try await read() == measures + measures, "half folded, half pending on SQLite")
    }

    @Test("many rows of different measures in one transaction, keys with quotes, backslashes, commas, braces, NULL, Chinese and empty text: read back exactly, and added again, doubled",
          arguments: StoreKind.allCases)
    func manyRowsAndAwkwardKeys(kind: StoreKind) async throws {
        let harness = try RuleHarness(try TestDatabase(kind))
        let month = FigureMonth(year: 2026, month: 11)!
        let awkward = ["", "NULL", "a,b", "{x}", "say \"hi\"", "back\\slash", "润滑油 4L", " spaced "]
        var change = FigureContributions()
        // More rows than one PostgreSQL statement adds (`AnalyticsTable.upsertChunk`), each with its own mix of measures.
        for index in 0..<2_600 {
            var measures = AnalyticsMeasures()
            measures[index % AnalyticsMeasures.columns.count] = Int64(index + 1)
            measures[(index * 7) % AnalyticsMeasures.columns.count] -= 3
            change.add(FigureKey(.dealer, "D\(index)", productLine: awkward[index % awkward.count], month: month.adding(months: -(index % 3))), measures)
        }
        for (index, text) in awkward.enumerated() {
            var measures = AnalyticsMeasures()
            measures.ordersSubmitted = Int64(index + 1)
            change.add(FigureKey(.branch, text, productLine: text, month: month), measures)
        }
        let written = change
        try await harness.store.transaction { tables throws(StoreError) in try tables.analytics.add(written) }
        let once = try await harness.store.transaction { tables throws(StoreError) in try tables.analytics.all() }
        #expect(once == written, "\(Set(written.measures.keys).symmetricDifference(once.measures.keys).prefix(5))")
        try await harness.store.transaction { tables throws(StoreError) in try tables.analytics.add(written) }
        try await FigureFolder(store: harness.store).fold()
        let twice = try await harness.store.transaction { tables throws(StoreError) in try tables.analytics.all() }
        #expect(twice.measures.count == written.measures.count)
        #expect(twice.measures.allSatisfy { key, measures in written.measures[key].map { $0 + $0 } == measures })
    }

    @Test("rebuild reports a figure that drifted from the facts, names it, and puts it right", arguments: StoreKind.allCases)
    func rebuildFindsDrift(kind: StoreKind) async throws {
        let harness = try await company(kind)
        try await harness.apply(F.submit("O1", [("M1", "1", .spot)]), topic: "hub.orders.commands")
        try await FigureFolder(store: harness.store).fold()
        _ = try harness.database.location.open().execute("UPDATE analytics_figures SET orders_valid = orders_valid + 7 WHERE scope = 'branch' AND month = '2026-12'")
        let found = try await AnalyticsRebuild.run(harness.store, checkOnly: false)
        #expect(found.differences.count == 2, "the branch's December row for all lines and for the order's line")
        #expect(found.differences.first?.description.contains("orders_valid kept 8, rebuilt 1") == true, "\(found.differences)")
        let again = try await AnalyticsRebuild.run(harness.store, checkOnly: true)
        #expect(again.differences.isEmpty)
    }
}
