import Foundation
import HubAPI
import HubContracts
import Testing

@Suite("times a client states but does not choose")
struct ClientTimeTests {
    let now = Timestamp(Date(timeIntervalSince1970: 1_796_000_000))

    @Test("no stated time: the server's; within the window: as stated; beyond it: the window's edge")
    func recorded() {
        #expect(ClientTime.recorded(nil, now: now) == now)
        let fiveMinutesAgo = Timestamp(now.date.addingTimeInterval(-300))
        #expect(ClientTime.recorded(fiveMinutesAgo, now: now) == fiveMinutesAgo)
        let backDated = Timestamp(Date(timeIntervalSince1970: 1_577_836_800))  // 2020-01-01
        #expect(ClientTime.recorded(backDated, now: now) == Timestamp(now.date.addingTimeInterval(-ClientTime.earliest)))
        let future = Timestamp(now.date.addingTimeInterval(86_400 * 365))
        #expect(ClientTime.recorded(future, now: now) == Timestamp(now.date.addingTimeInterval(ClientTime.latest)))
    }
}
