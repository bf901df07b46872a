public import Foundation

/// What the hub counts for a scope in a month (R4, R8), as whole numbers in explicit small units —
/// millilitres, grams, fen (分, a hundredth of a yuan), minutes — so sums are exact in SQL and in
/// Swift alike and a figure kept incrementally equals the same figure recomputed. Ratios (fulfilment,
/// valid-order rate, margins, mean ratings) are derived from these sums when read, never stored.
/// The measures sit side by side in one vector: the core adds and compares them for every event,
/// so adding two is one vector addition, not 35 property reads.
public struct AnalyticsMeasures: Sendable, Hashable {
    /// The measures, in the order of ``columns`` (the rest of the lanes stay zero).
    private var values = SIMD64<Int64>()

    /// Contracted volume, the contracts' share of the month.
    public var contractedMl: Int64 { get { values[0] } set { values[0] = newValue } }
    public var contractedG: Int64 { get { values[1] } set { values[1] = newValue } }
    /// Orders by the month they were placed.
    public var ordersSubmitted: Int64 { get { values[2] } set { values[2] = newValue } }
    /// Accepted by the core and not cancelled.
    public var ordersValid: Int64 { get { values[3] } set { values[3] = newValue } }
    public var ordersRejected: Int64 { get { values[4] } set { values[4] = newValue } }
    public var ordersCancelled: Int64 { get { values[5] } set { values[5] = newValue } }
    /// Dispatched (or further).
    public var ordersExecuted: Int64 { get { values[6] } set { values[6] = newValue } }
    /// Taken volume and money, by the month the goods left.
    public var takenMl: Int64 { get { values[7] } set { values[7] = newValue } }
    public var takenG: Int64 { get { values[8] } set { values[8] = newValue } }
    public var revenueFen: Int64 { get { values[9] } set { values[9] = newValue } }
    public var costFen: Int64 { get { values[10] } set { values[10] = newValue } }
    /// Revenue of lines whose material had no cost from the ERP (their margin is not known).
    public var uncostedRevenueFen: Int64 { get { values[11] } set { values[11] = newValue } }
    /// The dealer's ratings (each 1–5), by the month the order was dispatched.
    public var ratedOrders: Int64 { get { values[12] } set { values[12] = newValue } }
    public var qualitySum: Int64 { get { values[13] } set { values[13] = newValue } }
    public var dispatchSpeedSum: Int64 { get { values[14] } set { values[14] = newValue } }
    public var serviceSum: Int64 { get { values[15] } set { values[15] = newValue } }
    /// The receipt's speed as the hub scored it (1–5).
    public var receiptScored: Int64 { get { values[16] } set { values[16] = newValue } }
    public var receiptSum: Int64 { get { values[17] } set { values[17] = newValue } }
    /// Dispatches against the ERP's promised date.
    public var dispatchPromised: Int64 { get { values[18] } set { values[18] = newValue } }
    public var dispatchedOnTime: Int64 { get { values[19] } set { values[19] = newValue } }
    /// The ERP's confirmation to the goods leaving.
    public var confirmDispatchCount: Int64 { get { values[20] } set { values[20] = newValue } }
    public var confirmDispatchMinutes: Int64 { get { values[21] } set { values[21] = newValue } }
    /// Shipments delivered, by the month of delivery.
    public var shipmentsDelivered: Int64 { get { values[22] } set { values[22] = newValue } }
    public var deliveryPromised: Int64 { get { values[23] } set { values[23] = newValue } }
    public var deliveredOnTime: Int64 { get { values[24] } set { values[24] = newValue } }
    /// Shipments that reported an exception (a breakdown, an accident, a refused delivery…).
    public var shipmentExceptions: Int64 { get { values[25] } set { values[25] = newValue } }
    /// Market-development and promotion funds: budgets by their share of the month (as contracts),
    /// use by the day it was spent.
    public var fundBudgetFen: Int64 { get { values[26] } set { values[26] = newValue } }
    public var fundUsedFen: Int64 { get { values[27] } set { values[27] = newValue } }
    /// The dealers' own sales to their customers (sell-through, 流向), by the month sold.
    public var soldMl: Int64 { get { values[28] } set { values[28] = newValue } }
    public var soldG: Int64 { get { values[29] } set { values[29] = newValue } }
    /// Shipments whose carrier gave an estimate and that arrived, by the month of delivery: the
    /// minutes between the carrier's first estimate and the arrival, either way, and how many
    /// arrived no later than 30 minutes after it.
    public var etaCompared: Int64 { get { values[30] } set { values[30] = newValue } }
    public var etaErrorMinutes: Int64 { get { values[31] } set { values[31] = newValue } }
    public var etaKept: Int64 { get { values[32] } set { values[32] = newValue } }
    /// Delivered shipments' minutes from leaving to arriving, and of those the minutes their truck
    /// reported its position at least once a minute.
    public var transitMinutes: Int64 { get { values[33] } set { values[33] = newValue } }
    public var gpsCoveredMinutes: Int64 { get { values[34] } set { values[34] = newValue } }
    /// Sessions the dealers' people started (customer activity), by the day in China time.
    public var signIns: Int64 { get { values[35] } set { values[35] = newValue } }

