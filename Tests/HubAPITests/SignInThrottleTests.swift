import HubAPI
import HubStore
import Testing

/// The throttle's decision alone, at fixed times.
@Suite("sign-in throttle")
struct SignInThrottleTests {
    let throttle = SignInThrottle()
    static let second: Int64 = 1_000

    func failures(_ count: Int, lastAt: Int64 = 0) -> SignInFailures { SignInFailures(count: count, lastAtMilliseconds: lastAt) }

    @Test("the free attempts cost nothing; then 1, 2, 4 … s, at most 60; counted from the last failure")
    func backoff() {
        #expect(throttle.decide(login: failures(4), address: nil, now: 0) == .allowed)
        #expect(throttle.decide(login: failures(5), address: nil, now: 0) == .wait(seconds: 1))
        #expect(throttle.decide(login: failures(5), address: nil, now: Self.second) == .allowed)
        #expect(throttle.decide(login: failures(6), address: nil, now: 0) == .wait(seconds: 2))
        #expect(throttle.decide(login: failures(8), address: nil, now: Self.second) == .wait(seconds: 7))
        #expect(throttle.decide(login: failures(9), address: nil, now: 0) == .wait(seconds: 16))
    }

    @Test("10 failures lock the login for 15 minutes from the last; older failures are forgotten")
    func lock() {
        #expect(throttle.decide(login: failures(10), address: nil, now: 0) == .wait(seconds: 900))
        #expect(throttle.decide(login: failures(10), address: nil, now: 899 * Self.second) == .wait(seconds: 1))
        #expect(throttle.decide(login: failures(10), address: nil, now: 900 * Self.second) == .allowed)
        #expect(throttle.decide(login: failures(50), address: nil, now: 3_600 * Self.second) == .allowed)
    }

    @Test("an address has its own, larger limits; the longer wait of the two wins")
    func address() {
        #expect(throttle.decide(login: nil, address: failures(30), now: 0) == .allowed)
        #expect(throttle.decide(login: nil, address: failures(31), now: 0) == .wait(seconds: 1))
        #expect(throttle.decide(login: failures(5), address: failures(100), now: 0) == .wait(seconds: 900))
    }
}
