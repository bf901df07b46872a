public import HubContracts

/// Whether a vehicle's fix may become its current position. A fix that is not plausible — at 0,0
/// (a terminal without a GPS lock reports it), outside the area the company's trucks drive in — is
/// kept in the history (it is what the terminal said) but flagged: the truck's current position
/// stays where the last plausible fix put it. A fix that would need an impossible speed since the
/// current one is flagged by the store, which holds the current fix (``maximumSpeedKmh``).
public struct FixPlausibility: Sendable, Equatable {
    /// Why a fix is not plausible.
    public enum Flag: String, Sendable, Equatable {
        /// At 0,0: no GPS lock.
        case nullIsland = "null-island"
        /// Outside `area`.
        case outsideArea = "outside-area"
    }

    /// The area trucks drive in: mainland China, Hainan and a margin, by default.
    public var latitudes: ClosedRange<Double>
    public var longitudes: ClosedRange<Double>
    /// Faster than this between two fixes is not a truck.
    public var maximumSpeedKmh: Double

    public init(latitudes: ClosedRange<Double> = 15...56, longitudes: ClosedRange<Double> = 70...138, maximumSpeedKmh: Double = 250) {
        self.latitudes = latitudes
        self.longitudes = longitudes
        self.maximumSpeedKmh = maximumSpeedKmh
    }

    /// `nil` when the fix's place is plausible.
    public func flag(_ fix: VehicleFix) -> Flag? {
        if abs(fix.lat) < 0.000_001 && abs(fix.lon) < 0.000_001 { return .nullIsland }
        if !latitudes.contains(fix.lat) || !longitudes.contains(fix.lon) { return .outsideArea }
        return nil
    }
}
