public import Foundation

/// What the hub counts for a scope in a month (R4, R8), as whole numbers in explicit small units —
/// millilitres, grams, fen (分, a hundredth of a yuan), minutes — so sums are exact in SQL and in
/// Swift alike and a figure kept incrementally equals the same figure recomputed. Ratios (fulfilment,
/// valid-order rate, margins, mean ratings) are derived from these sums when read, never stored.
public struct AnalyticsMeasures: Sendable, Hashable {
    /// Contracted volume, the contracts' share of the month.
    public var contractedMl: Int64 = 0
    public var contractedG: Int64 = 0
    /// Orders by the month they were placed.
    public var ordersSubmitted: Int64 = 0
    /// Accepted by the core and not cancelled.
    public var ordersValid: Int64 = 0
    public var ordersRejected: Int64 = 0
    public var ordersCancelled: Int64 = 0
    /// Dispatched (or further).
    public var ordersExecuted: Int64 = 0
    /// Taken volume and money, by the month the goods left.
    public var takenMl: Int64 = 0
    public var takenG: Int64 = 0
    public var revenueFen: Int64 = 0
    public var costFen: Int64 = 0
    /// Revenue of lines whose material had no cost from the ERP (their margin is not known).
    public var uncostedRevenueFen: Int64 = 0
    /// The dealer's ratings (each 1–5), by the month the order was dispatched.
    public var ratedOrders: Int64 = 0
    public var qualitySum: Int64 = 0
    public var dispatchSpeedSum: Int64 = 0
    public var serviceSum: Int64 = 0
    /// The receipt's speed as the hub scored it (1–5).
    public var receiptScored: Int64 = 0
    public var receiptSum: Int64 = 0
    /// Dispatches against the ERP's promised date.
    public var dispatchPromised: Int64 = 0
    public var dispatchedOnTime: Int64 = 0
    /// The ERP's confirmation to the goods leaving.
    public var confirmDispatchCount: Int64 = 0
    public var confirmDispatchMinutes: Int64 = 0
    /// Shipments delivered, by the month of delivery.
    public var shipmentsDelivered: Int64 = 0
    public var deliveryPromised: Int64 = 0
    public var deliveredOnTime: Int64 = 0
    /// Shipments that reported an exception (a breakdown, an accident, a refused delivery…).
    public var shipmentExceptions: Int64 = 0

    public init() {}

    /// Each measure's column in the store, with where it lives in the value: one list, so the
    /// store's reads and writes cannot drift from the fields.
    public static var fields: [(column: String, path: WritableKeyPath<AnalyticsMeasures, Int64>)] {
        [("contracted_ml", \.contractedMl), ("contracted_g", \.contractedG),
         ("orders_submitted", \.ordersSubmitted), ("orders_valid", \.ordersValid), ("orders_rejected", \.ordersRejected),
         ("orders_cancelled", \.ordersCancelled), ("orders_executed", \.ordersExecuted),
         ("taken_ml", \.takenMl), ("taken_g", \.takenG), ("revenue_fen", \.revenueFen), ("cost_fen", \.costFen),
         ("uncosted_revenue_fen", \.uncostedRevenueFen),
         ("rated_orders", \.ratedOrders), ("quality_sum", \.qualitySum), ("dispatch_speed_sum", \.dispatchSpeedSum), ("service_sum", \.serviceSum),
         ("receipt_scored", \.receiptScored), ("receipt_sum", \.receiptSum),
         ("dispatch_promised", \.dispatchPromised), ("dispatched_on_time", \.dispatchedOnTime),
         ("confirm_dispatch_count", \.confirmDispatchCount), ("confirm_dispatch_minutes", \.confirmDispatchMinutes),
         ("shipments_delivered", \.shipmentsDelivered), ("delivery_promised", \.deliveryPromised), ("delivered_on_time", \.deliveredOnTime),
         ("shipment_exceptions", \.shipmentExceptions)]
    }

    public var isZero: Bool { Self.fields.allSatisfy { self[keyPath: $0.path] == 0 } }

    public static func + (lhs: AnalyticsMeasures, rhs: AnalyticsMeasures) -> AnalyticsMeasures {
        var sum = lhs
        for field in fields { sum[keyPath: field.path] += rhs[keyPath: field.path] }
        return sum
    }

    public static prefix func - (measures: AnalyticsMeasures) -> AnalyticsMeasures {
        var negated = measures
        for field in fields { negated[keyPath: field.path] = -measures[keyPath: field.path] }
        return negated
    }

    public static func += (lhs: inout AnalyticsMeasures, rhs: AnalyticsMeasures) { lhs = lhs + rhs }
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
