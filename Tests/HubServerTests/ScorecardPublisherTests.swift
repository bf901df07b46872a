import Foundation
import HubContracts
import HubCore
@testable import HubServer
@_spi(SQL) import HubStore
import Logging
@_spi(SQL) import StoreTestSupport
import Testing

/// The scorecards on `hub.scorecards`: every kind's rows for this month and the year to date,
/// through the core's outbox; a round with nothing changed publishes nothing, a change only the
/// rows it moved.
@Suite("scorecards published for downstream BI")
struct ScorecardPublisherTests {
    let at = Timestamp(parsing: "2026-12-02T02:00:00Z")!

    func event(_ id: String, _ data: EventData) -> CanonicalEvent {
        CanonicalEvent(id: id, source: "test", occurredAt: at, subject: id, data: data)
    }

    @Test("each changed row once, keyed kind:period:id, valid against the catalogue's schema")
    func publishes() async throws {
        let database = try TestDatabase(.sqlite)
        let store = try CoreStore(database.location)
        let rules = CoreRules(now: { Date(timeIntervalSince1970: 1_796_176_800) })
        var offset: Int64 = 0
        func apply(_ event: CanonicalEvent) async throws {
            offset += 1
            let source = EventSource(group: "test", topic: "hub.test", partition: 0, offset: offset)
            let outcome = try await store.apply(eventId: event.id, source: source) { tables throws(StoreError) in try rules.apply(event, source: source, in: tables) }
            #expect(outcome == .applied, "\(event.type): \(outcome)")
        }
        try await apply(event("d1", .dealerUpserted(DealerUpserted(dealerId: "D1", name: "上海一级", tier: .tier1, branchId: "BR-EAST", region: Region(province: "上海"),
                                                                  productLines: [], permissionGroupIds: [], creditLimit: Money(amount: DecimalNumber("1000")!), status: .active))))
        try await apply(event("k1", .contractUpserted(ContractUpserted(contractId: "K1", dealerId: "D1", productLine: .automotivePackaged, validFrom: CalendarDate("2026-12-01")!,
                                                                       validTo: CalendarDate("2026-12-31")!, lines: [.init(lineNo: 10, quantity: DecimalNumber("310")!, unit: "L")],
                                                                       contractedLitres: DecimalNumber("310")!, contractedKilograms: nil, status: .active))))
        let publisher = ScorecardPublisher(store: store, interval: .seconds(60), logger: Logger(label: "test"))
        let now = Date(timeIntervalSince1970: 1_796_176_800)  // 2026-12-03 in China
        let first = try await publisher.publishOnce(now: now)
        let rows = try database.rows("SELECT message_key, value FROM outbox WHERE topic = 'hub.scorecards' ORDER BY seq")
        #expect(first == rows.count && first == 4, "the dealer's and its branch's rows for the month and the year: \(rows.map { $0.string(0) ?? "" })")
        let keys = Set(rows.compactMap { $0.string(0) })
        #expect(keys.isSuperset(of: ["dealers:2026-12:D1", "dealers:2026:D1", "branches:2026-12:BR-EAST", "branches:2026:BR-EAST"]))
        let catalogue = try TopicCatalogue.load(directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("topics"))
        for row in rows {
            let bytes = row.blob(1) ?? []
            #expect(catalogue.validate(topic: "hub.scorecards", value: bytes) == .valid, "\(String(decoding: bytes, as: UTF8.self))")
            let published = try #require(try CanonicalEvent.decode(bytes).data.payload(as: ScorecardPublished.self))
            if published.kind == "dealers" { #expect(published.contractedVolume == DecimalNumber("310.000") || published.period == "2026") }
        }
        #expect(try await publisher.publishOnce(now: now) == 0, "nothing changed: nothing published")
        try await apply(event("k1-more", .contractUpserted(ContractUpserted(contractId: "K1", dealerId: "D1", productLine: .automotivePackaged,
                                                                            validFrom: CalendarDate("2026-12-01")!, validTo: CalendarDate("2026-12-31")!,
                                                                            lines: [.init(lineNo: 10, quantity: DecimalNumber("620")!, unit: "L")],
                                                                            contractedLitres: DecimalNumber("620")!, contractedKilograms: nil, status: .active))))
        #expect(try await publisher.publishOnce(now: now) == 4, "the contract moved every row that counts it")
    }
}
