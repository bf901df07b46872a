public import HubContracts

/// Whom an announcement or a survey reaches (R5, R6): everyone, or the dealers that match every
/// dimension chosen — any of the values within one dimension — and, besides them, the dealers
/// named.
///
/// | chosen | reaches |
/// |---|---|
/// | nothing | every dealer |
/// | only named dealers | those dealers |
/// | branches, provinces, tiers, lines, classes, groups (any mix) | the dealers in one of the chosen branches *and* one of the chosen provinces *and* …, plus the named dealers |
///
/// Product lines and customer classes are read together, the way the ERP keeps them: a dealer
/// has a class per line it carries, so "line bulk, class A" reaches a dealer that is A *in bulk*,
/// not one that is A in another line and merely carries bulk. Lines alone reach the dealers that
/// carry one of them; classes alone, those with one of them in any line.
extension Audience {
    /// Whether any dimension besides the named dealers was chosen.
    public var hasCriteria: Bool {
        !(branches.isEmpty && provinces.isEmpty && tiers.isEmpty && productLines.isEmpty && customerClasses.isEmpty && permissionGroups.isEmpty)
    }

    public var isEveryone: Bool { !hasCriteria && dealers.isEmpty }

    /// What the audience reads of a dealer.
    public struct Member: Sendable, Hashable {
        public var dealerId: String
        public var branchId: String
        public var province: String
        public var tier: DealerTier
        /// Each line the dealer carries with its customer class there.
        public var lines: [DealerUpserted.ProductLineClass]
        public var permissionGroups: Set<String>

        public init(dealerId: String, branchId: String, province: String, tier: DealerTier, lines: [DealerUpserted.ProductLineClass], permissionGroups: Set<String>) {
            (self.dealerId, self.branchId, self.province, self.tier) = (dealerId, branchId, province, tier)
            (self.lines, self.permissionGroups) = (lines, permissionGroups)
        }

        public init(_ dealer: DealerUpserted) {
            self.init(dealerId: dealer.dealerId, branchId: dealer.branchId, province: dealer.region.province, tier: dealer.tier,
                      lines: dealer.productLines, permissionGroups: Set(dealer.permissionGroupIds))
        }
    }

    /// Whether the audience reaches `member`.
    public func reaches(_ member: Member) -> Bool {
        if isEveryone || dealers.contains(member.dealerId) { return true }
        guard hasCriteria else { return false }
        func within<T: Equatable>(_ chosen: [T], _ value: T) -> Bool { chosen.isEmpty || chosen.contains(value) }
        guard within(branches, member.branchId), within(provinces, member.province), within(tiers, member.tier) else { return false }
        guard permissionGroups.isEmpty || permissionGroups.contains(where: member.permissionGroups.contains) else { return false }
        guard !productLines.isEmpty || !customerClasses.isEmpty else { return true }
        return member.lines.contains { within(productLines, $0.productLine) && within(customerClasses, $0.customerClass) }
    }
}
