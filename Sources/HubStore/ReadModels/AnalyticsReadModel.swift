public import HubDomain
public import HubContracts

/// The figures the core keeps (``AnalyticsTable``), added up over months: a dealer's page, a
/// scorecard's rows, a trend's months. Every read sums stored per-month rows; nothing here goes
/// back to the orders. A row's measures may be split between `analytics_figures` and the changes
/// appended since the last fold (``PendingFigureRows``, several per key): each read runs its query
/// over both at one moment (``eachTable(_:_:_:)``) and adds what they give per key, so a figure is
/// current at the commit that changed it. Filters that need a row's whole measure (a
/// month with orders, a line with volume) are applied to the sum, after the two are added; a half
/// may leave out what adds nothing (`HAVING SUM(…) <> 0`), never what another half could cancel.
public struct AnalyticsReadModel {
    let db: any SQLDatabase

    /// `sql`, whose `{figures}` names the table, over the folded figures `UNION ALL` over the
    /// pending rows (few: the fold empties them every few seconds). One statement in one
    /// transaction with the pending rows brought up to date, so both are read at one moment: a fold
    /// that commits meanwhile moves rows from one to the other, and reading them apart could find
    /// them in neither. Each half keeps its own plan (the figures' in key order).
    private func eachTable(_ sql: String, _ binds: [SQLValue], _ row: (SQLRow) throws(StoreError) -> Void) throws(StoreError) {
        let found = try PendingFigureRows.reading(db) { pending throws(StoreError) in
            let tables = ["analytics_figures"] + (pending.map { [$0] } ?? [])
            return try db.query(tables.map { sql.replacingOccurrences(of: "{figures}", with: $0) }.joined(separator: "\nUNION ALL\n"),
                                tables.flatMap { _ in binds })
        }
        for each in found { try row(each) }
    }

    private static var sums: String {
        AnalyticsMeasures.columns.map { "CAST(SUM(\($0)) AS BIGINT)" }.joined(separator: ", ")
    }

    private static func measures(_ row: SQLRow, from column: Int) -> AnalyticsMeasures {
        var measures = AnalyticsMeasures()
        for index in AnalyticsMeasures.columns.indices { measures[index] = row.int64(column + index) }
        return measures
    }

    /// One scope's figures over `months` (both ends included), for one product line or all
    /// (``FigureKey/allLines``: every row of the scope, see ``FigureContributions``).
    public func total(_ scope: AnalyticsScope, _ id: String, productLine: String = FigureKey.allLines,
                      months: ClosedRange<FigureMonth>) throws(StoreError) -> AnalyticsMeasures {
        let oneLine = productLine == FigureKey.allLines ? ("", []) : (" AND product_line = ?", [SQLValue.text(productLine)])
        var total = AnalyticsMeasures()
        try eachTable("""
            SELECT \(Self.sums) FROM {figures} WHERE scope = ? AND scope_id = ?\(oneLine.0) AND month BETWEEN ? AND ?
            """, [.text(scope.rawValue), .text(id)] + oneLine.1 + [.text(months.lowerBound.text), .text(months.upperBound.text)]) { row in
            total += Self.measures(row, from: 0)
        }
        return total
    }

    /// One scope's figures month by month and per product line (all lines under
    /// ``FigureKey/allLines``); months without figures left out.
    public func byMonth(_ scope: AnalyticsScope, _ id: String, months: ClosedRange<FigureMonth>) throws(StoreError) -> [FigureMonth: [String: AnalyticsMeasures]] {
        var result: [FigureMonth: [String: AnalyticsMeasures]] = [:]
        try eachTable("""
            SELECT month, product_line, \(Self.sums) FROM {figures}
            WHERE scope = ? AND scope_id = ? AND month BETWEEN ? AND ? GROUP BY month, product_line
            """, [.text(scope.rawValue), .text(id), .text(months.lowerBound.text), .text(months.upperBound.text)]) { row in
            if let month = row.string(0).flatMap({ FigureMonth(text: $0) }) { result[month, default: [:]][row.string(1) ?? "", default: AnalyticsMeasures()] += Self.measures(row, from: 2) }
        }
        return result.mapValues(FigureContributions.withAllLinesTotal)
    }

