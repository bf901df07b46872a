public import HubDomain

/// The figures the core keeps (``AnalyticsTable``), added up over months: a dealer's page, a
/// scorecard's rows, a trend's months. Every read sums stored per-month rows; nothing here goes
/// back to the orders.
public struct AnalyticsReadModel {
    let db: any SQLDatabase

    private static var sums: String {
        AnalyticsMeasures.fields.map { "CAST(SUM(\($0.column)) AS BIGINT)" }.joined(separator: ", ")
    }

    private static func measures(_ row: SQLRow, from column: Int) -> AnalyticsMeasures {
        var measures = AnalyticsMeasures()
        for (index, field) in AnalyticsMeasures.fields.enumerated() { measures[keyPath: field.path] = row.int64(column + index) }
        return measures
    }

    /// One scope's figures over `months` (both ends included), for one product line or all (``FigureKey/allLines``).
    public func total(_ scope: AnalyticsScope, _ id: String, productLine: String = FigureKey.allLines,
                      months: ClosedRange<FigureMonth>) throws(StoreError) -> AnalyticsMeasures {
        let row = try db.first("""
            SELECT \(Self.sums) FROM analytics_figures WHERE scope = ? AND scope_id = ? AND product_line = ? AND month BETWEEN ? AND ?
            """, .text(scope.rawValue), .text(id), .text(productLine), .text(months.lowerBound.text), .text(months.upperBound.text))
        return row.map { Self.measures($0, from: 0) } ?? AnalyticsMeasures()
    }

    /// One scope's figures over `months` per product line (all lines together left out).
    public func byProductLine(_ scope: AnalyticsScope, _ id: String, months: ClosedRange<FigureMonth>) throws(StoreError) -> [String: AnalyticsMeasures] {
        var lines: [String: AnalyticsMeasures] = [:]
        for row in try db.query("""
            SELECT product_line, \(Self.sums) FROM analytics_figures
            WHERE scope = ? AND scope_id = ? AND product_line <> ? AND month BETWEEN ? AND ? GROUP BY product_line
            """, .text(scope.rawValue), .text(id), .text(FigureKey.allLines), .text(months.lowerBound.text), .text(months.upperBound.text)) {
            lines[row.string(0) ?? ""] = Self.measures(row, from: 1)
        }
        return lines
    }

    /// One scope's figures month by month (months without figures left out).
    public func byMonth(_ scope: AnalyticsScope, _ id: String, productLine: String = FigureKey.allLines,
                        months: ClosedRange<FigureMonth>) throws(StoreError) -> [FigureMonth: AnalyticsMeasures] {
        var result: [FigureMonth: AnalyticsMeasures] = [:]
        for row in try db.query("""
            SELECT month, \(AnalyticsMeasures.fields.map(\.column).joined(separator: ", ")) FROM analytics_figures
            WHERE scope = ? AND scope_id = ? AND product_line = ? AND month BETWEEN ? AND ?
            """, .text(scope.rawValue), .text(id), .text(productLine), .text(months.lowerBound.text), .text(months.upperBound.text)) {
            if let month = row.string(0).flatMap({ FigureMonth(text: $0) }) { result[month] = Self.measures(row, from: 1) }
        }
        return result
    }

    /// Every id of a scope with its figures over `months` (a scorecard's rows). `dealersOf` keeps
    /// only the dealers of that branch (for the dealer scope: as the dealers are now).
    public func everyId(_ scope: AnalyticsScope, productLine: String = FigureKey.allLines, months: ClosedRange<FigureMonth>,
                        dealersOfBranch branchId: String? = nil) throws(StoreError) -> [String: AnalyticsMeasures] {
        var binds: [SQLValue] = [.text(scope.rawValue), .text(productLine), .text(months.lowerBound.text), .text(months.upperBound.text)]
        var filter = ""
        if let branchId {
            filter = " AND scope_id IN (SELECT dealer_id FROM dealers WHERE branch_id = ?)"
            binds.append(.text(branchId))
        }
        var result: [String: AnalyticsMeasures] = [:]
        for row in try db.query("""
            SELECT scope_id, \(Self.sums) FROM analytics_figures
            WHERE scope = ? AND product_line = ? AND month BETWEEN ? AND ?\(filter) GROUP BY scope_id
            """, binds) {
            result[row.string(0) ?? ""] = Self.measures(row, from: 1)
        }
        return result
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
}
