public import HubDomain
public import HubContracts
import Foundation

/// The figures as a plain `GROUP BY` over the raw tables (orders, their lines, contracts) computes
/// them — what `lubehub-bench analytics` measures the kept figures against, and checks them by.
/// Not used to answer anyone: every answer comes from ``AnalyticsReadModel``.
public struct AnalyticsBaseline {
    let db: any SQLDatabase

    /// One group's sums: orders placed and valid in the period, and what was dispatched in it.
    public struct Sums: Sendable, Equatable {
        public var ordersSubmitted: Int64 = 0
        public var ordersValid: Int64 = 0
        public var takenMl: Int64 = 0
        public var revenueFen: Int64 = 0
        public var costFen: Int64 = 0

        public init() {}
    }

    /// `[from, to)` as the stored timestamps compare: China midnight of the period's first day and
    /// of the day after its last.
    static func bounds(_ months: ClosedRange<FigureMonth>) -> (String, String) {
        let start = months.lowerBound.firstDay * 86_400 - CivilCalendar.chinaStandardTimeOffset
        let end = months.upperBound.adding(months: 1).firstDay * 86_400 - CivilCalendar.chinaStandardTimeOffset
        return (Timestamp(Date(timeIntervalSince1970: Double(start))).text, Timestamp(Date(timeIntervalSince1970: Double(end))).text)
    }

    /// What the sums are grouped by.
    public enum Grouping: String, Sendable {
        case branch = "o.branch_id"
        case dealer = "o.dealer_id"
        case company = "'company'"
    }

    /// Sums per branch, dealer or for the company, optionally of one dealer's orders.
    public func sums(by grouping: Grouping, months: ClosedRange<FigureMonth>, dealerId: String? = nil) throws(StoreError) -> [String: Sums] {
        let column = grouping.rawValue
        let group = grouping == .company ? "" : " GROUP BY \(column)"
        let (from, to) = Self.bounds(months)
        let dealer = dealerId == nil ? "" : " AND o.dealer_id = ?"
        let dealerBind: [SQLValue] = dealerId.map { [.text($0)] } ?? []
        var result: [String: Sums] = [:]
        for row in try db.query("""
            SELECT \(column), COUNT(*), COUNT(CASE WHEN status NOT IN ('submitted', 'rejected', 'cancelled') THEN 1 END)
            FROM orders o WHERE COALESCE(placed_at, submitted_at) >= ? AND COALESCE(placed_at, submitted_at) < ?\(dealer)\(group)
            """, [.text(from), .text(to)] + dealerBind) {
            result[row.string(0) ?? "", default: Sums()].ordersSubmitted = row.int64(1)
            result[row.string(0) ?? "", default: Sums()].ordersValid = row.int64(2)
        }
        for row in try db.query("""
            SELECT \(column), CAST(SUM(l.taken_ml) AS BIGINT), CAST(SUM(l.revenue_fen) AS BIGINT), CAST(SUM(COALESCE(l.cost_fen, 0)) AS BIGINT)
            FROM orders o JOIN order_lines l ON l.order_id = o.order_id
            WHERE o.dispatched_at >= ? AND o.dispatched_at < ? AND o.status IN ('dispatched', 'delivered', 'received', 'rated')\(dealer)\(group)
            """, [.text(from), .text(to)] + dealerBind) {
            result[row.string(0) ?? "", default: Sums()].takenMl = row.int64(1)
            result[row.string(0) ?? "", default: Sums()].revenueFen = row.int64(2)
            result[row.string(0) ?? "", default: Sums()].costFen = row.int64(3)
        }
        return result
    }

    /// Taken litres and revenue by province × product line × month (China time) of dispatch: the
    /// regional trends.
    public func regionalTrends(months: ClosedRange<FigureMonth>) throws(StoreError) -> Int {
        let (from, to) = Self.bounds(months)
        let month = switch db.dialect {
        case .sqlite: "strftime('%Y-%m', o.dispatched_at, '+8 hours')"
        case .postgresql: "to_char(o.dispatched_at::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"
        }
        return try db.query("""
            SELECT o.province, l.product_line, \(month), SUM(l.taken_ml), SUM(l.revenue_fen)
            FROM orders o JOIN order_lines l ON l.order_id = o.order_id
            WHERE o.dispatched_at >= ? AND o.dispatched_at < ? AND o.status IN ('dispatched', 'delivered', 'received', 'rated')
            GROUP BY o.province, l.product_line, \(month)
            """, .text(from), .text(to)).count
    }
}