    /// Which ids of a scope a reader reaches: every one, those the dealers it may see roll up into
    /// (the dealers themselves, their branches, sales reps or provinces), or one.
    public enum Reach: Sendable {
        case all
        case dealers(DealerVisibility)
        case only(String)

        func condition(_ scope: AnalyticsScope) -> (sql: String, binds: [SQLValue]) {
            switch self {
            case .all: return ("", [])
            case .only(let id): return (" AND scope_id = ?", [.text(id)])
            case .dealers(let visibility):
                let dealers = visibility.condition(on: "dealer_id")
                switch scope {
                case .dealer: return (" AND " + visibility.condition(on: "scope_id").sql, visibility.condition(on: "scope_id").binds)
                case .branch: return (" AND scope_id IN (SELECT branch_id FROM dealers WHERE \(dealers.sql))", dealers.binds)
                case .salesRep: return (" AND scope_id IN (SELECT sales_rep_id FROM dealers WHERE \(dealers.sql))", dealers.binds)
                case .province: return (" AND scope_id IN (SELECT province FROM dealers WHERE \(dealers.sql))", dealers.binds)
                case .company: return visibility == .everyone ? ("", []) : (" AND 1 = 0", [])
                case .plant, .carrier: return visibility == .nobody ? (" AND 1 = 0", []) : ("", [])
                }
            }
        }
    }

    /// Every id of a scope within `reach`, with its figures over `months` per product line (the
    /// all-lines row under ``FigureKey/allLines``): a scorecard's rows.
    public func everyId(_ scope: AnalyticsScope, months: ClosedRange<FigureMonth>, reach: Reach) throws(StoreError) -> [String: [String: AnalyticsMeasures]] {
        let filter = reach.condition(scope)
        var result: [String: [String: AnalyticsMeasures]] = [:]
        try eachTable("""
            SELECT scope_id, product_line, \(Self.sums) FROM {figures}
            WHERE scope = ? AND month BETWEEN ? AND ?\(filter.sql) GROUP BY scope_id, product_line
            """, [.text(scope.rawValue), .text(months.lowerBound.text), .text(months.upperBound.text)] + filter.binds) { row in
            result[row.string(0) ?? "", default: [:]][row.string(1) ?? "", default: AnalyticsMeasures()] += Self.measures(row, from: 2)
        }
        return result.mapValues(FigureContributions.withAllLinesTotal)
    }

    /// Per sales rep: the dealers assigned to it now, those of them that placed an order in
    /// `months`, and those whose first order ever fell in `months`. A dealer placed an order in a
    /// month when any of its rows that month counts one: a product line's row counts the orders with
    /// a line of it, and the all-lines row is more than zero only when some order has no line at all.
    public func salesRepDealers(months: ClosedRange<FigureMonth>) throws(StoreError) -> [String: (assigned: Int, active: Int, new: Int)] {
        // Each dealer's first and last month with an order up to the period's end, from the folded rows, and in the same
        // statement the dealers with pending rows in those months: theirs are worked out again from all of their rows
        // as they add up (a pending row can take a month's orders back to none).
        let upTo = SQLValue.text(months.upperBound.text)
        var ordered: [String: (first: String, last: String)] = [:]
        var touched: [String] = []
        let firstAndLast = try PendingFigureRows.reading(db) { pending throws(StoreError) in
            try db.query("""
                SELECT scope_id, MIN(month), MAX(month) FROM analytics_figures
                WHERE scope = 'dealer' AND orders_submitted > 0 AND month <= ? GROUP BY scope_id
                \(pending.map { "UNION ALL SELECT DISTINCT scope_id, NULL, NULL FROM \($0) WHERE scope = 'dealer' AND month <= ?" } ?? "")
                """, pending == nil ? [upTo] : [upTo, upTo])
        }
        for row in firstAndLast {
            guard let first = row.string(1), let last = row.string(2) else {
                touched.append(row.string(0) ?? "")
                continue
            }
            ordered[row.string(0) ?? ""] = (first, last)
        }
        for start in stride(from: 0, to: touched.count, by: 500) {
            let part = Array(touched[start..<min(touched.count, start + 500)])
            var months: [String: [String: [String: Int64]]] = [:]  // dealer → line → month → orders
            try eachTable("""
                SELECT scope_id, product_line, month, SUM(orders_submitted) FROM {figures}
                WHERE scope = 'dealer' AND scope_id IN (\(SQLText.placeholders(part.count))) AND month <= ? GROUP BY scope_id, product_line, month
                """, part.map(SQLValue.text) + [upTo]) { row in
                months[row.string(0) ?? "", default: [:]][row.string(1) ?? "", default: [:]][row.string(2) ?? "", default: 0] += row.int64(3)
            }
            for dealer in part {
                let withOrders = (months[dealer] ?? [:]).values.flatMap { $0.filter { $0.value > 0 }.keys }
                ordered[dealer] = withOrders.min().flatMap { first in withOrders.max().map { (first, $0) } }
            }
        }
        var counts: [String: (assigned: Int, active: Int, new: Int)] = [:]
        let (from, to) = (months.lowerBound.text, months.upperBound.text)
        for row in try db.query("SELECT dealer_id, sales_rep_id FROM dealers WHERE sales_rep_id IS NOT NULL") {
            let dealer = ordered[row.string(0) ?? ""]
            counts[row.string(1) ?? "", default: (0, 0, 0)].assigned += 1
            if let dealer, dealer.last >= from { counts[row.string(1) ?? "", default: (0, 0, 0)].active += 1 }
            if let dealer, dealer.first >= from, dealer.first <= to { counts[row.string(1) ?? "", default: (0, 0, 0)].new += 1 }
        }
        return counts
    }

