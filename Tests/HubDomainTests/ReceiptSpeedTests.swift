import Foundation
import HubDomain
import Testing

/// The receipt's speed, the rating's fourth dimension: scored from the last arrival to the receipt.
@Suite("the speed of receipt (R8)")
struct ReceiptSpeedTests {
    let arrived = Date(timeIntervalSince1970: 1_800_000_000)

    func score(afterHours hours: Double, arrivals: [Date]? = nil) -> ReceiptSpeed.Scored? {
        ReceiptSpeed.score(arrivals: arrivals ?? [arrived], receivedAt: arrived.addingTimeInterval(hours * 3_600))
    }

    @Test("each band's edge belongs to the better score; later than a week is 1")
    func bands() {
        #expect(score(afterHours: 0)?.score == 5)
        #expect(score(afterHours: 24)?.score == 5 && score(afterHours: 24.1)?.score == 4)
        #expect(score(afterHours: 48)?.score == 4 && score(afterHours: 48.1)?.score == 3)
        #expect(score(afterHours: 72)?.score == 3 && score(afterHours: 72.1)?.score == 2)
        #expect(score(afterHours: 168)?.score == 2 && score(afterHours: 168.1)?.score == 1)
        #expect(score(afterHours: 1_000)?.score == 1)
    }

    @Test("hours to one decimal; a receipt before the carrier's report is at once; the last of several arrivals counts; none: not scored")
    func edges() {
        #expect(score(afterHours: 5.26)?.hours == Decimal(string: "5.3"))
        #expect(score(afterHours: 24.04) == ReceiptSpeed.Scored(score: 5, hours: 24), "24.04 h reads as 24.0 h")
        #expect(score(afterHours: -3) == ReceiptSpeed.Scored(score: 5, hours: 0))
        let first = arrived.addingTimeInterval(-100 * 3_600)
        #expect(score(afterHours: 10, arrivals: [first, arrived])?.score == 5, "goods are received once all of them came")
        #expect(score(afterHours: 10, arrivals: []) == nil)
    }
}