    public init() {}

    /// Each measure's column in the store, by its position: one list, so the store's reads and
    /// writes cannot drift from the fields.
    public static let columns: [String] = ["contracted_ml", "contracted_g", "orders_submitted", "orders_valid", "orders_rejected", "orders_cancelled", "orders_executed", "taken_ml", "taken_g", "revenue_fen", "cost_fen", "uncosted_revenue_fen", "rated_orders", "quality_sum", "dispatch_speed_sum", "service_sum", "receipt_scored", "receipt_sum", "dispatch_promised", "dispatched_on_time", "confirm_dispatch_count", "confirm_dispatch_minutes", "shipments_delivered", "delivery_promised", "delivered_on_time", "shipment_exceptions", "fund_budget_fen", "fund_used_fen", "sold_ml", "sold_g", "eta_compared", "eta_error_minutes", "eta_kept", "transit_minutes", "gps_covered_minutes", "sign_ins"]

    /// The measure at a position of ``columns``.
    public subscript(index: Int) -> Int64 {
        get { values[index] }
        set { values[index] = newValue }
    }

    public var isZero: Bool { values == SIMD64<Int64>() }

    public static func + (lhs: AnalyticsMeasures, rhs: AnalyticsMeasures) -> AnalyticsMeasures {
        var sum = lhs
        sum.values &+= rhs.values
        return sum
    }

    public static prefix func - (measures: AnalyticsMeasures) -> AnalyticsMeasures {
        var negated = AnalyticsMeasures()
        negated.values = SIMD64<Int64>() &- measures.values
        return negated
    }

    public static func += (lhs: inout AnalyticsMeasures, rhs: AnalyticsMeasures) { lhs.values &+= rhs.values }

    /// Every measure times `factor`.
    public static func * (measures: AnalyticsMeasures, factor: Int64) -> AnalyticsMeasures {
        var scaled = measures
        scaled.values &*= SIMD64(repeating: factor)
        return scaled
    }
}

/// Decimal quantities to the measures' small units, rounded half away from zero.
public enum MinorUnits {
    /// `value` × 10^`scale` as a whole number (yuan → fen with scale 2, litres → millilitres with 3).
    public static func whole(_ value: Decimal, scale: Int) -> Int64 {
        var scaled = value * pow(Decimal(10), scale)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        return NSDecimalNumber(decimal: rounded).int64Value
    }

    /// A whole number of small units back as a decimal (fen → yuan with scale 2).
    public static func decimal(_ units: Int64, scale: Int) -> Decimal {
        Decimal(units) / pow(Decimal(10), scale)
    }

    /// A whole number of small units as a plain decimal string with exactly `scale` places (`12345`, 2 → `123.45`).
    public static func text(_ units: Int64, scale: Int) -> String {
        let negative = units < 0
        let digits = String(units.magnitude)
        let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
        let cut = padded.index(padded.endIndex, offsetBy: -scale)
        let text = scale == 0 ? padded : padded[..<cut] + "." + padded[cut...]
        return (negative ? "-" : "") + text
    }
}
