import Foundation
import HubContracts
import HubDomain
import Testing

/// Whom an announcement or survey reaches: a matrix of audiences × dealers, each cell written out.
@Suite("audience (R5, R6)")
struct AudienceTests {
    static func member(_ id: String, _ branch: String, _ province: String, _ tier: DealerTier, _ lines: [(ProductLine, String)], groups: Set<String> = []) -> Audience.Member {
        Audience.Member(dealerId: id, branchId: branch, province: province, tier: tier,
                        lines: lines.map { DealerUpserted.ProductLineClass(productLine: $0.0, customerClass: $0.1) }, permissionGroups: groups)
    }

    /// Five dealers that differ in one thing at a time.
    static let dealers = [
        member("D1", "BR-EAST", "上海", .tier1, [(.automotivePackaged, "A"), (.bulk, "C")], groups: ["PG-AUTO"]),
        member("D2", "BR-EAST", "江苏", .tier1, [(.bulk, "A")], groups: ["PG-BULK"]),
        member("D3", "BR-NORTH", "北京", .tier1, [(.automotivePackaged, "B")], groups: ["PG-AUTO"]),
        member("D4", "BR-EAST", "上海", .tier2, [(.automotivePackaged, "A")]),
        member("D5", "BR-SOUTH", "广东", .tier2, []),
    ]

    static let cases: [(String, Audience, Set<String>)] = [
        ("everyone", .everyone, ["D1", "D2", "D3", "D4", "D5"]),
        ("one branch", Audience(branches: ["BR-EAST"]), ["D1", "D2", "D4"]),
        ("two branches", Audience(branches: ["BR-EAST", "BR-NORTH"]), ["D1", "D2", "D3", "D4"]),
        ("a province", Audience(provinces: ["上海"]), ["D1", "D4"]),
        ("a branch and a province: both must hold", Audience(branches: ["BR-EAST"], provinces: ["上海", "北京"]), ["D1", "D4"]),
        ("tier 2", Audience(tiers: [.tier2]), ["D4", "D5"]),
        ("a line", Audience(productLines: [.bulk]), ["D1", "D2"]),
        ("a class in any line", Audience(customerClasses: ["A"]), ["D1", "D2", "D4"]),
        ("a class in a line, read together", Audience(productLines: [.bulk], customerClasses: ["A"]), ["D2"]),
        ("class C in bulk is D1's", Audience(productLines: [.bulk], customerClasses: ["C"]), ["D1"]),
        ("a permission group", Audience(permissionGroups: ["PG-AUTO"]), ["D1", "D3"]),
        ("named dealers only", Audience(dealers: ["D3", "D5"]), ["D3", "D5"]),
        ("criteria plus a named dealer outside them", Audience(branches: ["BR-NORTH"], dealers: ["D5"]), ["D3", "D5"]),
        ("tier 1 in the east branch", Audience(branches: ["BR-EAST"], tiers: [.tier1]), ["D1", "D2"]),
        ("criteria nobody meets", Audience(branches: ["BR-SOUTH"], tiers: [.tier1]), []),
        ("a dealer carrying no line is not reached by a line", Audience(productLines: [.automotivePackaged, .bulk, .industrialPackaged]), ["D1", "D2", "D3", "D4"]),
    ]

    @Test("each audience reaches exactly its dealers", arguments: cases)
    func matrix(name: String, audience: Audience, expected: Set<String>) {
        let reached = Set(Self.dealers.filter { audience.reaches($0) }.map(\.dealerId))
        #expect(reached == expected, "\(name)")
    }

    @Test("on the wire each list is sorted and without repeats, and a list left out reads as empty")
    func wire() throws {
        let audience = Audience(branches: ["BR-NORTH", "BR-EAST", "BR-EAST"], tiers: [.tier2, .tier1])
        #expect(audience.branches == ["BR-EAST", "BR-NORTH"] && audience.tiers == [.tier1, .tier2])
        let decoded = try JSONDecoder().decode(Audience.self, from: Data(#"{"provinces": ["上海"], "dealers": ["D2", "D1"]}"#.utf8))
        #expect(decoded == Audience(provinces: ["上海"], dealers: ["D1", "D2"]))
        #expect(decoded.branches.isEmpty && !decoded.isEveryone)
    }

    @Test("everyone, named-only and criteria are told apart")
    func kinds() {
        #expect(Audience.everyone.isEveryone && !Audience.everyone.hasCriteria)
        #expect(!Audience(dealers: ["D1"]).isEveryone && !Audience(dealers: ["D1"]).hasCriteria)
        #expect(Audience(tiers: [.tier1]).hasCriteria)
    }
}
