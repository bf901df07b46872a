import Foundation
import HubContracts
import HubDomain
import Testing

@Suite("ETA estimates")
struct EtaEstimatorTests {
    @Test("distance, cruising speed and the late rule")
    func estimator() {
        let shanghai = GeoPosition(lat: 31.2304, lon: 121.4737)
        let beijing = GeoPosition(lat: 39.9042, lon: 116.4074)
        let km = EtaEstimator.distanceKm(from: shanghai, to: beijing)
        #expect(abs(km - 1067) < 5, "\(km)")
        #expect(EtaEstimator.cruisingSpeed(recentSpeedsKmh: [0, 0, 60, 80, 2]) == 70, "standing fixes do not drag the average down")
        #expect(EtaEstimator.cruisingSpeed(recentSpeedsKmh: [0, 1]) == EtaEstimator.fallbackSpeedKmh)
        let start = Date(timeIntervalSince1970: 1_795_910_400)
        let eta = EtaEstimator.estimate(position: shanghai, positionAt: start, destination: beijing, recentSpeedsKmh: [65])
        #expect(abs(eta.timeIntervalSince(start) / 3600 - km * 1.3 / 65) < 0.001)
        let promised = CalendarDate("2026-12-03")!
        #expect(EtaEstimator.isLate(eta: Timestamp(parsing: "2026-12-03T15:59:59Z"), promisedDate: promised, status: .dispatched) == false)
        #expect(EtaEstimator.isLate(eta: Timestamp(parsing: "2026-12-03T16:00:01Z"), promisedDate: promised, status: .dispatched) == true)
        #expect(EtaEstimator.isLate(eta: Timestamp(parsing: "2026-12-09T00:00:00Z"), promisedDate: promised, status: .delivered) == false)
    }
}
