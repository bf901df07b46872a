public import Foundation

/// The fourth dimension of an order's rating (R8), beside the dealer's three (product quality,
/// dispatch speed, service quality): how soon the dealer confirmed receipt after the goods arrived.
/// It is scored by the hub, not rated by anyone, so no branch has to judge its own dealers:
///
/// | confirmed within (hours after arrival) | score |
/// |---|---|
/// | 24 | 5 |
/// | 48 | 4 |
/// | 72 | 3 |
/// | 168 (a week) | 2 |
/// | later | 1 |
///
/// Arrival is the last of the order's shipments to arrive (its arrival, else its delivery, as the
/// carrier reported them): an order is received once, after all of it came. A receipt confirmed
/// before the carrier's report counts as at once (0 hours). Not scored when the hub never learnt
/// when the goods arrived (no shipment, or none reported arrived or delivered).
public enum ReceiptSpeed {
    public struct Scored: Sendable, Equatable {
        /// 1 to 5.
        public var score: Int
        /// Hours from arrival to receipt, to one decimal.
        public var hours: Decimal

        public init(score: Int, hours: Decimal) {
            (self.score, self.hours) = (score, hours)
        }
    }

    /// The upper bound (hours, inclusive) of each score but the lowest.
    public static let bands: [(hours: Decimal, score: Int)] = [(24, 5), (48, 4), (72, 3), (168, 2)]

    /// The score of a receipt at `receivedAt` for goods that arrived at the last of `arrivals`; nil without an arrival.
    public static func score(arrivals: [Date], receivedAt: Date) -> Scored? {
        guard let arrived = arrivals.max() else { return nil }
        let seconds = max(0, receivedAt.timeIntervalSince(arrived))
        var hours = Decimal(seconds) / 3_600
        var rounded = Decimal()
        NSDecimalRound(&rounded, &hours, 1, .plain)
        let score = bands.first { rounded <= $0.hours }?.score ?? 1
        return Scored(score: score, hours: rounded)
    }
}
