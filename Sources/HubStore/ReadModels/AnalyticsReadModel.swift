public import HubDomain
public import HubContracts

/// The figures the core keeps (``AnalyticsTable``), added up over months: a dealer's page, a
/// scorecard's rows, a trend's months. Every read sums stored per-month rows; nothing here goes
/// back to the orders.
public struct AnalyticsReadModel {
    let db: any SQLDatabase

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
        let row = try db.query("""
            SELECT \(Self.sums) FROM analytics_figures WHERE scope = ? AND scope_id = ?\(oneLine.0) AND month BETWEEN ? AND ?
            """, [.text(scope.rawValue), .text(id)] + oneLine.1 + [.text(months.lowerBound.text), .text(months.upperBound.text)]).first
        return row.map { Self.measures($0, from: 0) } ?? AnalyticsMeasures()
    }

    /// One scope's figures month by month and per product line (all lines under
    /// ``FigureKey/allLines``); months without figures left out.
    public func byMonth(_ scope: AnalyticsScope, _ id: String, months: ClosedRange<FigureMonth>) throws(StoreError) -> [FigureMonth: [String: AnalyticsMeasures]] {
        var result: [FigureMonth: [String: AnalyticsMeasures]] = [:]
        for row in try db.query("""
            SELECT month, product_line, \(AnalyticsMeasures.columns.joined(separator: ", ")) FROM analytics_figures
            WHERE scope = ? AND scope_id = ? AND month BETWEEN ? AND ?
            """, .text(scope.rawValue), .text(id), .text(months.lowerBound.text), .text(months.upperBound.text)) {
            if let month = row.string(0).flatMap({ FigureMonth(text: $0) }) { result[month, default: [:]][row.string(1) ?? ""] = Self.measures(row, from: 2) }
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
        for row in try db.query("""
            SELECT scope_id, product_line, \(Self.sums) FROM analytics_figures
            WHERE scope = ? AND month BETWEEN ? AND ?\(filter.sql) GROUP BY scope_id, product_line
            """, [.text(scope.rawValue), .text(months.lowerBound.text), .text(months.upperBound.text)] + filter.binds) {
            result[row.string(0) ?? "", default: [:]][row.string(1) ?? ""] = Self.measures(row, from: 2)
        }
        return result.mapValues(FigureContributions.withAllLinesTotal)
    }

    /// Per sales rep: the dealers assigned to it now, those of them that placed an order in
    /// `months`, and those whose first order ever fell in `months`. A dealer placed an order in a
    /// month when any of its rows that month counts one: a product line's row counts the orders with
    /// a line of it, and the all-lines row is more than zero only when some order has no line at all.
    public func salesRepDealers(months: ClosedRange<FigureMonth>) throws(StoreError) -> [String: (assigned: Int, active: Int, new: Int)] {
        var counts: [String: (assigned: Int, active: Int, new: Int)] = [:]
        for row in try db.query("""
            SELECT d.sales_rep_id, COUNT(*),
                   COUNT(CASE WHEN f.last_order >= ? THEN 1 END), COUNT(CASE WHEN f.first_order BETWEEN ? AND ? THEN 1 END)
            FROM dealers d LEFT JOIN (
                SELECT scope_id, MIN(month) AS first_order, MAX(month) AS last_order FROM analytics_figures
                WHERE scope = 'dealer' AND orders_submitted > 0 AND month <= ? GROUP BY scope_id) f ON f.scope_id = d.dealer_id
            WHERE d.sales_rep_id IS NOT NULL GROUP BY d.sales_rep_id
            """, .text(months.lowerBound.text), .text(months.lowerBound.text), .text(months.upperBound.text), .text(months.upperBound.text)) {
            counts[row.string(0) ?? ""] = (row.int(1), row.int(2), row.int(3))
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
        for row in try db.query("""
            SELECT f.scope_id, f.month, SUM(f.orders_submitted) FROM analytics_figures f
            WHERE f.scope = 'dealer' AND f.month >= ? AND f.month <= ? AND \(scope)
            GROUP BY f.scope_id, f.month HAVING SUM(f.orders_submitted) > 0
            """, [.text(months.lowerBound.text), .text(months.upperBound.text)] + binds) {
            guard let dealer = row.string(0), let month = row.string(1).flatMap(FigureMonth.init(text:)) else { continue }
            orders[dealer, default: [:]][month] = row.int(2)
        }
        return orders
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
        try db.query("""
            SELECT scope_id, product_line, month, taken_ml, revenue_fen FROM analytics_figures
            WHERE scope = 'province' AND product_line <> ? AND month BETWEEN ? AND ? ORDER BY scope_id, product_line, month
            """, .text(FigureKey.allLines), .text(months.lowerBound.text), .text(months.upperBound.text)).compactMap { row in
            guard let month = row.string(2).flatMap({ FigureMonth(text: $0) }) else { return nil }
            return (row.string(0) ?? "", row.string(1) ?? "", month, row.int64(3), row.int64(4))
        }
    }

    /// Taken volume per id of `scope` within `reach`, product line and month over `months` (the product
    /// lines' rows, not the all-lines one): litres (ml) and kilograms (g) as kept — what the demand
    /// forecast is fitted on. Months without a row are absent.
    public func monthlyTaken(_ scope: AnalyticsScope, months: ClosedRange<FigureMonth>, reach: Reach) throws(StoreError) -> [String: [String: [FigureMonth: (ml: Int64, g: Int64)]]] {
        let filter = reach.condition(scope)
        var taken: [String: [String: [FigureMonth: (ml: Int64, g: Int64)]]] = [:]
        for row in try db.query("""
            SELECT scope_id, product_line, month, taken_ml, taken_g FROM analytics_figures
            WHERE scope = ? AND product_line <> ? AND month BETWEEN ? AND ? AND (taken_ml <> 0 OR taken_g <> 0)\(filter.sql)
            """, [.text(scope.rawValue), .text(FigureKey.allLines), .text(months.lowerBound.text), .text(months.upperBound.text)] + filter.binds) {
            guard let id = row.string(0), let line = row.string(1), let month = row.string(2).flatMap(FigureMonth.init(text:)) else { continue }
            taken[id, default: [:]][line, default: [:]][month] = (row.int64(3), row.int64(4))
        }
        return taken
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
