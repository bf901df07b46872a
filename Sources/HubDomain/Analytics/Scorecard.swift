public import Foundation

/// What a scorecard (R8) ranks, the measures it is made of, and their default weights
/// (README, "Scorecards"). Each measure is scored 0–100; a row's score is the weighted mean of the
/// measures it has (a measure without data — no contract, no rating — leaves its weight out rather
/// than counting as zero).
public enum ScorecardKind: String, Sendable, CaseIterable {
    case dealers
    case plants
    case branches
    case salesReps = "sales-reps"
    case carriers

    public var scope: AnalyticsScope {
        switch self {
        case .dealers: .dealer
        case .plants: .plant
        case .branches: .branch
        case .salesReps: .salesRep
        case .carriers: .carrier
        }
    }

    /// The measures in the order the table shows them, with their default weights (0: shown, not scored).
    public var measures: [(ScorecardMeasure, weight: Int)] {
        switch self {
        case .dealers: [(.fulfilmentRate, 40), (.validOrderRate, 20), (.receiptSpeed, 20), (.growth, 20)]
        // The dealers' tickets (R6) beside them, shown and not scored unless a weight is given.
        case .branches: [(.fulfilmentRate, 40), (.growth, 30), (.validOrderRate, 30), (.ticketsOpened, 0), (.ticketFirstResponseHours, 0),
                         (.ticketOverdueShare, 0), (.ticketSatisfaction, 0)]
        case .salesReps: [(.fulfilmentRate, 35), (.activeDealerShare, 25), (.newDealers, 10), (.growth, 15), (.activityCoverage, 10), (.planKept, 5)]
        case .plants: [(.onTimeDispatchRate, 40), (.confirmToDispatchHours, 30), (.productQuality, 30)]
        case .carriers: [(.onTimeDeliveryRate, 30), (.etaKeptRate, 15), (.exceptionRate, 15), (.dispatchSpeed, 15), (.serviceQuality, 15),
                         (.gpsCoverage, 10), (.etaErrorMinutes, 0)]
        }
    }
}

/// One measure of a scorecard and how it is scored 0–100.
public enum ScorecardMeasure: String, Sendable, CaseIterable {
    /// Taken ÷ contracted; 100 at 100 % or more.
    case fulfilmentRate
    /// Valid ÷ submitted orders; 100 at 100 %.
    case validOrderRate
    /// The hub's receipt-speed score (1–5); 1 → 0, 5 → 100.
    case receiptSpeed
    /// Taken litres against the same months a year before; 0 % → 50, +50 % or more → 100, −50 % or less → 0.
    case growth
    /// Share of the rep's dealers that ordered in the period.
    case activeDealerShare
    /// Dealers whose first order fell in the period; 100 at 5 or more.
    case newDealers
    /// Share of the rep's dealers its people did something with (a visit, a call…) in the period.
    case activityCoverage
    /// Of the activities the rep's people planned for the period, the share carried out.
    case planKept
    /// Dispatched on or before the promised date ÷ dispatches with a promised date.
    case onTimeDispatchRate
    /// Mean hours from the ERP's confirmation to dispatch: 24 h or less → 100, 168 h (a week) or more → 0, linear between.
    case confirmToDispatchHours
    /// The dealers' mean mark (1–5) for product quality, dispatch speed, service: 1 → 0, 5 → 100.
    case productQuality
    case dispatchSpeed
    case serviceQuality
    /// Delivered on or before the promised date ÷ deliveries with a promised date.
    case onTimeDeliveryRate
    /// Shipments with an exception ÷ shipments delivered; 0 % → 100, 20 % or more → 0.
    case exceptionRate
    /// Arrived no later than 30 minutes after the carrier's first estimate ÷ shipments with one.
    case etaKeptRate
    /// Mean minutes between the carrier's first estimate and the arrival: 0 → 100, 4 hours or more → 0.
    case etaErrorMinutes
    /// Minutes in transit with a fix at least every minute ÷ minutes in transit.
    case gpsCoverage
    /// The dealers' tickets opened in the period (a count, not scored: 0).
    case ticketsOpened
    /// Mean hours from a ticket's opening to its first answer: 4 h or less → 100, 72 h or more → 0, linear between.
    case ticketFirstResponseHours
    /// The period's tickets overdue now ÷ those opened; 0 % → 100, 50 % or more → 0.
    case ticketOverdueShare
    /// The dealers' mean rating of the answers (1–5): 1 → 0, 5 → 100.
    case ticketSatisfaction

