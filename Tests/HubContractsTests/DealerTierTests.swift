import HubContracts
import Testing

@Suite("customers' kinds: who orders from the company, who from a tier-1 dealer")
struct DealerTierTests {
    @Test("tier-1 dealers and key accounts order from the company; tier-2 dealers from their parent; a quick-lube centre from its parent when it has one")
    func channels() {
        #expect(DealerTier.tier1.ordersFromCompany(hasParent: false) && !DealerTier.tier1.ordersFromParent(hasParent: false))
        #expect(DealerTier.keyAccount.ordersFromCompany(hasParent: false) && !DealerTier.keyAccount.ordersFromParent(hasParent: true))
        #expect(!DealerTier.tier2.ordersFromCompany(hasParent: true) && DealerTier.tier2.ordersFromParent(hasParent: true))
        #expect(!DealerTier.tier2.ordersFromParent(hasParent: false), "a tier-2 dealer without its parent orders from nobody")
        #expect(DealerTier.quickLube.ordersFromCompany(hasParent: false) && !DealerTier.quickLube.ordersFromParent(hasParent: false))
        #expect(!DealerTier.quickLube.ordersFromCompany(hasParent: true) && DealerTier.quickLube.ordersFromParent(hasParent: true))
        #expect(!DealerTier(rawValue: "distributor").ordersFromCompany(hasParent: false), "a kind this build does not know orders from nobody")
    }
}
