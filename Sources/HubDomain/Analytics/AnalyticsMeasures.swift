public import Foundation

/// What the hub counts for a scope in a month (R4, R8), as whole numbers in explicit small units —
/// millilitres, grams, fen (分, a hundredth of a yuan), minutes — so sums are exact in SQL and in
/// Swift alike and a figure kept incrementally equals the same figure recomputed. Ratios (fulfilment,
/// valid-order rate, margins, mean ratings) are derived from these sums when read, never stored.
/// The measures sit side by side in vectors: the core adds and compares them for every event,
/// so adding two is two vector additions, not 36 property reads. Forty lanes (320 bytes) hold the
/// 36 measures: one vector of 64 (512 bytes) was copied and compared whole wherever a change was
/// worked out, spread and encoded, and those copies showed in the profile of the core's ingest.
public struct AnalyticsMeasures: Sendable, Hashable {
    /// The measures, in the order of ``columns``: the first 32 here, the rest in `high` (its
    /// spare lanes stay zero).
    private var low = SIMD32<Int64>()
    private var high = SIMD8<Int64>()

    /// How many measures the vectors can hold.
    public static let capacity = 40

    /// Contracted volume, the contracts' share of the month.
    public var contractedMl: Int64 { get { self[0] } set { self[0] = newValue } }
    public var contractedG: Int64 { get { self[1] } set { self[1] = newValue } }
    /// Orders by the month they were placed.
    public var ordersSubmitted: Int64 { get { self[2] } set { self[2] = newValue } }
    /// Accepted by the core and not cancelled.
    public var ordersValid: Int64 { get { self[3] } set { self[3] = newValue } }
    public var ordersRejected: Int64 { get { self[4] } set { self[4] = newValue } }
    public var ordersCancelled: Int64 { get { self[5] } set { self[5] = newValue } }
    /// Dispatched (or further).
    public var ordersExecuted: Int64 { get { self[6] } set { self[6] = newValue } }
    /// Taken volume and money, by the month the goods left.
    public var takenMl: Int64 { get { self[7] } set { self[7] = newValue } }
    public var takenG: Int64 { get { self[8] } set { self[8] = newValue } }
    public var revenueFen: Int64 { get { self[9] } set { self[9] = newValue } }
    public var costFen: Int64 { get { self[10] } set { self[10] = newValue } }
    /// Revenue of lines whose material had no cost from the ERP (their margin is not known).
    public var uncostedRevenueFen: Int64 { get { self[11] } set { self[11] = newValue } }
    /// The dealer's ratings (each 1–5), by the month the order was dispatched.
    public var ratedOrders: Int64 { get { self[12] } set { self[12] = newValue } }
    public var qualitySum: Int64 { get { self[13] } set { self[13] = newValue } }
    public var dispatchSpeedSum: Int64 { get { self[14] } set { self[14] = newValue } }
    public var serviceSum: Int64 { get { self[15] } set { self[15] = newValue } }
    /// The receipt's speed as the hub scored it (1–5).
    public var receiptScored: Int64 { get { self[16] } set { self[16] = newValue } }
    public var receiptSum: Int64 { get { self[17] } set { self[17] = newValue } }
    /// Dispatches against the ERP's promised date.
    public var dispatchPromised: Int64 { get { self[18] } set { self[18] = newValue } }
    public var dispatchedOnTime: Int64 { get { self[19] } set { self[19] = newValue } }
    /// The ERP's confirmation to the goods leaving.
    public var confirmDispatchCount: Int64 { get { self[20] } set { self[20] = newValue } }
    public var confirmDispatchMinutes: Int64 { get { self[21] } set { self[21] = newValue } }
    /// Shipments delivered, by the month of delivery.
    public var shipmentsDelivered: Int64 { get { self[22] } set { self[22] = newValue } }
    public var deliveryPromised: Int64 { get { self[23] } set { self[23] = newValue } }
    public var deliveredOnTime: Int64 { get { self[24] } set { self[24] = newValue } }
    /// Shipments that reported an exception (a breakdown, an accident, a refused delivery…).
    public var shipmentExceptions: Int64 { get { self[25] } set { self[25] = newValue } }
    /// Market-development and promotion funds: budgets by their share of the month (as contracts),
    /// use by the day it was spent.
    public var fundBudgetFen: Int64 { get { self[26] } set { self[26] = newValue } }
    public var fundUsedFen: Int64 { get { self[27] } set { self[27] = newValue } }
    /// The dealers' own sales to their customers (sell-through, 流向), by the month sold.
    public var soldMl: Int64 { get { self[28] } set { self[28] = newValue } }
    public var soldG: Int64 { get { self[29] } set { self[29] = newValue } }
    /// Shipments whose carrier gave an estimate and that arrived, by the month of delivery: the
    /// minutes between the carrier's first estimate and the arrival, either way, and how many
    /// arrived no later than 30 minutes after it.
    public var etaCompared: Int64 { get { self[30] } set { self[30] = newValue } }
    public var etaErrorMinutes: Int64 { get { self[31] } set { self[31] = newValue } }
    public var etaKept: Int64 { get { self[32] } set { self[32] = newValue } }
    /// Delivered shipments' minutes from leaving to arriving, and of those the minutes their truck
    /// reported its position at least once a minute.
    public var transitMinutes: Int64 { get { self[33] } set { self[33] = newValue } }
    public var gpsCoveredMinutes: Int64 { get { self[34] } set { self[34] = newValue } }
    /// Sessions the dealers' people started (customer activity), by the day in China time.
    public var signIns: Int64 { get { self[35] } set { self[35] = newValue } }

