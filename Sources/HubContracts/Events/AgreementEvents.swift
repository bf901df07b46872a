/// `contract.upserted` on `hub.contracts` (R4): what a dealer agreed to take of a product line over
/// a period — the company's quantity contract (签约量), from the ERP. The contracted volume is in
/// litres and/or kilograms (whatever the contract's items were agreed in: oils by volume, greases
/// and bulk by weight), so it adds up with what the dealer took, whatever the packages.
public struct ContractUpserted: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case active
        /// Rejected or cancelled in the ERP: it counts for nothing.
        case cancelled
    }

    /// One item of the contract, as agreed.
    public struct Line: Sendable, Hashable, Codable {
        public var lineNo: Int
        /// The material, when the item names one; absent for the product line as a whole.
        public var materialId: String?
        public var quantity: DecimalNumber
        /// `L` or `kg`.
        public var unit: String

        public init(lineNo: Int, materialId: String? = nil, quantity: DecimalNumber, unit: String) {
            self.lineNo = lineNo
            self.materialId = materialId
            self.quantity = quantity
            self.unit = unit
        }
    }

    public var contractId: String
    public var dealerId: String
    public var productLine: ProductLine
    public var validFrom: CalendarDate
    public var validTo: CalendarDate
    public var lines: [Line]
    /// The items in litres, added up; absent when none is.
    public var contractedLitres: DecimalNumber?
    /// The items in kilograms, added up; absent when none is.
    public var contractedKilograms: DecimalNumber?
    public var status: Status
    /// The person who adjusted it through the API (branch staff); absent when the ERP sent it. An
    /// adjustment is audited (`hub.audit`).
    public var changedBy: String?

    public init(contractId: String, dealerId: String, productLine: ProductLine, validFrom: CalendarDate, validTo: CalendarDate, lines: [Line],
                contractedLitres: DecimalNumber?, contractedKilograms: DecimalNumber?, status: Status, changedBy: String? = nil) {
        self.contractId = contractId
        self.dealerId = dealerId
        self.productLine = productLine
        self.validFrom = validFrom
        self.validTo = validTo
        self.lines = lines
        self.contractedLitres = contractedLitres
        self.contractedKilograms = contractedKilograms
        self.status = status
        self.changedBy = changedBy
    }
}
