import Foundation
import HubContracts
import HubCore
import HubDomain
@_spi(SQL) import HubStore
import KafkaTestSupport
import StoreTestSupport
import Testing

/// Master data from the catalogue's own examples, applied to SQLite, then an order decided on what
/// the store holds.
@Suite("master data in the store, and an order decided on it")
struct MasterDataDecisionTests {
    static let topics = repositoryRoot.appendingPathComponent("topics")

    func example(_ catalogue: TopicCatalogue, _ topic: String, _ index: Int) throws -> CanonicalEvent {
        try CanonicalEvent.decode(try #require(catalogue[topic]?.examples[index]).bytes)
    }

    @Test("upserts, repeats and unknown references; the dealer's groups decide catalogue, price and stock", arguments: StoreKind.allCases)
    func decideOnStoredMasterData(kind: StoreKind) async throws {
        let catalogue = try TopicCatalogue.load(directory: Self.topics)
        let store = try RuleHarness(try TestDatabase(kind))
        func apply(_ event: CanonicalEvent) async throws -> ApplyOutcome { try await store.apply(event) }
        for (topic, index) in [("hub.dealers", 0), ("hub.permission-groups", 0), ("hub.materials", 0), ("hub.materials", 1),
                               ("hub.price-lists", 0), ("hub.warehouses", 0), ("hub.inventory.snapshots", 0)] {
            #expect(try await apply(example(catalogue, topic, index)) == .applied, "\(topic) #\(index)")
        }
        #expect(try await apply(example(catalogue, "hub.dealers", 0)) == .duplicate, "the same event id changes nothing")
        #expect(try await apply(example(catalogue, "hub.inventory.snapshots", 1)) == .applied, "a tier-1 dealer's own stock (negative as reported)")
        let unknown = CanonicalEvent(id: "credit-unknown", source: "test", occurredAt: Timestamp(Date()),
                                     subject: "D404", data: .dealerCreditLimitSet(DealerCreditLimitSet(dealerId: "D404", creditLimit: Money(amount: DecimalNumber("1")!))))
        #expect(try await apply(unknown) == .unknownReference("dealer D404"))
        let stranger = CanonicalEvent(id: "x-1", source: "test", occurredAt: Timestamp(Date()), subject: "X",
                                      data: .unknown(type: "thing.happened", json: .object([:])))
        #expect(try await apply(stranger) == .notHandled)

        let records = try await store.orderContext(dealerId: "D100042", materialIds: ["M-SN5W30-4L", "M-BULK-HM46", "M-NOWHERE"])
        #expect(records.dealer?.status == "active")
        #expect(records.knownMaterials == ["M-SN5W30-4L", "M-BULK-HM46"])
        #expect(records.grantedMaterials == ["M-SN5W30-4L"], "PG-EAST-AUTO grants the automotive line, not bulk")
        #expect(records.prices["M-SN5W30-4L"]?.unitPrice == "168.00")
        #expect(records.stock["M-SN5W30-4L"]?.map(\.onHand) == ["4820"])

        let context = OrderDecisionContext(records: records, openOrderValue: 0, pricedAt: Timestamp(Date()))
        let order = OrderSubmission(orderId: "O-1", dealerId: "D100042", lines: [
            OrderLine(lineNo: 1, materialId: "M-SN5W30-4L", quantity: DecimalNumber("120")!, kind: .spot),
        ], submittedBy: "U1", channel: .api)
        guard case .accepted(let accepted) = OrderDecision.decide(order, context: context) else {
            Issue.record("rejected: \(OrderDecision.decide(order, context: context))")
            return
        }
        #expect(accepted.lines[0].reservations == [OrderAccepted.Reservation(warehouseId: "P1010", locationId: "0001", quantity: DecimalNumber("120")!)])
        #expect(accepted.total == Money(amount: DecimalNumber("20160")!, currency: "CNY"))

        let bulk = OrderSubmission(orderId: "O-2", dealerId: "D100042", lines: [
            OrderLine(lineNo: 1, materialId: "M-BULK-HM46", quantity: DecimalNumber("1")!, kind: .madeToOrder),
        ], submittedBy: "U1", channel: .api)
        guard case .rejected(let rejected) = OrderDecision.decide(bulk, context: context) else { Issue.record("bulk accepted"); return }
        #expect(rejected.reasons.map(\.code) == [.materialNotInCatalogue])
    }

    @Test("a material's litres, kilograms and costs per plant are kept; a later master without valuation data keeps the costs, an empty list clears them", arguments: StoreKind.allCases)
    func materialFacts(kind: StoreKind) async throws {
        let catalogue = try TopicCatalogue.load(directory: Self.topics)
        let store = try RuleHarness(try TestDatabase(kind))
        let typical = try example(catalogue, "hub.materials", 0)
        #expect(try await store.apply(typical) == .applied)
        func facts() async throws -> MaterialFacts? {
            try await store.store.read { reader throws(StoreError) in try reader.masterData.materialFacts("M-SN5W30-4L") }
        }
        let stored = try #require(try await facts())
        #expect(stored.volumeLitres == DecimalNumber("4") && stored.netWeightKg == DecimalNumber("3.5") && stored.unitOfMeasure == "EA")
        #expect(stored.valuations.map(\.plantId) == ["P1010", "P1020"] && stored.valuations.first?.unitCost == DecimalNumber("96.5")
                && stored.valuations.last?.priceControl == .movingAverage)
        var material = try #require(typical.data.payload(as: MaterialUpserted.self))
        material.valuations = nil
        material.name = "改名"
        #expect(try await store.apply(CanonicalEvent(id: "m-2", source: "adapter-erp", occurredAt: typical.occurredAt, subject: material.materialId,
                                                     data: .materialUpserted(material))) == .applied)
        #expect(try await facts()?.valuations.count == 2, "no valuation data in the message: the costs stay")
        material.valuations = []
        #expect(try await store.apply(CanonicalEvent(id: "m-3", source: "adapter-erp", occurredAt: typical.occurredAt, subject: material.materialId,
                                                     data: .materialUpserted(material))) == .applied)
        #expect(try await facts()?.valuations.isEmpty == true, "an empty list: none")
        #expect(try await store.store.read { reader throws(StoreError) in try reader.masterData.materialFacts("M-NOPE") } == nil)
    }

    @Test("a dealer's contracts are kept as the ERP last sent them; one of a dealer not known yet is held until it is", arguments: StoreKind.allCases)
    func contracts(kind: StoreKind) async throws {
        let catalogue = try TopicCatalogue.load(directory: Self.topics)
        let store = try RuleHarness(try TestDatabase(kind))
        let typical = try example(catalogue, "hub.contracts", 0)
        #expect(try await store.apply(typical) == .unknownReference("dealer D100042"), "no dealer D100042 yet")
        #expect(try await store.apply(example(catalogue, "hub.dealers", 0)) == .applied)
        #expect(try await store.apply(typical) == .applied)
        #expect(try await store.apply(example(catalogue, "hub.contracts", 1)) == .applied)
        func held() async throws -> [ContractUpserted] {
            try await store.store.read { reader throws(StoreError) in try reader.contracts.contracts(of: "D100042") }
        }
        let contracts = try await held()
        #expect(contracts.map(\.contractId) == ["0040000123", "0040000077"], "by the day each starts")
        #expect(contracts.first == typical.data.payload(as: ContractUpserted.self), "kept whole, its lines included")
        // The ERP cancels the first: sent again, it replaces what was held.
        var cancelled = try #require(typical.data.payload(as: ContractUpserted.self))
        cancelled.status = .cancelled
        #expect(try await store.apply(CanonicalEvent(id: "contract-again", source: "adapter-erp", occurredAt: typical.occurredAt, subject: cancelled.contractId,
                                                     data: .contractUpserted(cancelled))) == .applied)
        #expect(try await held().map(\.status) == [.cancelled, .cancelled])
    }

    @Test("an older stock snapshot never overwrites a newer one", arguments: StoreKind.allCases)
    func snapshotsNeverGoBack(kind: StoreKind) async throws {
        let store = try RuleHarness(try TestDatabase(kind))
        func snapshot(_ id: String, _ onHand: String, _ asOf: String) -> CanonicalEvent {
            CanonicalEvent(id: id, source: "test", occurredAt: Timestamp(parsing: asOf)!, subject: "W:M",
                           data: .stockSnapshot(StockSnapshot(warehouseId: "W", materialId: "M", onHand: DecimalNumber(onHand)!, asOf: Timestamp(parsing: asOf)!)))
        }
        let group = CanonicalEvent(id: "g", source: "test", occurredAt: Timestamp(Date()), subject: "G",
                                   data: .permissionGroupUpserted(PermissionGroupUpserted(groupId: "G", name: "g", dealerIds: ["D"], catalogue: .init(productLines: [], materialIds: ["M"]),
                                                                 priceListId: "P", stockLocations: [.init(warehouseId: "W")])))
        let material = CanonicalEvent(id: "m", source: "test", occurredAt: Timestamp(Date()), subject: "M",
                                      data: .materialUpserted(MaterialUpserted(materialId: "M", name: "m", productLine: .bulk, productLineCode: "x", category: "x", grade: "x",
                                                             packageSize: .init(value: DecimalNumber("1")!, unit: "L"), unitOfMeasure: "L", status: "active")))
        #expect(try await store.apply(group) == .applied)
        #expect(try await store.apply(material) == .applied)
        #expect(try await store.apply(snapshot("s2", "80", "2026-12-03T09:00:00Z")) == .applied)
        #expect(try await store.apply(snapshot("s1", "50", "2026-12-03T08:00:00Z")) == .applied)
        let records = try await store.orderContext(dealerId: "D", materialIds: ["M"])
        #expect(records.stock["M"]?.map(\.onHand) == ["80"], "the snapshot of 08:00 arrived late and lost")
        #expect(records.grantedMaterials == ["M"], "the group grants the dealer from the group's side too")
    }

    @Test("the ERP's customer master keeps the credit limit; a price condition sets its material and keeps the list's others", arguments: StoreKind.allCases)
    func partialMasterData(kind: StoreKind) async throws {
        let store = try RuleHarness(try TestDatabase(kind))
        func event(_ id: String, _ data: EventData) -> CanonicalEvent {
            CanonicalEvent(id: id, source: "test", occurredAt: Timestamp(Date()), subject: "x", data: data)
        }
        func dealer(_ limit: Money?, name: String) -> DealerUpserted {
            DealerUpserted(dealerId: "D7", name: name, tier: .tier1, branchId: "B", region: Region(province: "上海"), productLines: [],
                           permissionGroupIds: ["G"], creditLimit: limit, status: .active)
        }
        func limit() throws -> [String?] {
            try store.rows("SELECT credit_limit, currency, name FROM dealers WHERE dealer_id = 'D7'").first.map { [$0.string(0), $0.string(1), $0.string(2)] } ?? []
        }
        #expect(try await store.apply(event("d1", .dealerUpserted(dealer(nil, name: "新店")))) == .applied)
        #expect(try limit() == ["0", "CNY", "新店"], "a new dealer without a limit has none")
        #expect(try await store.apply(event("c1", .dealerCreditLimitSet(DealerCreditLimitSet(dealerId: "D7", creditLimit: Money(amount: DecimalNumber("5000.00")!))))) == .applied)
        #expect(try await store.apply(event("d2", .dealerUpserted(dealer(nil, name: "新店二")))) == .applied)
        #expect(try limit() == ["5000.00", "CNY", "新店二"], "the customer master changed the name, not the limit")
        #expect(try await store.apply(event("d3", .dealerUpserted(dealer(Money(amount: DecimalNumber("7.00")!, currency: "USD"), name: "新店二")))) == .applied)
        #expect(try limit() == ["7.00", "USD", "新店二"], "a source that knows the limit sets it")

        func prices(_ id: String, _ entries: [(String, String)]) -> CanonicalEvent {
            event(id, .priceListUpserted(PriceListUpserted(priceListId: "PL-A1", customerGroup: "A1", currency: "CNY", validFrom: CalendarDate("2026-12-01")!,
                                                               prices: entries.map { .init(materialId: $0.0, unitPrice: DecimalNumber($0.1)!) })))
        }
        #expect(try await store.apply(prices("p1", [("M1", "10.00")])) == .applied)
        #expect(try await store.apply(prices("p2", [("M2", "20.00")])) == .applied)
        #expect(try await store.apply(prices("p3", [("M1", "11.00")])) == .applied)
        let stored = try store.rows("SELECT material_id, unit_price FROM prices WHERE price_list_id = 'PL-A1' ORDER BY material_id").map { "\($0.string(0) ?? ""):\($0.string(1) ?? "")" }
        #expect(stored == ["M1:11.00", "M2:20.00"])
    }
}