    public init() {}

    /// Each measure's column in the store, by its position: one list, so the store's reads and
    /// writes cannot drift from the fields.
    public static let columns: [String] = ["contracted_ml", "contracted_g", "orders_submitted", "orders_valid", "orders_rejected", "orders_cancelled", "orders_executed", "taken_ml", "taken_g", "revenue_fen", "cost_fen", "uncosted_revenue_fen", "rated_orders", "quality_sum", "dispatch_speed_sum", "service_sum", "receipt_scored", "receipt_sum", "dispatch_promised", "dispatched_on_time", "confirm_dispatch_count", "confirm_dispatch_minutes", "shipments_delivered", "delivery_promised", "delivered_on_time", "shipment_exceptions", "fund_budget_fen", "fund_used_fen", "sold_ml", "sold_g", "eta_compared", "eta_error_minutes", "eta_kept", "transit_minutes", "gps_covered_minutes", "sign_ins"]

    /// The measure at a position of ``columns``.
    public subscript(index: Int) -> Int64 {
        get { index < 32 ? low[index] : high[index - 32] }
        set { if index < 32 { low[index] = newValue } else { high[index - 32] = newValue } }
    }

    public var isZero: Bool { low == SIMD32<Int64>() && high == SIMD8<Int64>() }

    /// One bit per measure that is not zero (bit i: ``columns``[i]).
    public var nonZeroMask: UInt64 {
        var mask: UInt64 = 0
        for index in Self.columns.indices where self[index] != 0 { mask |= 1 << UInt64(index) }
        return mask
    }

    public static func + (lhs: AnalyticsMeasures, rhs: AnalyticsMeasures) -> AnalyticsMeasures {
        var sum = lhs
        sum += rhs
        return sum
    }

    public static prefix func - (measures: AnalyticsMeasures) -> AnalyticsMeasures {
        var negated = AnalyticsMeasures()
        negated.low = SIMD32<Int64>() &- measures.low
        negated.high = SIMD8<Int64>() &- measures.high
        return negated
    }

    public static func += (lhs: inout AnalyticsMeasures, rhs: AnalyticsMeasures) {
        lhs.low &+= rhs.low
        lhs.high &+= rhs.high
    }

    /// Every measure times `factor`.
    public static func * (measures: AnalyticsMeasures, factor: Int64) -> AnalyticsMeasures {
        var scaled = measures
        scaled.low &*= SIMD32(repeating: factor)
        scaled.high &*= SIMD8(repeating: factor)
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
