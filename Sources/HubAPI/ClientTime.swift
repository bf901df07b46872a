public import HubContracts
public import Foundation

/// A time a client may state but not choose: when a dealer received an order, when a tier-1 dealer
/// issued a delivery note. They feed the dealer's ledger and the receipt-speed scores, so a client
/// must not back-date or post-date them. The server's time is what counts; a stated time is kept
/// only within a small window around it (a phone that queued the tap a few minutes while out of
/// signal), and brought to the window's edge beyond it.
public enum ClientTime {
    /// How far before the server's time a stated time may lie.
    public static let earliest: TimeInterval = 15 * 60
    /// How far after it (clocks a little fast).
    public static let latest: TimeInterval = 60

    /// The time recorded for `stated` at the server's `now`.
    public static func recorded(_ stated: Timestamp?, now: Timestamp) -> Timestamp {
        guard let stated else { return now }
        let lower = now.date.addingTimeInterval(-earliest)
        let upper = now.date.addingTimeInterval(latest)
        return Timestamp(min(max(stated.date, lower), upper))
    }
}
