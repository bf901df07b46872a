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
/// entries, which spread into five to seven scopes × its product lines (and all lines when it has
/// more than one: ``FigureContributions``) — some twenty rows for an order of one line.
/// The core works out a changed fact's difference here — most of an event's entries are the same
/// before and after and cancel out — and spreads only what is left (``spread(into:)``): comparing
/// and spreading the whole rows twice per changed order cost most of what keeping the figures
/// slowed the ingest (measured, `lubehub-bench analytics`). A fact has a handful of entries, so
/// they are a list searched in order, not a table to hash: many facts' entries are not added up
/// here but spread into one ``FigureContributions``.
public struct FigureEntries: Sendable {
    /// Where a group of measures counts: each of `scopes` in each of `lines`, and in all lines when
    /// `countsInAllLines`, in `month`.
    public struct Target: Sendable, Equatable {
        public var scopes: [FigureScope]
        /// Product lines, sorted, without ``FigureKey/allLines``.
        public var lines: [String]
        public var countsInAllLines: Bool
        public var month: FigureMonth

        /// What the all-lines row gets per unit the entry adds: all lines' share less what the
        /// lines' rows already add (``FigureContributions``) — 0 for a measure of one line that
        /// counts in all lines too, so that row is not written.
        var allLinesWeight: Int64 { (countsInAllLines ? 1 : 0) - Int64(lines.count) }
    }

    public private(set) var entries: [(target: Target, measures: AnalyticsMeasures)] = []

    public init() {}

    /// Adds `delta` under each scope for each product line in `lines` (each line once; all lines
    /// when `lines` holds ``FigureKey/allLines``).
    public mutating func add(_ delta: AnalyticsMeasures, scopes: [FigureScope], lines: Set<String>, month: FigureMonth) {
        var productLines = lines
        let countsInAllLines = productLines.remove(FigureKey.allLines) != nil
        add(Target(scopes: scopes, lines: productLines.sorted(), countsInAllLines: countsInAllLines, month: month), delta)
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
    public var rowCount: Int {
        entries.reduce(0) { $0 + $1.target.scopes.count * ($1.target.lines.count + ($1.target.allLinesWeight == 0 ? 0 : 1)) }
    }

    /// Adds every entry to `figures`, under each of its scopes and lines, and what all lines get
    /// beyond the lines' rows under ``FigureKey/allLines``.
    public func spread(into figures: inout FigureContributions) {
        for (target, delta) in entries {
            let weight = target.allLinesWeight
            let allLines = delta * weight
            for scope in target.scopes {
                for line in target.lines { figures.add(FigureKey(scope.scope, scope.id, productLine: line, month: target.month), delta) }
                if weight != 0 { figures.add(FigureKey(scope.scope, scope.id, productLine: FigureKey.allLines, month: target.month), allLines) }
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
