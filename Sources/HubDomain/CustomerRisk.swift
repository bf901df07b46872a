public import HubContracts
public import Foundation

/// Risky ("malicious") customers (issue 30): the flags the data raises about a dealer, each with its
/// evidence, and the review workflow branch staff take it through — flagged → reviewed, with the
/// outcome no action, warning, credit hold or blocked (a hold or block refuses the dealer's new
/// orders until released). Pure: the evidence is counted by the store, the rules are here.
///
/// The flags (windows counted back from now):
/// - **cross-region** — the anti-counterfeit system flagged genuine codes of the dealer's goods scanned
///   outside its region (窜货) in the last 180 days: one is enough;
/// - **counterfeit** — codes traced to the dealer's goods found counterfeit in the last 180 days: one is enough;
/// - **cancellations** — of the orders it submitted in the last 90 days, 3 or more cancelled or rejected
///   (rejections for a hold or block left out) and at least a quarter of them;
/// - **overdue-invoices** — an invoice the ERP posted still open more than 7 days past its due date.
public enum CustomerRisk {
    public static let flagWindowDays = 180
    public static let orderWindowDays = 90
    public static let minimumRefusals = 3
    public static let graceDays = 7

    /// What the store counted for one dealer.
    public struct Evidence: Sendable {
        public var crossRegionFlags = 0
        public var counterfeitFlags = 0
        /// When the newest of those flags' codes was scanned.
        public var lastFlagAt: Timestamp?
        public var ordersSubmitted = 0
        public var ordersCancelled = 0
        public var ordersRejected = 0
        public var lastRefusalAt: Timestamp?
        /// Open invoices past their due date: id, open amount, due date.
        public var overdueInvoices: [(invoiceId: String, open: Decimal, dueOn: CalendarDate)] = []

        public init() {}

        /// When the newest flag's code was scanned or the newest refused order changed: a review older
        /// than this has not seen it (an overdue invoice is not news: it stays overdue).
        public var newest: Timestamp? {
            [lastFlagAt, lastRefusalAt].compactMap { $0 }.max { $0.milliseconds < $1.milliseconds }
        }
    }

    public enum Flag: Sendable, Equatable {
        case crossRegion(flags: Int)
        case counterfeit(flags: Int)
        case cancellations(cancelled: Int, rejected: Int, of: Int)
        case overdueInvoices(count: Int, open: Decimal, daysOverdue: Int)

        /// `cross-region`, `counterfeit`, `cancellations`, `overdue-invoices`.
        public var code: String {
            switch self {
            case .crossRegion: return "cross-region"
            case .counterfeit: return "counterfeit"
            case .cancellations: return "cancellations"
            case .overdueInvoices: return "overdue-invoices"
            }
        }

        public static let codes = ["cross-region", "counterfeit", "cancellations", "overdue-invoices"]

        /// The evidence in Chinese, as staff read it.
        public var text: String {
            switch self {
            case .crossRegion(let flags): return "近 \(CustomerRisk.flagWindowDays) 天防伪系统报告窜货 \(flags) 次"
            case .counterfeit(let flags): return "近 \(CustomerRisk.flagWindowDays) 天其货物涉及假冒码 \(flags) 个"
            case .cancellations(let cancelled, let rejected, let orders):
                return "近 \(CustomerRisk.orderWindowDays) 天 \(orders) 单中取消 \(cancelled) 单、被拒 \(rejected) 单"
            case .overdueInvoices(let count, let open, let days):
                return "\(count) 张发票逾期未付，共 ¥\(FigureRatios.text(open, places: 2))，最久逾期 \(days) 天"
            }
        }
    }

    /// The flags `evidence` raises on `today` (China date), in the order above.
    public static func flags(_ evidence: Evidence, today: CalendarDate) -> [Flag] {
        var flags: [Flag] = []
        if evidence.crossRegionFlags > 0 { flags.append(.crossRegion(flags: evidence.crossRegionFlags)) }
        if evidence.counterfeitFlags > 0 { flags.append(.counterfeit(flags: evidence.counterfeitFlags)) }
        let refusals = evidence.ordersCancelled + evidence.ordersRejected
        if refusals >= minimumRefusals, refusals * 4 >= evidence.ordersSubmitted {
            flags.append(.cancellations(cancelled: evidence.ordersCancelled, rejected: evidence.ordersRejected, of: evidence.ordersSubmitted))
        }
        let overdue = evidence.overdueInvoices.compactMap { invoice -> (open: Decimal, days: Int)? in
            guard invoice.open > 0, let due = invoice.dueOn.dayNumber, let now = today.dayNumber, now - due > graceDays else { return nil }
            let days = now - due
            return (invoice.open, days)
        }
        if let oldest = overdue.map(\.days).max() {
            flags.append(.overdueInvoices(count: overdue.count, open: overdue.reduce(0) { $0 + $1.open }, daysOverdue: oldest))
        }
        return flags
    }

    /// Where a dealer stands in the review workflow.
    public enum Status: Sendable, Equatable {
        /// Nothing raised, nothing decided.
        case clear
        /// Flags raised and not reviewed since the newest evidence.
        case flagged([Flag])
        /// Reviewed (its outcome stands), with the flags as they are now.
        case reviewed(RiskOutcome, flags: [Flag])

        /// `clear`, `flagged`, `reviewed`.
        public var code: String {
            switch self {
            case .clear: return "clear"
            case .flagged: return "flagged"
            case .reviewed: return "reviewed"
            }
        }
    }

    /// A dealer with `flags` whose newest evidence is `newestEvidence`, last reviewed at `reviewedAt`
    /// with `outcome`: reviewed when the review is as new as the evidence (or holds the dealer — a hold
    /// or block stands until released, whatever comes after), else flagged when anything is raised.
    public static func status(flags: [Flag], newestEvidence: Timestamp?, review: (outcome: RiskOutcome, at: Timestamp)?) -> Status {
        if let review {
            if review.outcome.refusesOrders || flags.isEmpty { return .reviewed(review.outcome, flags: flags) }
            if let newestEvidence, newestEvidence.milliseconds > review.at.milliseconds { return .flagged(flags) }
            return .reviewed(review.outcome, flags: flags)
        }
        return flags.isEmpty ? .clear : .flagged(flags)
    }

    /// Why `outcome` may not follow `current` (nil: it may): a hold or block is lifted only by
    /// `released`, and only a hold or block can be released.
    public static func refusal(of outcome: RiskOutcome, after current: RiskOutcome?) -> String? {
        guard RiskOutcome.known.contains(outcome) else { return "outcome: one of \(RiskOutcome.known.map(\.rawValue).joined(separator: ", "))" }
        let holding = current?.refusesOrders ?? false
        if outcome == .released && !holding { return "outcome: released lifts a credit hold or a block, and the dealer has neither" }
        if holding && (outcome == .noAction || outcome == .warning) {
            return "outcome: the dealer is \(current?.rawValue ?? "") — release it (released) before recording \(outcome.rawValue)"
        }
        return nil
    }
}
