import Foundation
import HubContracts
public import HubDomain

/// How often each dealer's people sign in, per day in China Standard Time (customer activity, R4):
/// one more when a session of a dealer's user starts. Staff and carriers are not counted; a
/// dealer's system calling with a token does not sign in.
struct DealerSignInTable {
    let db: any SQLDatabase

    /// One more sign-in for the dealer of `userId` (nothing for a user of no dealer), and one more in
    /// the figures of the dealer and whom it belonged to at its first sign-in that day — in the
    /// caller's transaction, so the day's count and the figures move together.
    func count(userId: String, at milliseconds: Int64) throws(StoreError) {
        let day = Self.day(milliseconds)
        try db.execute("""
            INSERT INTO dealer_sign_ins (dealer_id, day, sign_ins, branch_id, sales_rep_id, province)
            SELECT u.dealer_id, ?, 1, d.branch_id, d.sales_rep_id, d.province FROM users u LEFT JOIN dealers d ON d.dealer_id = u.dealer_id
            WHERE u.user_id = ? AND u.dealer_id IS NOT NULL
            ON CONFLICT (dealer_id, day) DO UPDATE SET sign_ins = dealer_sign_ins.sign_ins + 1
            """, .text(day), .text(userId))
        guard let row = try db.first("""
            SELECT s.dealer_id, s.branch_id, s.sales_rep_id, s.province FROM dealer_sign_ins s JOIN users u ON u.dealer_id = s.dealer_id
            WHERE u.user_id = ? AND s.day = ?
            """, .text(userId), .text(day)), let date = CalendarDate(day) else { return }
        let facts = SignInFacts(day: date, attribution: Self.attribution(row), signIns: 1)
        try AnalyticsTable(db: db).add(SignInFigures.entries(of: facts).contributions)
    }

    /// Whom a row's dealer belonged to: dealer id, branch, sales rep and province in columns 0–3.
    static func attribution(_ row: SQLRow) -> DealerAttribution {
        DealerAttribution(dealerId: row.string(0) ?? "", branchId: row.string(1) ?? "", salesRepId: row.string(2), province: row.string(3) ?? "")
    }

    /// `YYYY-MM-DD` of an instant in China.
    static func day(_ milliseconds: Int64) -> String {
        let civil = CivilCalendar.date(days: Int64(FigureMonth.localDay(Date(timeIntervalSince1970: Double(milliseconds) / 1_000))))
        return String(format: "%04d-%02d-%02d", civil.year, civil.month, civil.day)
    }
}

/// The dealers' sign-ins as customer activity reads them (how many in a period is a figure:
/// ``AnalyticsMeasures/signIns``).
public struct DealerSignInReadModel {
    let db: any SQLDatabase

    /// The last day any of `dealerId`'s people signed in (ever, not only in a period), `YYYY-MM-DD` in China.
    public func lastDay(of dealerId: String) throws(StoreError) -> String? {
        try db.first("SELECT MAX(day) FROM dealer_sign_ins WHERE dealer_id = ?", .text(dealerId))?.string(0)
    }
}
