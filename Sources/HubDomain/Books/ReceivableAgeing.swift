/// What a customer owes a dealer, by how old the sales still unpaid are (应收账款账龄).
///
/// Payments and refunds settle the oldest sales first (first in, first out), so what is still open
/// is always the most recent sales: the balance is laid over the sales from the newest backwards.
/// That needs only the balance and the sales of the last 90 days by band, not the whole history —
/// the same answer as settling every sale one by one.
///
/// Bands by the sale's age in whole days at the report date: 0–30, 31–60, 61–90, over 90. A balance
/// of zero or less (the customer paid ahead) has nothing overdue; its credit shows as the balance.
public struct ReceivableAgeing: Sendable, Equatable, Codable {
    /// Sales less refunds and payments, in fen (negative: paid ahead).
    public var balanceFen: Int64
    public var days0to30Fen: Int64
    public var days31to60Fen: Int64
    public var days61to90Fen: Int64
    public var over90Fen: Int64

    /// Sales value by age band, newest band first (0–30, 31–60, 61–90 days), in fen.
    public struct RecentSales: Sendable, Equatable {
        public var days0to30Fen: Int64
        public var days31to60Fen: Int64
        public var days61to90Fen: Int64

        public init(days0to30Fen: Int64, days31to60Fen: Int64, days61to90Fen: Int64) {
            (self.days0to30Fen, self.days31to60Fen, self.days61to90Fen) = (days0to30Fen, days31to60Fen, days61to90Fen)
        }
    }

    /// The ageing of `balanceFen` over the customer's recent sales.
    public init(balanceFen: Int64, recentSales: RecentSales) {
        self.balanceFen = balanceFen
        var open = max(balanceFen, 0)
        func lay(_ sales: Int64) -> Int64 {
            let covered = min(open, max(sales, 0))
            open -= covered
            return covered
        }
        days0to30Fen = lay(recentSales.days0to30Fen)
        days31to60Fen = lay(recentSales.days31to60Fen)
        days61to90Fen = lay(recentSales.days61to90Fen)
        over90Fen = open
    }

    /// The band limits in days (inclusive upper bounds) of the first three bands.
    public static let bandDays = [30, 60, 90]
}
