public import HubContracts
public import Foundation

/// Estimated arrival of a truck from its position, its destination and its recent speed; pure.
public enum EtaEstimator {
    /// Roads are longer than the great circle: the straight-line distance times this.
    public static let roadFactor = 1.3
    /// The speed assumed when the recent fixes show none (the truck stands, or has no history yet).
    public static let fallbackSpeedKmh = 50.0
    /// Slower than this counts as standing, not driving, when averaging.
    public static let movingThresholdKmh = 5.0

    /// Great-circle distance in kilometres.
    public static func distanceKm(from a: GeoPosition, to b: GeoPosition) -> Double {
        let radius = 6371.0
        let dLat = (b.lat - a.lat) * .pi / 180
        let dLon = (b.lon - a.lon) * .pi / 180
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(a.lat * .pi / 180) * cos(b.lat * .pi / 180) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * radius * asin(min(1, sqrt(h)))
    }

    /// The average of the recent speeds at which the truck was moving, or the fallback.
    public static func cruisingSpeed(recentSpeedsKmh: [Double]) -> Double {
        let moving = recentSpeedsKmh.filter { $0 >= movingThresholdKmh }
        guard !moving.isEmpty else { return fallbackSpeedKmh }
        return moving.reduce(0, +) / Double(moving.count)
    }

    /// When the truck at `position` (fixed at `positionAt`) reaches `destination`.
    public static func estimate(position: GeoPosition, positionAt: Date, destination: GeoPosition, recentSpeedsKmh: [Double]) -> Date {
        let hours = distanceKm(from: position, to: destination) * roadFactor / cruisingSpeed(recentSpeedsKmh: recentSpeedsKmh)
        return positionAt.addingTimeInterval(hours * 3600)
    }

    /// Late: not yet delivered and the ETA is after the end of the promised day (China Standard Time, UTC+8).
    public static func isLate(eta: Timestamp?, promisedDate: CalendarDate?, status: ShipmentStatus) -> Bool {
        guard let eta, let promisedDate, status != .delivered, status != .arrived, let end = endOfDay(promisedDate) else { return false }
        return eta.date > end
    }

    static func endOfDay(_ date: CalendarDate) -> Date? {
        guard let start = Timestamp(parsing: date.text + "T00:00:00Z") else { return nil }
        return start.date.addingTimeInterval(TimeInterval(86_400 - CivilCalendar.chinaStandardTimeOffset))
    }
}
