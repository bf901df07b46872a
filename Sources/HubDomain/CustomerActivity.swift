public import Foundation

/// Whether a dealer still buys (R4's customer activity), from the days since its last order to the
/// company: the study's dealers order about four times a month, so two months without an order is
/// worth a call and half a year means the dealer buys elsewhere.
///
/// | days since the last order | state |
/// |---|---|
/// | 0–60 | active (活跃) |
/// | 61–180 | dormant (休眠) |
/// | more than 180 | lost (流失) |
/// | never ordered | none yet (未下单) |
///
/// A cancelled or rejected order counts as an order here: the dealer tried to buy.
public enum CustomerActivity: String, Sendable, Equatable, CaseIterable {
    case active, dormant, lost, noOrders = "no-orders"

    public static let dormantAfterDays = 60
    public static let lostAfterDays = 180

    /// The state and the whole days since the last order (nil without one), at `now`.
    public static func of(lastOrderAt: Date?, now: Date) -> (state: CustomerActivity, days: Int?) {
        guard let lastOrderAt else { return (.noOrders, nil) }
        let days = max(0, Int(now.timeIntervalSince(lastOrderAt) / 86_400))
        if days > lostAfterDays { return (.lost, days) }
        if days > dormantAfterDays { return (.dormant, days) }
        return (.active, days)
    }
}
