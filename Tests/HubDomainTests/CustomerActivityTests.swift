import Foundation
import HubDomain
import Testing

/// Active, dormant, lost or no orders yet, from the days since the last order.
@Suite("customer activity (R4)")
struct CustomerActivityTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func state(daysAgo days: Double) -> (CustomerActivity, Int?) {
        let found = CustomerActivity.of(lastOrderAt: now.addingTimeInterval(-days * 86_400), now: now)
        return (found.state, found.days)
    }

    @Test("60 days is still active, 61 dormant; 180 still dormant, 181 lost; whole days; never ordered is its own state")
    func bands() {
        #expect(state(daysAgo: 0) == (.active, 0))
        #expect(state(daysAgo: 60.9) == (.active, 60), "a part day does not count")
        #expect(state(daysAgo: 61) == (.dormant, 61))
        #expect(state(daysAgo: 180) == (.dormant, 180))
        #expect(state(daysAgo: 181) == (.lost, 181))
        #expect(state(daysAgo: -2) == (.active, 0), "an order stamped a little ahead of the clock")
        let never = CustomerActivity.of(lastOrderAt: nil, now: now)
        #expect(never.state == .noOrders && never.days == nil)
    }
}
