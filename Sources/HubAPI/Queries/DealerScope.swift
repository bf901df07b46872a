public import HubStore

extension Principal {
    /// The dealers this caller may see: a dealer itself; a branch manager its branch's dealers; an
    /// area manager the dealers in its provinces; a sales representative its own customers; admin
    /// and systems everyone; a carrier no dealer.
    public var dealerVisibility: DealerVisibility {
        switch role {
        case .admin, .system: .everyone
        case .carrier: .nobody
        case .dealer: .dealer(dealerId ?? "")
        case .branchManager: .branch(branchId ?? "")
        case .salesRep: .salesRep(salesRepId ?? "")
        case .areaManager: .provinces(provinces)
        case .productLineManager: .productLines(productLines)
        }
    }
}
