/// The three customer-facing product lines.
public struct ProductLine: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let automotivePackaged = ProductLine(rawValue: "automotive-packaged")
    public static let industrialPackaged = ProductLine(rawValue: "industrial-packaged")
    public static let bulk = ProductLine(rawValue: "bulk")
    /// The lines the company sells today.
    public static let known: [ProductLine] = [.automotivePackaged, .industrialPackaged, .bulk]
}

/// tier1 buys from the company; tier2 from its tier-1 parent. Key accounts (大客户) and quick-lube
/// centres (快修店) are the company's customers of their own kind: a key account buys from the
/// company, a quick-lube centre from its parent tier-1 dealer when it has one, else from the company.
public struct DealerTier: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let tier1 = DealerTier(rawValue: "tier1")
    public static let tier2 = DealerTier(rawValue: "tier2")
    public static let keyAccount = DealerTier(rawValue: "key-account")
    public static let quickLube = DealerTier(rawValue: "quick-lube")
    public static let known: [DealerTier] = [.tier1, .tier2, .keyAccount, .quickLube]

    /// Whether a customer of this kind (with or without a parent dealer) orders from the company (`POST /v1/orders`).
    public func ordersFromCompany(hasParent: Bool) -> Bool {
        self == .tier1 || self == .keyAccount || (self == .quickLube && !hasParent)
    }

    /// Whether it orders from its parent tier-1 dealer (`POST /v1/tier2-orders`).
    public func ordersFromParent(hasParent: Bool) -> Bool {
        hasParent && (self == .tier2 || self == .quickLube)
    }
}

public struct DealerStatus: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let active = DealerStatus(rawValue: "active")
    public static let blocked = DealerStatus(rawValue: "blocked")
    public static let closed = DealerStatus(rawValue: "closed")
}

/// How an order line is served (R9).
public struct LineKind: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// From stock on hand (现货).
    public static let spot = LineKind(rawValue: "spot")
    /// Booked into production (预订生产).
    public static let madeToOrder = LineKind(rawValue: "made-to-order")
}

public struct OrderStatus: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let submitted = OrderStatus(rawValue: "submitted")
    public static let accepted = OrderStatus(rawValue: "accepted")
    public static let rejected = OrderStatus(rawValue: "rejected")
    public static let confirmed = OrderStatus(rawValue: "confirmed")
    public static let scheduled = OrderStatus(rawValue: "scheduled")
    public static let produced = OrderStatus(rawValue: "produced")
    public static let allocated = OrderStatus(rawValue: "allocated")
    public static let dispatched = OrderStatus(rawValue: "dispatched")
    public static let delivered = OrderStatus(rawValue: "delivered")
    public static let received = OrderStatus(rawValue: "received")
    public static let rated = OrderStatus(rawValue: "rated")
    public static let cancelled = OrderStatus(rawValue: "cancelled")
    /// Every status this build knows, roughly in the order an order passes them.
    public static let known: [OrderStatus] = [.submitted, .accepted, .rejected, .confirmed, .scheduled, .produced, .allocated, .dispatched, .delivered,
                                              .received, .rated, .cancelled]
}

/// Where a tier-2 dealer's order to its tier-1 dealer stands (R1).
public struct Tier2OrderStatus: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let submitted = Tier2OrderStatus(rawValue: "submitted")
    /// The tier-1 dealer will serve it.
    public static let accepted = Tier2OrderStatus(rawValue: "accepted")
    /// The tier-1 dealer will not (with its reason).
    public static let rejected = Tier2OrderStatus(rawValue: "rejected")
    /// Delivery notes delivered part of it; the rest is still to come.
    public static let partlyDelivered = Tier2OrderStatus(rawValue: "partly-delivered")
    /// Delivery notes delivered all of it.
    public static let delivered = Tier2OrderStatus(rawValue: "delivered")
    /// All of it delivered and the tier-2 dealer confirmed receipt of every delivery note.
    public static let received = Tier2OrderStatus(rawValue: "received")
    public static let cancelled = Tier2OrderStatus(rawValue: "cancelled")
    /// Every status this build knows.
    public static let known: [Tier2OrderStatus] = [.submitted, .accepted, .rejected, .partlyDelivered, .delivered, .received, .cancelled]
    /// Nothing delivered yet: the buyer may still cancel, the supplier still reject.
    public var isOpenUnserved: Bool { self == .submitted || self == .accepted }
    /// A delivery note may be issued against it.
    public var takesDeliveries: Bool { self == .submitted || self == .accepted || self == .partlyDelivered }
}

