/// Whom a figure is about.
public enum AnalyticsScope: String, Sendable, Hashable, CaseIterable {
    case dealer
    case branch
    case salesRep = "sales-rep"
    case province
    case company
    case plant
    case carrier
}

/// Where a figure is counted: a scope, its id, a product line (``FigureKey/allLines`` for all of
/// them together) and a month.
public struct FigureKey: Sendable, Hashable, Comparable {
    /// The product line of a row that counts every line.
    public static let allLines = "*"
    /// The id of the company's scope.
    public static let company = "company"

    public var scope: AnalyticsScope
    public var scopeId: String
    public var productLine: String
    public var month: FigureMonth

    public init(_ scope: AnalyticsScope, _ scopeId: String, productLine: String, month: FigureMonth) {
        (self.scope, self.scopeId, self.productLine, self.month) = (scope, scopeId, productLine, month)
    }

    public static func < (lhs: FigureKey, rhs: FigureKey) -> Bool {
        (lhs.scope.rawValue, lhs.scopeId, lhs.productLine, lhs.month) < (rhs.scope.rawValue, rhs.scopeId, rhs.productLine, rhs.month)
    }
}

/// Who an order or a contract counts for besides its dealer, as it was when the order was placed
/// (a dealer that later moves to another branch leaves its history where it was made).
public struct DealerAttribution: Sendable, Hashable {
    public var dealerId: String
    public var branchId: String
    public var salesRepId: String?
    public var province: String

    public init(dealerId: String, branchId: String, salesRepId: String?, province: String) {
        (self.dealerId, self.branchId, self.salesRepId, self.province) = (dealerId, branchId, salesRepId, province)
    }

    /// The scopes a dealer's figure rolls up into: the dealer, its branch, its sales rep (when it
    /// has one), its province and the company.
    var scopes: [FigureScope] {
        // A dealer the hub did not know when its order came (the order was rejected) has no branch or province.
        var scopes = [FigureScope(.dealer, dealerId)]
        scopes.reserveCapacity(5)
        if !branchId.isEmpty { scopes.append(FigureScope(.branch, branchId)) }
        if let salesRepId, !salesRepId.isEmpty { scopes.append(FigureScope(.salesRep, salesRepId)) }
        if !province.isEmpty { scopes.append(FigureScope(.province, province)) }
        scopes.append(FigureScope(.company, FigureKey.company))
        return scopes
    }
}

/// Measures by where they count: what one order, shipment or contract adds to the figures. The
/// core applies the difference between a fact's contributions before and after an event, in the
/// event's transaction; `lubehub analytics rebuild` adds up every fact's contributions from scratch.
/// Both use the same functions, so they agree by construction — and a test checks that they do.
///
/// A scope's all-lines row (``FigureKey/allLines``) holds only what its product lines' rows of the
/// same month do not add up to: all lines' figure is the sum of every row of the scope and month
/// (``asRead``, ``withAllLinesTotal(_:)``). Most orders have one product line, and what they
/// count in that line and in all lines is then written once, not twice; an order of three lines
/// counts one order in each line's row and minus two in the all-lines row. Keeping the total
/// itself, the all-lines rows were 44 % of the rows the benchmark's ingest slice wrote (counted,
/// `lubehub-bench analytics`).
public struct FigureContributions: Sendable, Equatable {
    /// The rows; a row whose measures come back to zero is removed (a figure that went up and back
    /// down is the same as one never counted).
    public private(set) var measures: [FigureKey: AnalyticsMeasures] = [:]

    public init() {}

    /// Adds `delta` to the row of `key`: one lookup when the row is there, the measures added in place.
    public mutating func add(_ key: FigureKey, _ delta: AnalyticsMeasures) {
        guard !delta.isZero else { return }
        guard let index = measures.index(forKey: key) else {
            measures[key] = delta
            return
        }
        measures.values[index] += delta
        if measures.values[index].isZero { measures.remove(at: index) }
    }

    public mutating func subtract(_ other: FigureContributions) {
        for (key, delta) in other.measures { add(key, -delta) }
    }

    /// What turns `before` into `after`: the rows to add (zero rows left out).
    public static func change(from before: FigureContributions, to after: FigureContributions) -> FigureContributions {
        var change = after
        change.subtract(before)
        return change
    }

    public var isEmpty: Bool { measures.isEmpty }

    /// The rows as they are read: each scope and month's all-lines row holds all lines' figure
    /// (the sum of its rows), the product lines' rows as they are.
    public var asRead: FigureContributions {
        var read = FigureContributions()
        read.reserveCapacity(measures.count)
        for (key, row) in measures {
            if key.productLine != FigureKey.allLines { read.add(key, row) }
            read.add(FigureKey(key.scope, key.scopeId, productLine: FigureKey.allLines, month: key.month), row)
        }
        return read
    }

    /// One scope's rows by product line (over one month or summed over several) as they are read:
    /// the all-lines entry the sum of them all.
    public static func withAllLinesTotal(_ lines: [String: AnalyticsMeasures]) -> [String: AnalyticsMeasures] {
        var read = lines
        read[FigureKey.allLines] = lines.values.reduce(into: AnalyticsMeasures()) { $0 += $1 }
        return read
    }

    /// Makes room for `count` rows at once (a transaction's change is spread into thousands).
    public mutating func reserveCapacity(_ count: Int) { measures.reserveCapacity(count) }
}