    /// The measure's 0–100 score for `value`.
    public func score(_ value: Decimal) -> Decimal {
        let raw: Decimal
        switch self {
        case .fulfilmentRate, .validOrderRate, .activeDealerShare, .onTimeDispatchRate, .onTimeDeliveryRate, .etaKeptRate, .gpsCoverage, .activityCoverage, .planKept:
            raw = value * 100
        case .receiptSpeed, .productQuality, .dispatchSpeed, .serviceQuality: raw = (value - 1) * 25
        case .growth: raw = 50 + value * 100
        case .newDealers: raw = value * 20
        case .confirmToDispatchHours: raw = (168 - value) * 100 / 144
        case .exceptionRate: raw = 100 - value * 500
        case .etaErrorMinutes: raw = 100 - value * 100 / 240
        case .ticketsOpened: raw = 0
        case .ticketFirstResponseHours: raw = (72 - value) * 100 / 68
        case .ticketOverdueShare: raw = 100 - value * 200
        case .ticketSatisfaction: raw = (value - 1) * 25
        }
        return min(100, max(0, raw))
    }
}

/// A scorecard row's measures, score and weights.
public struct ScoredRow: Sendable {
    public var id: String
    /// Each measure's value (nil: no data) in the kind's order.
    public var values: [(ScorecardMeasure, Decimal?)]
    /// The weighted mean of the measures' scores, 0–100; nil when no weighted measure has data.
    public var score: Decimal?

    public init(id: String, values: [(ScorecardMeasure, Decimal?)], weights: [ScorecardMeasure: Int]) {
        self.id = id
        self.values = values
        var (sum, weight) = (Decimal(0), 0)
        for (measure, value) in values {
            guard let value, let w = weights[measure], w > 0 else { continue }
            sum += measure.score(value) * Decimal(w)
            weight += w
        }
        score = weight == 0 ? nil : sum / Decimal(weight)
    }
}

extension ScorecardKind {
    /// The default weights, with `overrides` (`measure:weight`, comma-separated) applied; nil and
    /// the offending piece when an override names a measure this kind does not have or a weight
    /// that is not a whole number from 0 to 100.
    public func weights(overriding overrides: String?) -> Result<[ScorecardMeasure: Int], WeightsProblem> {
        var weights = Dictionary(uniqueKeysWithValues: measures.map { ($0.0, $0.weight) })
        guard let overrides, !overrides.isEmpty else { return .success(weights) }
        for piece in overrides.split(separator: ",") {
            let parts = piece.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let measure = ScorecardMeasure(rawValue: String(parts[0])), weights[measure] != nil else {
                return .failure(WeightsProblem(piece: String(piece), allowed: measures.map(\.0.rawValue)))
            }
            guard let weight = Int(parts[1]), (0...100).contains(weight) else {
                return .failure(WeightsProblem(piece: String(piece), allowed: measures.map(\.0.rawValue)))
            }
            weights[measure] = weight
        }
        return .success(weights)
    }
}

/// A weight override a scorecard cannot use.
public struct WeightsProblem: Error, Sendable, CustomStringConvertible {
    public var piece: String
    public var allowed: [String]
    public var description: String { "\"\(piece)\" is not measure:weight (0–100) with a measure of \(allowed.joined(separator: ", "))" }
}

/// A scope's tickets (R6) in a period, as the branch scorecard reads them.
public struct ServiceFigures: Sendable, Equatable {
    public var opened: Int
    public var meanFirstResponseHours: Double?
    public var overdue: Int
    public var meanRating: Double?

    public init(opened: Int, meanFirstResponseHours: Double?, overdue: Int, meanRating: Double?) {
        (self.opened, self.meanFirstResponseHours, self.overdue, self.meanRating) = (opened, meanFirstResponseHours, overdue, meanRating)
    }
}