    /// The names scorecards show beside ids: dealers' names, sales reps' (from their accounts) and
    /// plants' (the first of their warehouses' names, when the ERP named none for the plant).
    public func names(_ scope: AnalyticsScope, ids: [String]) throws(StoreError) -> [String: String] {
        let query: (Int) -> String
        switch scope {
        case .dealer: query = { "SELECT dealer_id, name FROM dealers WHERE dealer_id IN (\(SQLText.placeholders($0)))" }
        case .salesRep: query = { "SELECT sales_rep_id, MIN(display_name) FROM users WHERE sales_rep_id IN (\(SQLText.placeholders($0))) GROUP BY sales_rep_id" }
        case .plant: query = { "SELECT plant_id, MIN(name) FROM warehouses WHERE plant_id IN (\(SQLText.placeholders($0))) GROUP BY plant_id" }
        default: return [:]
        }
        var names: [String: String] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let part = Array(ids[start..<min(ids.count, start + 500)])
            for row in try db.query(query(part.count), part.map(SQLValue.text)) { names[row.string(0) ?? ""] = row.string(1) }
        }
        return names
    }

    /// Orders submitted per dealer and month in `months` (all product lines), for the dealers `visibility` holds:
    /// what the risk of losing a dealer is judged on (``DealerRisk``). Months without orders are absent.
    public func dealerMonthlyOrders(months: ClosedRange<FigureMonth>, visibleTo visibility: DealerVisibility = .everyone) throws(StoreError) -> [String: [FigureMonth: Int]] {
        let (scope, binds) = visibility.condition(on: "f.scope_id")
        var orders: [String: [FigureMonth: Int]] = [:]
        // A month's orders are its rows' sum: each product line's row counts the orders with a line of it, and the
        // all-lines row holds what those do not add up to (an order in two lines counted once: −1 there).
        try eachTable("""
            SELECT f.scope_id, f.month, SUM(f.orders_submitted) FROM {figures} f
            WHERE f.scope = 'dealer' AND f.month >= ? AND f.month <= ? AND \(scope)
            GROUP BY f.scope_id, f.month HAVING SUM(f.orders_submitted) <> 0
            """, [.text(months.lowerBound.text), .text(months.upperBound.text)] + binds) { row in
            guard let dealer = row.string(0), let month = row.string(1).flatMap(FigureMonth.init(text:)) else { return }
            orders[dealer, default: [:]][month, default: 0] += row.int(2)
        }
        return orders.compactMapValues { months in
            let placed = months.filter { $0.value > 0 }
            return placed.isEmpty ? nil : placed
        }
    }

    /// Each dealer's kind (its tier: tier-1, tier-2, key account, quick-lube centre), for the dealers'
    /// scorecard to show and pick by.
    public func dealerTiers(ids: [String]) throws(StoreError) -> [String: DealerTier] {
        var tiers: [String: DealerTier] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let part = Array(ids[start..<min(ids.count, start + 500)])
            for row in try db.query("SELECT dealer_id, tier FROM dealers WHERE dealer_id IN (\(SQLText.placeholders(part.count)))", part.map(SQLValue.text)) {
                tiers[row.string(0) ?? ""] = DealerTier(rawValue: row.string(1) ?? "")
            }
        }
        return tiers
    }

    /// The product lines and months a province's sales fall in (regional trends): taken volume and
    /// revenue per province × product line × month.
    public func regionalTrends(months: ClosedRange<FigureMonth>) throws(StoreError) -> [(province: String, productLine: String, month: FigureMonth, takenMl: Int64, revenueFen: Int64)] {
        var trends: [FigureKey: (takenMl: Int64, revenueFen: Int64)] = [:]
        try eachTable("""
            SELECT scope_id, product_line, month, SUM(taken_ml), SUM(revenue_fen) FROM {figures}
            WHERE scope = 'province' AND product_line <> ? AND month BETWEEN ? AND ? GROUP BY scope_id, product_line, month
            """, [.text(FigureKey.allLines), .text(months.lowerBound.text), .text(months.upperBound.text)]) { row in
            guard let month = row.string(2).flatMap({ FigureMonth(text: $0) }) else { return }
            let key = FigureKey(.province, row.string(0) ?? "", productLine: row.string(1) ?? "", month: month)
            trends[key, default: (0, 0)].takenMl += row.int64(3)
            trends[key, default: (0, 0)].revenueFen += row.int64(4)
        }
        return trends.sorted { $0.key < $1.key }
            .map { (province: $0.key.scopeId, productLine: $0.key.productLine, month: $0.key.month, takenMl: $0.value.takenMl, revenueFen: $0.value.revenueFen) }
    }

    /// Taken volume per id of `scope` within `reach`, product line and month over `months` (the product
    /// lines' rows, not the all-lines one): litres (ml) and kilograms (g) as kept — what the demand
    /// forecast is fitted on. Months without a row are absent.
    public func monthlyTaken(_ scope: AnalyticsScope, months: ClosedRange<FigureMonth>, reach: Reach) throws(StoreError) -> [String: [String: [FigureMonth: (ml: Int64, g: Int64)]]] {
        let filter = reach.condition(scope)
        var taken: [String: [String: [FigureMonth: (ml: Int64, g: Int64)]]] = [:]
        try eachTable("""
            SELECT scope_id, product_line, month, SUM(taken_ml), SUM(taken_g) FROM {figures}
            WHERE scope = ? AND product_line <> ? AND month BETWEEN ? AND ?\(filter.sql) GROUP BY scope_id, product_line, month
            HAVING SUM(taken_ml) <> 0 OR SUM(taken_g) <> 0
            """, [.text(scope.rawValue), .text(FigureKey.allLines), .text(months.lowerBound.text), .text(months.upperBound.text)] + filter.binds) { row in
            guard let id = row.string(0), let line = row.string(1), let month = row.string(2).flatMap(FigureMonth.init(text:)) else { return }
            taken[id, default: [:]][line, default: [:]][month, default: (0, 0)].ml += row.int64(3)
            taken[id, default: [:]][line, default: [:]][month, default: (0, 0)].g += row.int64(4)
        }
        // A month whose volume the two tables' rows add up to nothing is left out, as one never taken.
        return taken.compactMapValues { lines in
            let kept = lines.compactMapValues { months in
                let moved = months.filter { $0.value.ml != 0 || $0.value.g != 0 }
                return moved.isEmpty ? nil : moved
            }
            return kept.isEmpty ? nil : kept
        }
    }

    /// The ERP's customer class of a dealer in each product line it buys (KNVV-KDGRP), by line.
    public func customerClasses(of dealerId: String) throws(StoreError) -> [String: String] {
        var classes: [String: String] = [:]
        for row in try db.query("SELECT product_line, customer_class FROM dealer_product_lines WHERE dealer_id = ?", .text(dealerId)) {
            classes[row.string(0) ?? ""] = row.string(1)
        }
        return classes
    }
}
