public import Foundation

/// The ratios read from summed measures (README, "The figures"), each nil when its denominator is
/// zero — a dealer without a contract has no fulfilment rate, not 0 %.
public enum FigureRatios {
    /// Taken ÷ contracted, over the product lines that have a contract in the period (a line bought
    /// without a contract does not lift the rate): litres where the contracts are in litres,
    /// kilograms where they are only in kilograms. `byLine` excludes the all-lines row.
    public static func fulfilment(byLine: [String: AnalyticsMeasures]) -> Decimal? {
        var (taken, contracted) = (Decimal(0), Decimal(0))
        for measures in byLine.values {
            if measures.contractedMl > 0 {
                taken += Decimal(measures.takenMl)
                contracted += Decimal(measures.contractedMl)
            } else if measures.contractedG > 0 {
                taken += Decimal(measures.takenG)
                contracted += Decimal(measures.contractedG)
            }
        }
        return ratio(taken, contracted)
    }

    /// Orders accepted and not cancelled ÷ orders submitted (有效订单提报率).
    public static func validOrderRate(_ m: AnalyticsMeasures) -> Decimal? { ratio(Decimal(m.ordersValid), Decimal(m.ordersSubmitted)) }

    /// Revenue of the lines with a cost, less their cost, in fen.
    public static func grossMarginFen(_ m: AnalyticsMeasures) -> Int64 { m.revenueFen - m.uncostedRevenueFen - m.costFen }

    /// Gross margin less the market-development and promotion funds used in the same months, in fen.
    public static func contributionFen(_ m: AnalyticsMeasures) -> Int64 { grossMarginFen(m) - m.fundUsedFen }

    /// A scope's gross margin ÷ the company's in the same months (nil when the company made none).
    public static func shareOfMargin(_ m: AnalyticsMeasures, company: AnalyticsMeasures) -> Decimal? {
        ratio(Decimal(grossMarginFen(m)), Decimal(grossMarginFen(company)))
    }

    /// Gross margin ÷ the revenue it is taken from (the costed lines').
    public static func grossMarginRate(_ m: AnalyticsMeasures) -> Decimal? {
        ratio(Decimal(grossMarginFen(m)), Decimal(m.revenueFen - m.uncostedRevenueFen))
    }

    /// (this − last) ÷ last: taken litres against the same months a year before.
    public static func growth(_ now: AnalyticsMeasures, lastYear: AnalyticsMeasures) -> Decimal? {
        ratio(Decimal(now.takenMl - lastYear.takenMl), Decimal(lastYear.takenMl))
    }

    /// Mean of the dealers' marks (1–5).
    public static func meanQuality(_ m: AnalyticsMeasures) -> Decimal? { ratio(Decimal(m.qualitySum), Decimal(m.ratedOrders)) }
    public static func meanDispatchSpeed(_ m: AnalyticsMeasures) -> Decimal? { ratio(Decimal(m.dispatchSpeedSum), Decimal(m.ratedOrders)) }
    public static func meanService(_ m: AnalyticsMeasures) -> Decimal? { ratio(Decimal(m.serviceSum), Decimal(m.ratedOrders)) }
    public static func meanReceiptSpeed(_ m: AnalyticsMeasures) -> Decimal? { ratio(Decimal(m.receiptSum), Decimal(m.receiptScored)) }

    public static func onTimeDispatchRate(_ m: AnalyticsMeasures) -> Decimal? { ratio(Decimal(m.dispatchedOnTime), Decimal(m.dispatchPromised)) }
    /// Mean hours from the ERP's confirmation to the goods leaving.
    public static func confirmToDispatchHours(_ m: AnalyticsMeasures) -> Decimal? {
        ratio(Decimal(m.confirmDispatchMinutes), Decimal(m.confirmDispatchCount) * 60)
    }
    public static func onTimeDeliveryRate(_ m: AnalyticsMeasures) -> Decimal? { ratio(Decimal(m.deliveredOnTime), Decimal(m.deliveryPromised)) }
    /// Mean minutes between a carrier's first estimate and the arrival.
    public static func etaErrorMinutes(_ m: AnalyticsMeasures) -> Decimal? { ratio(Decimal(m.etaErrorMinutes), Decimal(m.etaCompared)) }
    /// Arrived no later than 30 minutes after the carrier's first estimate ÷ shipments with one.
    public static func etaKeptRate(_ m: AnalyticsMeasures) -> Decimal? { ratio(Decimal(m.etaKept), Decimal(m.etaCompared)) }

    /// Minutes in transit with a fix at least every minute ÷ minutes in transit.
    public static func gpsCoverage(_ m: AnalyticsMeasures) -> Decimal? { ratio(Decimal(m.gpsCoveredMinutes), Decimal(m.transitMinutes)) }

    /// Shipments with an exception ÷ shipments delivered.
    public static func exceptionRate(_ m: AnalyticsMeasures) -> Decimal? { ratio(Decimal(m.shipmentExceptions), Decimal(m.shipmentsDelivered)) }

    static func ratio(_ numerator: Decimal, _ denominator: Decimal) -> Decimal? {
        denominator == 0 ? nil : numerator / denominator
    }

    /// `value` rounded half away from zero to `places`, as a plain decimal string.
    public static func text(_ value: Decimal, places: Int) -> String {
        MinorUnits.text(MinorUnits.whole(value, scale: places), scale: places)
    }
}
