import Foundation
import HubContracts
import HubCore
@_spi(SQL) import HubStore
import StoreTestSupport
import Testing

/// Flows (流向) in the store, on both databases: the core keeps each dealer's sell-through records
/// (a record sent again corrects it), and who reads what follows the reader's scope and its
/// permission groups' flows — each group's reach only over the materials that group grants.
@Suite("sell-through records kept by the core, and whose each reader sees")
struct SellThroughRulesTests {
    static let at = Timestamp(parsing: "2026-11-01T00:00:00Z")!

    static func event(_ id: String, _ data: EventData) -> CanonicalEvent {
        CanonicalEvent(id: id, source: "test", occurredAt: at, subject: id, data: data)
    }

    static func dealer(_ id: String, eventId: String? = nil, tier: DealerTier, parent: String? = nil, branch: String, groups: [String]) -> CanonicalEvent {
        event(eventId ?? "dealer-\(id)", .dealerUpserted(DealerUpserted(dealerId: id, name: id, tier: tier, parentDealerId: parent, branchId: branch,
                                                             region: Region(province: "上海"), productLines: [], permissionGroupIds: groups,
                                                             creditLimit: nil, status: .active)))
    }

    static func group(_ id: String, eventId: String? = nil, dealers: [String], lines: [ProductLine], materials: [String] = [],
                      flows: FlowReach?) -> CanonicalEvent {
        event(eventId ?? "group-\(id)", .permissionGroupUpserted(PermissionGroupUpserted(
            groupId: id, name: id, dealerIds: dealers, catalogue: .init(productLines: lines, materialIds: materials), priceListId: "PL",
            stockLocations: [], flows: flows.map { .init(reach: $0) })))
    }

    static func material(_ id: String, _ line: ProductLine) -> CanonicalEvent {
        event("material-\(id)", .materialUpserted(MaterialUpserted(materialId: id, name: id, productLine: line, productLineCode: "10", category: "oil",
                                                                   grade: "x", packageSize: .init(value: DecimalNumber("4")!, unit: "L"),
                                                                   unitOfMeasure: "EA", status: "active")))
    }

    static func sold(_ record: String, by dealer: String, _ material: String, quantity: String = "1", on day: Int = 1,
                     eventId: String? = nil) -> CanonicalEvent {
        event(eventId ?? "sold-\(dealer)-\(record)", .sellThroughRecorded(SellThroughRecorded(
            recordId: record, dealerId: dealer, materialId: material, quantity: DecimalNumber(quantity)!,
            soldAt: Timestamp(parsing: String(format: "2026-11-%02dT08:00:00Z", day))!,
            customer: .init(kind: .endCustomer, region: Region(province: "江苏")))))
    }

