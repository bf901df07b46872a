/// `scorecard.published` on `hub.scorecards` (R8): one row of a scorecard — a dealer's, plant's,
/// branch's, sales rep's or carrier's measures, weighted score and rank over a period — for
/// downstream BI. Keyed `kind:period:id` on a compacted topic: the latest row of each stays.
/// Rates are fractions to four places, marks 1–5 to two, hours to two; money in yuan (CNY) to two,
/// volumes in litres to three. A measure without data (no contract, no rating) is absent.
public struct ScorecardPublished: Sendable, Hashable, Codable {
    /// `dealers`, `plants`, `branches`, `sales-reps` or `carriers`.
    public var kind: String
    /// `YYYY-MM` (a month) or `YYYY` (the year to date), in China Standard Time.
    public var period: String
    public var from: CalendarDate
    public var to: CalendarDate
    public var id: String
    public var name: String?
    public var rank: Int
    /// 0–100, two places; absent when no weighted measure has data.
    public var score: DecimalNumber?
    public var measures: [String: DecimalNumber]
    public var weights: [String: Int]
    public var contractedVolume: DecimalNumber
    public var takenVolume: DecimalNumber
    public var revenue: DecimalNumber
    public var grossMargin: DecimalNumber
    public var ordersSubmitted: Int
    public var ordersValid: Int

    public init(kind: String, period: String, from: CalendarDate, to: CalendarDate, id: String, name: String?, rank: Int, score: DecimalNumber?,
                measures: [String: DecimalNumber], weights: [String: Int], contractedVolume: DecimalNumber, takenVolume: DecimalNumber,
                revenue: DecimalNumber, grossMargin: DecimalNumber, ordersSubmitted: Int, ordersValid: Int) {
        (self.kind, self.period, self.from, self.to, self.id, self.name, self.rank, self.score) = (kind, period, from, to, id, name, rank, score)
        (self.measures, self.weights, self.contractedVolume, self.takenVolume) = (measures, weights, contractedVolume, takenVolume)
        (self.revenue, self.grossMargin, self.ordersSubmitted, self.ordersValid) = (revenue, grossMargin, ordersSubmitted, ordersValid)
    }
}
