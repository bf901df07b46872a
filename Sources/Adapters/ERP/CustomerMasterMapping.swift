import WireFormats
import HubContracts

/// DEBMAS07 (message type DEBMAS): the customer master, one dealer per E1KNA1M.
///
/// - tier from the account group KTOKD (Z001 tier 1, Z002 tier 2, Z003 key account 大客户, Z004
///   quick-lube centre 快修店); a tier-2 dealer's parent — and a quick-lube centre's, when a tier-1
///   dealer supplies it — is the partner with function ZH (KUNN2) in one of its sales areas;
/// - status: deletion flag LOEVM → closed, an order block AUFSD → blocked, else active;
/// - region: REGIO (GB/T 2260 province code) → province, ORT01 city, STRAS address;
/// - per sales area E1KNVVM: VKBUR the sales branch (the first area's), VTWEG the product line with
///   KDGRP the customer class it grades the dealer in, KVGR1…KVGR5 the permission groups
///   (`PG-<value>`), partner ZR the sales representative (PERNR);
/// - no credit limit: SAP keeps it in credit management (our ZLHCRED01), so `creditLimit` is absent
///   and the core keeps the dealer's current one.
enum CustomerMasterMapping {
    static func dealers(_ document: IDocDocument) throws(IDocError) -> [DealerUpserted] {
        let customers = document.segments("E1KNA1M")
        guard !customers.isEmpty else { throw IDocError("missing segment E1KNA1M") }
        return try customers.enumerated().map { (index, customer) throws(IDocError) in try dealer(customer, number: index + 1) }
    }

    private static func dealer(_ customer: IDocSegment, number: Int) throws(IDocError) -> DealerUpserted {
        let at = "E1KNA1M #\(number)"
        guard let kunnr = customer["KUNNR"] else { throw IDocError("\(at): KUNNR (the customer number) is empty") }
        guard let name = customer["NAME1"] else { throw IDocError("\(at) \(kunnr): NAME1 is empty") }
        let tier: DealerTier
        switch customer["KTOKD"] {
        case "Z001": tier = .tier1
        case "Z002": tier = .tier2
        case "Z003": tier = .keyAccount
        case "Z004": tier = .quickLube
        case let group:
            throw IDocError("\(at) \(kunnr): account group KTOKD \(group ?? "(empty)") is not a customer the hub serves (Z001 tier 1, Z002 tier 2, Z003 key account, Z004 quick-lube centre)")
        }
        guard let province = IDocValues.province(region: customer["REGIO"]) else {
            throw IDocError("\(at) \(kunnr): REGIO \(customer["REGIO"] ?? "(empty)") is not a Chinese province code (GB/T 2260, e.g. 310)")
        }
        let areas = customer.segments("E1KNVVM")
        guard let branch = areas.first?["VKBUR"] else { throw IDocError("\(at) \(kunnr): missing segment E1KNVVM with VKBUR (the sales branch)") }
        var productLines: [DealerUpserted.ProductLineClass] = []
        var groups: [String] = []
        for area in areas {
            if let line = IDocValues.productLine(channel: area["VTWEG"]), !productLines.contains(where: { $0.productLine == line }) {
                productLines.append(.init(productLine: line, customerClass: area["KDGRP"] ?? "C"))
            }
            for field in ["KVGR1", "KVGR2", "KVGR3", "KVGR4", "KVGR5"] {
                if let group = area[field].map({ "PG-" + $0 }), !groups.contains(group) { groups.append(group) }
            }
        }
        let partners = areas.flatMap { $0.segments("E1KNVPM") }
        let parent = partners.first { $0["PARVW"] == "ZH" }?["KUNN2"].map(IDocValues.dealerId)
        if tier == .tier2, parent == nil {
            throw IDocError("\(at) \(kunnr): a tier-2 dealer (Z002) needs its tier-1 parent as partner ZH (KUNN2) in E1KNVPM")
        }
        let status: DealerStatus = customer["LOEVM"] != nil ? .closed : customer["AUFSD"] != nil ? .blocked : .active
        return DealerUpserted(
            dealerId: IDocValues.dealerId(kunnr), name: name, tier: tier, parentDealerId: tier == .tier2 || tier == .quickLube ? parent : nil, branchId: branch,
            region: Region(province: province, city: customer["ORT01"], address: customer["STRAS"]),
            salesRepId: partners.first { $0["PARVW"] == "ZR" }?["PERNR"], productLines: productLines,
            permissionGroupIds: groups, creditLimit: nil, status: status)
    }
}
