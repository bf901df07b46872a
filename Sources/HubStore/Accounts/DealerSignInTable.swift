import Foundation
import HubContracts
public import HubDomain

/// How often each dealer's people sign in, per day in China Standard Time (customer activity, R4):
/// one more when a session of a dealer's user starts. Staff and carriers are not counted; a
/// dealer's system calling with a token does not sign in.
struct DealerSignInTable {
    let db: any SQLDatabase

    func count(userId: String, at milliseconds: Int64) throws(StoreError) {
        try db.execute("""
            INSERT INTO dealer_sign_ins (dealer_id, day, sign_ins) SELECT dealer_id, ?, 1 FROM users WHERE user_id = ? AND dealer_id IS NOT NULL
            ON CONFLICT (dealer_id, day) DO UPDATE SET sign_ins = dealer_sign_ins.sign_ins + 1
            """, .text(Self.day(milliseconds)), .text(userId))
    }

    /// `YYYY-MM-DD` of an instant in China.
    static func day(_ milliseconds: Int64) -> String {
        let civil = CivilCalendar.date(days: Int64(FigureMonth.localDay(Date(timeIntervalSince1970: Double(milliseconds) / 1_000))))
        return String(format: "%04d-%02d-%02d", civil.year, civil.month, civil.day)
    }
}

/// A dealer's sign-ins over a period, and its last.
public struct DealerSignIns: Sendable, Equatable {
    public var count: Int64
    /// The last day any of its people signed in (ever, not only in the period), `YYYY-MM-DD`.
    public var lastDay: String?
}

/// The dealers' sign-ins as customer activity reads them.
public struct DealerSignInReadModel {
    let db: any SQLDatabase

    /// `dealerId`'s sign-ins on the days of `months` (China time).
    public func signIns(of dealerId: String, months: ClosedRange<FigureMonth>) throws(StoreError) -> DealerSignIns {
        let count = try db.first("""
            SELECT CAST(COALESCE(SUM(sign_ins), 0) AS BIGINT) FROM dealer_sign_ins WHERE dealer_id = ? AND day >= ? AND day < ?
            """, .text(dealerId), .text(months.lowerBound.text + "-01"), .text(months.upperBound.adding(months: 1).text + "-01"))?.int64(0) ?? 0
        let last = try db.first("SELECT MAX(day) FROM dealer_sign_ins WHERE dealer_id = ?", .text(dealerId))?.string(0)
        return DealerSignIns(count: count, lastDay: last)
    }
}
