import Adapters
import Foundation
import HubContracts
import Simulator
import Testing

/// The simulated company: deterministic for a seed, at the scale of the requirements, and every
/// document it publishes is one the hub's own ERP adapter maps without a single refusal.
@Suite("simulator: the company and its ERP documents")
struct CompanyTests {
    static let catalogue: TopicCatalogue = {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("topics")
        return try! TopicCatalogue.load(directory: directory)
    }()

    @Test("the requirements' scale: 6 branches, 5,000 tier-1 and 50,000 tier-2 dealers (each with a tier-1 parent in its branch), 4,000+ materials over 3 lines")
    func scale() {
        let company = Company.generate(seed: 7)
        #expect(company.branches.count == 6)
        #expect(company.dealers.filter { $0.tier == .tier1 }.count == 5_000 && company.dealers.filter { $0.tier == .tier2 }.count == 50_000)
        #expect(company.materials.count >= 4_000 && Set(company.materials.map(\.channel)) == ["10", "20", "30"])
        #expect(Set(company.dealers.map(\.customerNumber)).count == company.dealers.count && Set(company.materials.map(\.number)).count == company.materials.count)
        let tier1 = Dictionary(uniqueKeysWithValues: company.tier1.map { ($0.customerNumber, $0) })
        #expect(company.dealers.filter { $0.tier == .tier2 }.allSatisfy { tier1[$0.parentCustomerNumber ?? ""]?.branch == $0.branch })
        #expect(Set(company.branches.flatMap(\.provinces)).count == 31)
    }

    @Test("the same seed gives the same documents byte for byte; another seed another company")
    func deterministic() {
        var first = ERPDocuments(company: Company.generate(seed: 42, tier1: 30, tier2: 90, materials: 60))
        var again = ERPDocuments(company: Company.generate(seed: 42, tier1: 30, tier2: 90, materials: 60))
        var other = ERPDocuments(company: Company.generate(seed: 43, tier1: 30, tier2: 90, materials: 60))
        let messages = first.all()
        #expect(messages == again.all())
        #expect(messages != other.all())
    }

    @Test("every document maps through the ERP adapter without a refusal, into exactly the company's master data; the rest is valid on its topic")
    func mapsCleanly() throws {
        let company = Company.generate(seed: 11, tier1: 60, tier2: 240, materials: 450)
        var documents = ERPDocuments(company: company)
        let messages = documents.all()
        let erp = try #require(HubAdapters.mapping(named: "erp", catalogue: Self.catalogue))
        var events: [String: Int] = [:]
        var dealers = Set<String>()
        var prices = 0
        for (offset, message) in messages.enumerated() {
            if message.topic.hasPrefix("hub.") {
                #expect(Self.catalogue.validate(topic: message.topic, value: message.value) == .valid, "\(message.topic) \(message.key)")
                continue
            }
            let result = erp.map(RawRecord(topic: message.topic, partition: 0, offset: Int64(offset), key: Array(message.key.utf8), value: message.value))
            #expect(result.rejections.isEmpty, "\(message.topic) \(message.key): \(result.rejections.map(\.reason))")
            for event in result.events {
                let decoded = try CanonicalEvent.decode(event.value)
                events[decoded.type, default: 0] += 1
                if let dealer = decoded.data.payload(as: DealerUpserted.self) {
                    dealers.insert(dealer.dealerId)
                    #expect(dealer.permissionGroupIds.allSatisfy { $0.count == 6 && $0.hasPrefix("PG-") })
                }
                if let list = decoded.data.payload(as: PriceListUpserted.self) { prices += list.prices.count }
            }
        }
        #expect(dealers == Set(company.dealers.map(\.dealerId)))
        #expect(events["material.upserted"] == company.materials.count)
        #expect(events["dealer.credit-limit-set"] == company.tier1.count)
        #expect(prices == company.materials.count * Company.customerClasses.count)
        #expect(events["stock.snapshot"] == company.materials.count * company.plants.count)
    }
}