    /// T1 (tier-1, branch E) with its tier-2 T2; K1 (tier-1, branch N) with its tier-2 K2. Groups:
    /// GA (T1, automotive), GN (K1, industrial). A is automotive, I industrial. Each dealer sold
    /// one of each.
    static func company(_ store: RuleHarness) async throws {
        let setup = [
            material("A", .automotivePackaged), material("I", .industrialPackaged),
            dealer("T1", tier: .tier1, branch: "E", groups: []), dealer("T2", tier: .tier2, parent: "T1", branch: "E", groups: []),
            dealer("K1", tier: .tier1, branch: "N", groups: ["GN"]), dealer("K2", tier: .tier2, parent: "K1", branch: "N", groups: []),
            group("GA", dealers: ["T1"], lines: [.automotivePackaged], flows: nil),
            group("GN", dealers: [], lines: [.industrialPackaged], flows: nil),
        ]
        for event in setup { #expect(try await store.apply(event) == .applied, "\(event.id)") }
        for dealer in ["T1", "T2", "K1", "K2"] {
            for material in ["A", "I"] {
                #expect(try await store.apply(sold("\(dealer)\(material)", by: dealer, material)) == .applied)
            }
        }
    }

    static func seen(_ store: RuleHarness, _ reader: SellThroughReadModel.Reader, _ filter: SellThroughReadModel.Filter = .init()) async throws -> Set<String> {
        Set(try await store.store.read { tables throws(StoreError) in try tables.sellThrough.records(for: reader, filter) }.map(\.recordId))
    }

    @Test("each dealer sees its own; own-and-tier2 adds its tier-2 dealers' and group its fellow members' records, of the group's catalogue only",
          arguments: StoreKind.allCases)
    func flowsWidenWhatDealersSee(kind: StoreKind) async throws {
        let store = try RuleHarness(try TestDatabase(kind))
        try await Self.company(store)
        #expect(try await Self.seen(store, .dealer("T1")) == ["T1A", "T1I"])
        #expect(try await Self.seen(store, .dealer("T2")) == ["T2A", "T2I"])

        #expect(try await store.apply(Self.group("GA", eventId: "ga-2", dealers: ["T1"], lines: [.automotivePackaged], flows: .ownAndTier2)) == .applied)
        #expect(try await Self.seen(store, .dealer("T1")) == ["T1A", "T1I", "T2A"], "T2's automotive record, not its industrial one")
        #expect(try await Self.seen(store, .dealer("T2")) == ["T2A", "T2I"], "the tier-2 dealer does not see up the chain")
        #expect(try await Self.seen(store, .dealer("K1")) == ["K1A", "K1I"], "GN still reaches only its members' own")

        // The ERP sends GA again without flows: what the company set stays.
        #expect(try await store.apply(Self.group("GA", eventId: "ga-erp", dealers: ["T1"], lines: [.automotivePackaged], flows: nil)) == .applied)
        #expect(try await Self.seen(store, .dealer("T1")) == ["T1A", "T1I", "T2A"])

        // A cross-branch group of T1 and K1 (K1 a member from its own record) over the industrial line, reaching the group.
        #expect(try await store.apply(Self.dealer("K1", eventId: "k1-2", tier: .tier1, branch: "N", groups: ["GN", "GX"])) == .applied)
        #expect(try await store.apply(Self.group("GX", dealers: ["T1"], lines: [], materials: ["I"], flows: .group)) == .applied)
        #expect(try await Self.seen(store, .dealer("T1")) == ["T1A", "T1I", "T2A", "K1I"], "K1's industrial record through GX")
        #expect(try await Self.seen(store, .dealer("K1")) == ["K1A", "K1I", "T1I"], "and T1's through the same group")
        #expect(try await Self.seen(store, .dealer("K2")) == ["K2A", "K2I"])

        #expect(try await store.apply(Self.group("GA", eventId: "ga-3", dealers: ["T1"], lines: [.automotivePackaged], flows: .own)) == .applied)
        #expect(try await Self.seen(store, .dealer("T1")) == ["T1A", "T1I", "K1I"], "narrowed again")
    }

    @Test("staff by scope: a branch its dealers', a product-line manager its lines' materials only; a carrier nothing", arguments: StoreKind.allCases)
    func staffScopes(kind: StoreKind) async throws {
        let store = try RuleHarness(try TestDatabase(kind))
        try await Self.company(store)
        #expect(try await Self.seen(store, .staff(.everyone)).count == 8)
        #expect(try await Self.seen(store, .staff(.branch("E"))) == ["T1A", "T1I", "T2A", "T2I"])
        #expect(try await Self.seen(store, .staff(.productLines(["automotive-packaged"]))) == ["T1A"], "dealers granted the line, its materials")
        #expect(try await Self.seen(store, .staff(.productLines(["industrial-packaged"]))) == ["K1I"])
        #expect(try await Self.seen(store, .staff(.nobody)).isEmpty)
    }

    @Test("a record sent again corrects it in place; an unknown dealer or material is held; filters and pages", arguments: StoreKind.allCases)
    func correctionsReferencesAndFilters(kind: StoreKind) async throws {
        let store = try RuleHarness(try TestDatabase(kind))
        try await Self.company(store)
        #expect(try await store.apply(Self.sold("T1A", by: "T1", "A", quantity: "7", on: 9, eventId: "correction")) == .applied)
        let records = try await store.store.read { tables throws(StoreError) in try tables.sellThrough.records(for: .dealer("T1"), .init()) }
        let corrected = try #require(records.first { $0.recordId == "T1A" })
        #expect(corrected.quantity == "7" && corrected.soldAt == "2026-11-09T08:00:00Z" && records.count == 2)
        #expect(records.map(\.recordId) == ["T1I", "T1A"], "the correction keeps the record's place")

        #expect(try await store.apply(Self.sold("X", by: "NOBODY", "A")) == .unknownReference("dealer NOBODY"))
        #expect(try await store.apply(Self.sold("Y", by: "T1", "NOTHING")) == .unknownReference("material NOTHING"))
        #expect(try store.rows("SELECT COUNT(*) FROM sell_through").first?.int(0) == 8, "nothing kept of either")

        var filter = SellThroughReadModel.Filter()
        filter.from = Timestamp(parsing: "2026-11-05T00:00:00Z")
        #expect(try await Self.seen(store, .staff(.everyone), filter) == ["T1A"])
        filter = .init()
        filter.materialId = "I"
        filter.limit = 2
        let first = try await store.store.read { [filter] tables throws(StoreError) in try tables.sellThrough.records(for: .staff(.everyone), filter) }
        filter.before = first.last?.seq
        let second = try await store.store.read { [filter] tables throws(StoreError) in try tables.sellThrough.records(for: .staff(.everyone), filter) }
        #expect(first.map(\.recordId) == ["K2I", "K1I"] && second.map(\.recordId) == ["T2I", "T1I"])
    }
}
