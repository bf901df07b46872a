import HubContracts
import HubStore
import StoreTestSupport
import Testing

/// The in-process signal the outbox's readers wait on: a commit ends their wait at once, and a
/// wait without one still ends at its timeout.
@Suite("commit signal: waiting for the next commit in this process")
struct CommitSignalTests {
    static let clock = ContinuousClock()

    @Test("a commit ends a wait long before its timeout; a wait begun after it ends at its timeout")
    func notifyWakesWaiter() async throws {
        let signal = CommitSignal()
        let seen = signal.generation
        let began = Self.clock.now
        // Generous bounds: beside the whole suite, two cooperative threads may be busy for many seconds.
        async let waited: Void = signal.wait(since: seen, timeout: .seconds(600))
        let deadline = Self.clock.now + .seconds(120)
        while signal.waiting == 0, Self.clock.now < deadline { try await Task.sleep(for: .milliseconds(2)) }
        #expect(signal.waiting == 1)
        signal.notify()
        await waited
        #expect(Self.clock.now - began < .seconds(300), "woken by the commit, not the 600 s timeout")
        #expect(signal.generation == seen + 1 && signal.waiting == 0)

        let quiet = Self.clock.now
        await signal.wait(since: signal.generation, timeout: .milliseconds(50))
        #expect(Self.clock.now - quiet >= .milliseconds(50), "nothing committed: the wait runs to its timeout")
    }

    @Test("a commit between reading the generation and waiting is not missed")
    func commitBeforeWait() async {
        let signal = CommitSignal()
        let seen = signal.generation
        signal.notify()
        let began = Self.clock.now
        await signal.wait(since: seen, timeout: .seconds(600))
        #expect(Self.clock.now - began < .seconds(300))
    }

    @Test("cancelling the waiting task ends the wait")
    func cancellation() async {
        let signal = CommitSignal()
        let began = Self.clock.now
        let waiter = Task { await signal.wait(since: signal.generation, timeout: .seconds(600)) }
        waiter.cancel()
        await waiter.value
        #expect(Self.clock.now - began < .seconds(300))
    }

    @Test("the core store tells its signal after each committed batch, not after one rolled back", arguments: StoreKind.allCases)
    func coreStoreSignals(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let signal = CommitSignal()
        let store = try CoreStore(database.location, commits: signal)
        let source = EventSource(group: "g", topic: "t", partition: 0, offset: 0)
        _ = try await store.apply(eventId: "e-1", source: source) { _ throws(StoreError) in .applied }
        #expect(signal.generation == 1)
        await #expect(throws: StoreError.self) {
            try await store.transaction { _ throws(StoreError) in throw StoreError(.statement, "the rule failed") }
        }
        #expect(signal.generation == 1, "a batch that threw committed nothing and tells nobody")
    }
}
