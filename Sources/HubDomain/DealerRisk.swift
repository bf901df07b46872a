public import HubContracts
public import Foundation

/// A dealer at risk of being lost ("no dealer left behind"), judged from its orders month by month
/// (China months) at a month `now`, the month in progress counting as far as it has gone:
///
/// - **gone quiet**: no order this month nor in the `quietMonths` whole months before, while it
///   placed at least `minimumBefore` in the three months before those — a customer that ordered
///   and stopped (one that never ordered is not "at risk", it is a prospect);
/// - **falling**: the last three whole months hold at most half the orders of the three before,
///   which held at least `minimumFalling` (small numbers swing without meaning anything);
/// - **score dropping**: its dealer-scorecard score over the last three whole months is
///   `scoreDrop` points or more below the three before (both scored).
///
/// Each with its evidence, in words a sales rep reads (Chinese first).
public struct DealerRisk: Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        case goneQuiet(lastOrderMonth: FigureMonth?, ordersBefore: Int)
        case falling(before: Int, recent: Int)
        case scoreDropping(before: Decimal, recent: Decimal)
    }

    public static let scoreDrop: Decimal = 15

    public static let quietMonths = 2
    public static let minimumBefore = 3
    public static let minimumFalling = 6

    public var reason: Reason

    public init(reason: Reason) { self.reason = reason }

    /// The dealer's risk at `now`; nil when it is not at risk. `orders`: orders submitted per month (absent: none).
    /// `scores`: its scorecard score over the last three whole months and the three before, when both exist.
    public static func assess(orders: [FigureMonth: Int], scores: (recent: Decimal, before: Decimal)? = nil, now: FigureMonth) -> DealerRisk? {
        func sum(_ from: Int, _ to: Int) -> Int { (from...to).reduce(0) { $0 + (orders[now.adding(months: -$1)] ?? 0) } }
        // Months back from now: 0 is this month; 1…3 the last three whole months; 4…6 the three before.
        let quiet = sum(0, quietMonths)
        let beforeQuiet = sum(quietMonths + 1, quietMonths + 3)
        if quiet == 0 && beforeQuiet >= minimumBefore {
            let last = orders.filter { $0.value > 0 && $0.key < now }.keys.max()
            return DealerRisk(reason: .goneQuiet(lastOrderMonth: last, ordersBefore: beforeQuiet))
        }
        let recent = sum(1, 3), before = sum(4, 6)
        if before >= minimumFalling && recent * 2 <= before {
            return DealerRisk(reason: .falling(before: before, recent: recent))
        }
        if let scores, scores.before - scores.recent >= scoreDrop {
            return DealerRisk(reason: .scoreDropping(before: scores.before, recent: scores.recent))
        }
        return nil
    }

    /// Why, in Chinese then English.
    public var text: String {
        switch reason {
        case .goneQuiet(let last, let before):
            "\(last.map { "自 \($0.text) 起" } ?? "")已连续 \(Self.quietMonths + 1) 个月未下单（此前 3 个月共 \(before) 单）— "
                + "no order for \(Self.quietMonths + 1) months\(last.map { " (last in \($0.text))" } ?? ""), \(before) in the 3 months before"
        case .falling(let before, let recent):
            "近 3 个月订单 \(recent) 单，较前 3 个月 \(before) 单下降 \(before == 0 ? 0 : (before - recent) * 100 / before)% — orders fell from \(before) to \(recent) over three months"
        case .scoreDropping(let before, let recent):
            "近 3 个月评分 \(DecimalNumber(recent))，较前 3 个月 \(DecimalNumber(before)) 下降 \(DecimalNumber(before - recent)) 分 — its score fell from \(DecimalNumber(before)) to \(DecimalNumber(recent))"
        }
    }

    /// The follow-up the hub raises for a dealer at risk in a month: one id per dealer and month, so it is raised once.
    public static func followUpId(dealerId: String, month: FigureMonth) -> String { "AC-RISK-\(dealerId)-\(month.text)" }

    /// A short code for the reason: `gone-quiet` or `falling`.
    public var code: String {
        switch reason {
        case .goneQuiet: "gone-quiet"
        case .falling: "falling"
        case .scoreDropping: "score-dropping"
        }
    }
}