/// Why an order or one of its lines was rejected.
public struct RejectionCode: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let dealerInactive = RejectionCode(rawValue: "dealer-inactive")
    public static let unknownDealer = RejectionCode(rawValue: "unknown-dealer")
    public static let materialNotInCatalogue = RejectionCode(rawValue: "material-not-in-catalogue")
    public static let unknownMaterial = RejectionCode(rawValue: "unknown-material")
    public static let noPrice = RejectionCode(rawValue: "no-price")
    public static let creditLimitExceeded = RejectionCode(rawValue: "credit-limit-exceeded")
    public static let insufficientStock = RejectionCode(rawValue: "insufficient-stock")
    public static let invalidQuantity = RejectionCode(rawValue: "invalid-quantity")
    public static let duplicateLine = RejectionCode(rawValue: "duplicate-line")
    public static let erpRejected = RejectionCode(rawValue: "erp-rejected")
    /// Branch staff put the dealer on credit hold after a risk review.
    public static let dealerHeld = RejectionCode(rawValue: "dealer-held")
    /// Branch staff blocked the dealer after a risk review.
    public static let dealerBlocked = RejectionCode(rawValue: "dealer-blocked")
    public static let other = RejectionCode(rawValue: "other")
}

/// What a risk review decided about a dealer (issue 30).
public struct RiskOutcome: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let noAction = RiskOutcome(rawValue: "no-action")
    public static let warning = RiskOutcome(rawValue: "warning")
    /// New orders refused until released.
    public static let creditHold = RiskOutcome(rawValue: "credit-hold")
    /// New orders refused until released.
    public static let blocked = RiskOutcome(rawValue: "blocked")
    /// A hold or block lifted.
    public static let released = RiskOutcome(rawValue: "released")
    public static let known: [RiskOutcome] = [.noAction, .warning, .creditHold, .blocked, .released]
    /// The dealer's new orders are refused while this stands.
    public var refusesOrders: Bool { self == .creditHold || self == .blocked }
}

/// Where an order came from.
public struct OrderChannel: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let api = OrderChannel(rawValue: "api")
    public static let dealerSystem = OrderChannel(rawValue: "dealer-system")
    public static let staff = OrderChannel(rawValue: "staff")
}

public struct MovementKind: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let receipt = MovementKind(rawValue: "receipt")
    public static let issue = MovementKind(rawValue: "issue")
    public static let transferIn = MovementKind(rawValue: "transfer-in")
    public static let transferOut = MovementKind(rawValue: "transfer-out")
    public static let production = MovementKind(rawValue: "production")
    public static let adjustment = MovementKind(rawValue: "adjustment")
}

public struct ShipmentStatus: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let created = ShipmentStatus(rawValue: "created")
    public static let assigned = ShipmentStatus(rawValue: "assigned")
    public static let dispatched = ShipmentStatus(rawValue: "dispatched")
    public static let arrived = ShipmentStatus(rawValue: "arrived")
    public static let delivered = ShipmentStatus(rawValue: "delivered")
    public static let exception = ShipmentStatus(rawValue: "exception")
}

public struct ShipmentExceptionCode: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let breakdown = ShipmentExceptionCode(rawValue: "breakdown")
    public static let accident = ShipmentExceptionCode(rawValue: "accident")
    public static let delay = ShipmentExceptionCode(rawValue: "delay")
    public static let refused = ShipmentExceptionCode(rawValue: "refused")
    public static let damaged = ShipmentExceptionCode(rawValue: "damaged")
    public static let other = ShipmentExceptionCode(rawValue: "other")
}

/// Who estimated an arrival time.
public struct EstimateSource: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let carrier = EstimateSource(rawValue: "carrier")
    public static let hub = EstimateSource(rawValue: "hub")
}

/// Where a vehicle position came from.
public struct PositionSource: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let jt808 = PositionSource(rawValue: "jt808")
    public static let carrierJSON = PositionSource(rawValue: "carrier-json")
    public static let api = PositionSource(rawValue: "api")
}

public struct CustomerKind: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let tier2 = CustomerKind(rawValue: "tier2")
    public static let endCustomer = CustomerKind(rawValue: "end-customer")
    public static let keyAccount = CustomerKind(rawValue: "key-account")
    public static let quickLube = CustomerKind(rawValue: "quick-lube")
}

public struct ScanResult: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let genuine = ScanResult(rawValue: "genuine")
    public static let counterfeit = ScanResult(rawValue: "counterfeit")
    public static let unknownCode = ScanResult(rawValue: "unknown-code")
    public static let alreadyScanned = ScanResult(rawValue: "already-scanned")
}

public struct FlagReason: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let counterfeit = FlagReason(rawValue: "counterfeit")
    /// A genuine code scanned far outside the region of the dealer it was sold to (窜货).
    public static let crossRegion = FlagReason(rawValue: "cross-region")
}
