import HubAPI
import HubStore
import StoreTestSupport
import Testing

/// The watch a submit waits on for its decision, on the real databases: a waiter for one order is
/// woken by that order's outbox row only, so many orders waiting do not each read their order
/// again for every other order's change.
@Suite("outbox watch: who is woken by a new row")
struct OutboxWatchTests {
    static func row(_ orderId: String, version: Int) -> OutboxRow {
        OutboxRow(topic: "hub.orders.updates", key: orderId, eventId: "\(orderId).v\(version)", value: Array("{}".utf8))
    }

    /// Until `condition` holds (or 10 s pass: then the test fails on what it checks next).
    static func until(_ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !(await condition()), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
    }

    /// Starts the watch's poller and keeps it going (it stops when nobody waits), returning once
    /// its first poll is done: a keyed waiter from before the first poll is woken by any new row,
    /// as it cannot tell which rows it missed. Cancel the task at the end.
    static func polling(_ watch: OutboxWatch, after start: Int64) async -> Task<Int64, Never> {
        let keepAlive = Task { await watch.wait(after: start, key: "keep-alive", timeout: .seconds(60)) }
        // A wait that is over at once ends at the next poll.
        _ = await watch.wait(after: start, key: "probe", timeout: .zero)
        return keepAlive
    }

    @Test("an order's row wakes the waiters for that order and those for any row; another order's waiter stays waiting",
          arguments: StoreKind.allCases)
    func keyedWaiters(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let outbox = Outbox(sharing: try CoreStore(database.location))
        try await outbox.append([Self.row("O-0", version: 1)])
        let watch = OutboxWatch(database: try APIDatabase(database.location, connections: 1), interval: .milliseconds(5))
        let start = try await watch.current()

        let keepAlive = await Self.polling(watch, after: start)
        async let forOrder = watch.wait(after: start, key: "O-1", timeout: .seconds(60))
        async let forAny = watch.wait(after: start, timeout: .seconds(60))
        let forOther = Task { await watch.wait(after: start, key: "O-2", timeout: .seconds(60)) }
        try await Self.until { await watch.waiting == 4 }
        #expect(await watch.waiting == 4)

        try await outbox.append([Self.row("O-1", version: 1), Self.row("O-3", version: 1)])
        let woken = await (forOrder, forAny)
        #expect(woken.0 == start + 2 && woken.1 >= start + 1)
        // The poll that woke them looked at every waiter: the one for O-2 was passed over.
        #expect(await watch.waiting == 2, "the waiter for O-2 (and the one keeping the poller going) still wait")

        forOther.cancel()
        #expect(await forOther.value == start + 2, "a cancelled wait returns the newest sequence")
        keepAlive.cancel()
        _ = await keepAlive.value
        #expect(await watch.waiting == 0)
    }

    @Test("a waiter whose rows were already looked at returns at once, to read again; after it, it waits for its own row",
          arguments: StoreKind.allCases)
    func rowsAlreadyScanned(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let outbox = Outbox(sharing: try CoreStore(database.location))
        let watch = OutboxWatch(database: try APIDatabase(database.location, connections: 1), interval: .milliseconds(5))
        let start = try await watch.current()
        // Let the poller look at a row of O-1.
        let keepAlive = await Self.polling(watch, after: start)
        try await outbox.append([Self.row("O-1", version: 1)])
        try await Self.until { await watch.wait(after: start, key: "probe", timeout: .zero) > start }

        let clock = ContinuousClock()
        let began = clock.now
        let seen = await watch.wait(after: start, key: "O-1", timeout: .seconds(30))
        #expect(seen == start + 1 && clock.now - began < .seconds(15), "returned at once, not at its 30 s deadline, with the newest sequence")

        async let next = watch.wait(after: seen, key: "O-1", timeout: .seconds(30))
        try await Self.until { await watch.waiting == 2 }
        try await outbox.append([Self.row("O-1", version: 2)])
        #expect(await next == start + 2)
        keepAlive.cancel()
        _ = await keepAlive.value
    }

    @Test("with the core's commit signal (core and API in one process), a waiter is woken when the core commits, not at the next poll",
          arguments: StoreKind.allCases)
    func wokenByCommit(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let commits = CommitSignal()
        let store = try CoreStore(database.location, commits: commits)
        // Ten minutes between polls: only the signal can wake the waiter within the test's bound (generous: beside the
        // whole suite, the cooperative threads may be busy for many seconds).
        let watch = OutboxWatch(database: try APIDatabase(database.location, connections: 1), interval: .seconds(600), commits: commits)
        let start = try await watch.current()
        let keepAlive = Task { await watch.wait(after: start, key: "keep-alive", timeout: .seconds(1200)) }
        // Returns once the poller's first poll is done (that poll wakes every keyed waiter from before it).
        _ = await watch.wait(after: start - 1, key: "first-poll", timeout: .seconds(1200))

        let clock = ContinuousClock()
        let began = clock.now
        async let woken = watch.wait(after: start, key: "O-1", timeout: .seconds(1200))
        try await Self.until { await watch.waiting == 2 }
        let source = EventSource(group: "g", topic: "t", partition: 0, offset: 0)
        _ = try await store.apply(eventId: "e-1", source: source) { tables throws(StoreError) in
            try tables.outbox.append([Self.row("O-1", version: 1)])
            return .applied
        }
        #expect(await woken == start + 1)
        #expect(clock.now - began < .seconds(300), "woken by the commit, not by the poll ten minutes later")
        keepAlive.cancel()
        _ = await keepAlive.value
    }
}
