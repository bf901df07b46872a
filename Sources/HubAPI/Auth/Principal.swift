/// Who is calling: what a verified bearer token or API key says, and nothing the request body says.
public struct Principal: Sendable, Hashable {
    public enum Role: String, Sendable, CaseIterable, Codable {
        /// Company staff with every right.
        case admin
        /// Staff of one sales branch: its dealers.
        case branchManager = "branch-manager"
        /// Staff of an area: the dealers in its provinces.
        case areaManager = "area-manager"
        /// Staff responsible for product lines (the study's reporting line starts there): the
        /// dealers whose permission groups grant one of its lines.
        case productLineManager = "product-line-manager"
        /// A sales representative: their own customers.
        case salesRep = "sales-rep"
        /// A user of one dealer (tier 1 or tier 2: the dealer's record says which).
        case dealer
        /// A carrier's system: uploads positions and shipment events.
        case carrier
        /// A downstream system: reads every order and follows the update stream.
        case system

        public var isStaff: Bool { [.admin, .branchManager, .areaManager, .productLineManager, .salesRep].contains(self) }
    }

    /// The user or system id (orders record it as who submitted, cancelled or rated).
    public var subject: String
    public var role: Role
    public var dealerId: String?
    public var branchId: String?
    /// An area manager's provinces.
    public var provinces: [String]
    public var salesRepId: String?
    public var carrierId: String?
    /// A product-line manager's lines.
    public var productLines: [String]
    /// A dealer user who administers that dealer's users.
    public var dealerAdmin: Bool

    public init(subject: String, role: Role, dealerId: String? = nil, branchId: String? = nil, provinces: [String] = [],
                salesRepId: String? = nil, carrierId: String? = nil, productLines: [String] = [], dealerAdmin: Bool = false) {
        self.subject = subject
        self.role = role
        self.dealerId = dealerId
        self.branchId = branchId
        self.provinces = provinces
        self.salesRepId = salesRepId
        self.carrierId = carrierId
        self.productLines = productLines
        self.dealerAdmin = dealerAdmin
    }

    /// What a role needs besides its subject, named when it is missing.
    public func missingAttribute() -> String? {
        switch role {
        case .admin, .system: nil
        case .branchManager: branchId == nil ? "a branch-manager needs a branch" : nil
        case .areaManager: provinces.isEmpty ? "an area-manager needs the provinces of its area" : nil
        case .productLineManager: productLines.isEmpty ? "a product-line-manager needs its product lines" : nil
        case .salesRep: salesRepId == nil ? "a sales-rep needs a sales representative id" : nil
        case .dealer: dealerId == nil ? "a dealer user needs a dealer" : nil
        case .carrier: carrierId == nil ? "a carrier needs a carrier id" : nil
        }
    }
}
