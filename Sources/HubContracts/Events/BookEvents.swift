/// What a tier-1 dealer writes in its own books (R1), besides what the hub books for it (goods in
/// when it confirms receipt of the company's delivery, goods out on its delivery notes).
public struct BookEntryKind: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Goods bought from the company, booked in when the dealer confirms receipt (the hub writes these).
    public static let purchase = BookEntryKind(rawValue: "purchase")
    /// Goods sold: to a tier-2 dealer on a delivery note, to an end customer, a key account or a quick-lube centre.
    public static let sale = BookEntryKind(rawValue: "sale")
    /// Goods a customer brought back: in at the average cost, the refund taken off sales and off what it owes.
    public static let customerReturn = BookEntryKind(rawValue: "customer-return")
    /// Goods sent back to the company: out at the average cost.
    public static let returnToCompany = BookEntryKind(rawValue: "return-to-company")
    /// A stock count: each line's quantity is what was found; the books follow it.
    public static let stockCount = BookEntryKind(rawValue: "stock-count")
    /// Money a customer paid (no lines; `amount`).
    public static let payment = BookEntryKind(rawValue: "payment")
    /// What a dealer can write through the API (purchases are booked by the hub).
    public static let recordable: [BookEntryKind] = [.sale, .customerReturn, .returnToCompany, .stockCount, .payment]
    public static let known: [BookEntryKind] = [.purchase] + recordable
}

/// Who a dealer sold to.
public struct BookCustomerKind: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let tier2Dealer = BookCustomerKind(rawValue: "tier2-dealer")
    public static let endCustomer = BookCustomerKind(rawValue: "end-customer")
    public static let keyAccount = BookCustomerKind(rawValue: "key-account")
    public static let quickLube = BookCustomerKind(rawValue: "quick-lube")
    public static let known: [BookCustomerKind] = [.tier2Dealer, .endCustomer, .keyAccount, .quickLube]
}

/// `book.entry-recorded` on `hub.dealer-books`: a document in a tier-1 dealer's books — a sale, a
/// customer's return, a return to the company, a stock count or a customer's payment. The core books
/// it at the moving-average cost, or refuses it (goods out beyond stock when the dealer does not
/// allow negative stock) and records why.
public struct BookEntryRecorded: Sendable, Hashable, Codable {
    public struct Customer: Sendable, Hashable, Codable {
        /// The dealer's own id for the customer (a tier-2 dealer's hub id for tier-2 dealers).
        public var customerId: String
        public var name: String?
        public var kind: BookCustomerKind

        public init(customerId: String, name: String? = nil, kind: BookCustomerKind) {
            self.customerId = customerId
            self.name = name
            self.kind = kind
        }
    }

    public struct Line: Sendable, Hashable, Codable {
        public var materialId: String
        /// Sold, returned or (for a count) found.
        public var quantity: DecimalNumber
        /// Sale: the price charged; customer return: the price refunded. Per unit, yuan.
        public var unitPrice: DecimalNumber?
        /// Stock count: what each unit found beyond the books cost, when the books hold no average cost yet
        /// (the opening stock of a dealer starting its books). Per unit, yuan.
        public var unitCost: DecimalNumber?

        public init(materialId: String, quantity: DecimalNumber, unitPrice: DecimalNumber? = nil, unitCost: DecimalNumber? = nil) {
            self.materialId = materialId
            self.quantity = quantity
            self.unitPrice = unitPrice
            self.unitCost = unitCost
        }
    }

    public var entryId: String
    public var dealerId: String
    public var kind: BookEntryKind
    /// Sales, customer returns and payments; none for counts and returns to the company.
    public var customer: Customer?
    public var lines: [Line]
    /// A payment's amount, yuan.
    public var amount: DecimalNumber?
    /// The dealer's own document number or a note.
    public var reference: String?
    public var at: Timestamp
    public var recordedBy: String

    public init(entryId: String, dealerId: String, kind: BookEntryKind, customer: Customer? = nil, lines: [Line], amount: DecimalNumber? = nil,
                reference: String? = nil, at: Timestamp, recordedBy: String) {
        self.entryId = entryId
        self.dealerId = dealerId
        self.kind = kind
        self.customer = customer
        self.lines = lines
        self.amount = amount
        self.reference = reference
        self.at = at
        self.recordedBy = recordedBy
    }
}

/// `book.settings-set` on `hub.dealer-books`: how a dealer keeps its books.
public struct BookSettingsSet: Sendable, Hashable, Codable {
    public var dealerId: String
    /// Whether goods may go out beyond what the books hold (stock goes negative until goods come in).
    public var allowNegativeStock: Bool
    public var setBy: String

    public init(dealerId: String, allowNegativeStock: Bool, setBy: String) {
        self.dealerId = dealerId
        self.allowNegativeStock = allowNegativeStock
        self.setBy = setBy
    }
}

/// `book.prices-set` on `hub.dealer-books`: a dealer's selling prices (R1) — for one customer, or its
/// list price for every customer without one of its own. A sale or a customer's return written
/// without a price takes the customer's, else the list price.
public struct BookPricesSet: Sendable, Hashable, Codable {
    public struct Price: Sendable, Hashable, Codable {
        /// The customer the price is for; none: the dealer's list price.
        public var customerId: String?
        public var materialId: String
        /// Per unit, yuan; none: the price is removed.
        public var unitPrice: DecimalNumber?

        public init(customerId: String? = nil, materialId: String, unitPrice: DecimalNumber?) {
            self.customerId = customerId
            self.materialId = materialId
            self.unitPrice = unitPrice
        }
    }

    public var dealerId: String
    public var prices: [Price]
    public var setBy: String

    public init(dealerId: String, prices: [Price], setBy: String) {
        self.dealerId = dealerId
        self.prices = prices
        self.setBy = setBy
    }
}

/// `tier2-order.accepted` / `tier2-order.rejected` on `hub.tier2-orders`: the tier-1 dealer's answer to a tier-2 order.
public struct Tier2OrderDecided: Sendable, Hashable, Codable {
    public var orderId: String
    /// The tier-1 dealer answering.
    public var supplierDealerId: String
    /// Why it was rejected (required for a rejection).
    public var reason: String?
    public var decidedBy: String

    public init(orderId: String, supplierDealerId: String, reason: String? = nil, decidedBy: String) {
        self.orderId = orderId
        self.supplierDealerId = supplierDealerId
        self.reason = reason
        self.decidedBy = decidedBy
    }
}

/// `tier2-order.received` on `hub.tier2-orders`: the tier-2 dealer confirms it received a delivery
/// note's goods; they are booked in on its own books at the note's prices.
public struct Tier2OrderReceived: Sendable, Hashable, Codable {
    public var orderId: String
    public var deliveryNoteId: String
    /// The tier-2 dealer.
    public var dealerId: String
    public var receivedAt: Timestamp
    public var receivedBy: String

    public init(orderId: String, deliveryNoteId: String, dealerId: String, receivedAt: Timestamp, receivedBy: String) {
        self.orderId = orderId
        self.deliveryNoteId = deliveryNoteId
        self.dealerId = dealerId
        self.receivedAt = receivedAt
        self.receivedBy = receivedBy
    }
}
