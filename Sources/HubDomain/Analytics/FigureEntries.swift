/// One scope a figure counts for: its kind and its id.
public struct FigureScope: Sendable, Hashable {
    public var scope: AnalyticsScope
    public var id: String

    public init(_ scope: AnalyticsScope, _ id: String) {
        (self.scope, self.id) = (scope, id)
    }
}

/// What one fact adds to the figures before it is spread over where it counts: each group of
/// measures with the scopes, product lines and month it goes to. An order adds three or four such
/// entries, which spread into some eighty rows (five to seven scopes × its lines and all lines).
/// The core works out a changed fact's difference here — most of an event's entries are the same
/// before and after and cancel out — and spreads only what is left (``spread(into:)``): comparing
/// and spreading the whole rows twice per changed order cost most of what keeping the figures
/// slowed the ingest (measured, `lubehub-bench analytics`). A fact has a handful of entries, so
/// they are a list searched in order, not a table to hash: many facts' entries are not added up
/// here but spread into one ``FigureContributions``.
public struct FigureEntries: Sendable {
    /// Where a group of measures counts: each of `scopes` in each of `lines`, in `month`.
    public struct Target: Sendable, Equatable {
        public var scopes: [FigureScope]
        public var lines: [String]
        public var month: FigureMonth
    }

    public private(set) var entries: [(target: Target, measures: AnalyticsMeasures)] = []

    public init() {}

    /// Adds `delta` under each scope for each product line in `lines` (each line once).
    public mutating func add(_ delta: AnalyticsMeasures, scopes: [FigureScope], lines: Set<String>, month: FigureMonth) {
        add(Target(scopes: scopes, lines: lines.sorted(), month: month), delta)
    }

    public mutating func subtract(_ other: FigureEntries) {
        for (target, delta) in other.entries { add(target, -delta) }
    }

    private mutating func add(_ target: Target, _ delta: AnalyticsMeasures) {
        guard !delta.isZero else { return }
        guard let index = entries.firstIndex(where: { $0.target == target }) else {
            entries.append((target, delta))
            return
        }
        entries[index].measures += delta
        if entries[index].measures.isZero { entries.remove(at: index) }
    }

    /// The number of rows the entries spread into.
    public var rowCount: Int { entries.reduce(0) { $0 + $1.target.scopes.count * $1.target.lines.count } }

    /// Adds every entry to `figures`, under each of its scopes and lines.
    public func spread(into figures: inout FigureContributions) {
        for (target, delta) in entries {
            for scope in target.scopes {
                for line in target.lines { figures.add(FigureKey(scope.scope, scope.id, productLine: line, month: target.month), delta) }
            }
        }
    }

    /// The rows these entries add up to.
    public var contributions: FigureContributions {
        var figures = FigureContributions()
        figures.reserveCapacity(rowCount)
        spread(into: &figures)
        return figures
    }

    public var isEmpty: Bool { entries.isEmpty }
}
