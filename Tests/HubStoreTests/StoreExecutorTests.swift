import Foundation
@_spi(SQL) @testable import HubStore
import StoreTestSupport
import Synchronization
import Testing

/// A store connection's work runs on its own queue, one job at a time, whoever asks: a task on
/// Swift's pool, a task that prefers the connection's queue (the interactive ingest, the relay, a
/// pinned request), or an actor.
@Suite("store connection: its work on its own queue, one job at a time")
struct StoreExecutorTests {
    /// How many works are inside the connection at once, and the most seen.
    final class Inside: Sendable {
        let now = Atomic(0)
        let most = Atomic(0)
        let done = Atomic(0)

        func enter() {
            let count = now.add(1, ordering: .sequentiallyConsistent).newValue
            var seen = most.load(ordering: .sequentiallyConsistent)
            while count > seen {
                let (exchanged, original) = most.compareExchange(expected: seen, desired: count, ordering: .sequentiallyConsistent)
                if exchanged { break }
                seen = original
            }
        }

        func leave() {
            now.subtract(1, ordering: .sequentiallyConsistent)
            done.add(1, ordering: .sequentiallyConsistent)
        }
    }

    /// How many times a task found itself on the connection's queue.
    final class Count: Sendable {
        let value = Atomic(0)
    }

    /// A caller isolated to an actor: a closure formed here must still run on the connection's queue.
    actor Caller {
        func ask(_ connection: StoreConnection, _ work: @escaping @Sendable (any SQLDatabase) throws(StoreError) -> Bool) async throws -> Bool {
            try await connection.run(work)
        }
    }

    @Test("work from the pool, from the connection's queue and from an actor never overlaps and always runs on the queue",
          arguments: StoreKind.allCases)
    func oneJobAtATime(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let connection = try StoreConnection(database.location, label: "executor-test")
        let inside = Inside()
        let work: @Sendable (any SQLDatabase) throws(StoreError) -> Bool = { db throws(StoreError) in
            inside.enter()
            defer { inside.leave() }
            // A few round trips, so that overlapping works would meet.
            for _ in 0..<3 { _ = try db.query("SELECT 1") }
            return connection.executor.isCurrent
        }
        let caller = Caller()
        let onQueue = Count()
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<60 {
                switch index % 3 {
                case 0:
                    group.addTask { try await connection.run(work) }
                case 1:
                    group.addTask(executorPreference: connection.executor) {
                        var all = true
                        for _ in 0..<3 {
                            // The caller's own code runs on the queue between its calls.
                            if connection.executor.isCurrent { onQueue.value.add(1, ordering: .relaxed) }
                            all = try await connection.run(work) && all
                        }
                        return all
                    }
                default:
                    group.addTask { try await caller.ask(connection, work) }
                }
            }
            for try await ranOnQueue in group { #expect(ranOnQueue, "the work ran on the connection's queue") }
        }
        #expect(inside.done.load(ordering: .sequentiallyConsistent) == 20 + 20 * 3 + 20)
        #expect(inside.most.load(ordering: .sequentiallyConsistent) == 1, "no two works used the connection at once")
        #expect(onQueue.value.load(ordering: .relaxed) == 20 * 3, "a task preferring the connection's executor runs on its queue")
        #expect(!connection.othersWaiting)
    }

    @Test("a pinned request's reads go to one connection, from its queue; reads outside go round the connections")
    func pinnedReads() async throws {
        let database = try TestDatabase(.sqlite)
        let pool = try ReadConnections(database.location, count: 3, label: "pinned-test")
        let connections = pool.connections
        let which: @Sendable (StoreReader) throws(StoreError) -> Int? = { _ in connections.firstIndex { $0.executor.isCurrent } }

        var roundAbout: [Int?] = []
        for _ in 0..<6 { roundAbout.append(try await pool.read(which)) }
        #expect(Set(roundAbout.compactMap { $0 }) == [0, 1, 2] && !roundAbout.contains(nil), "unpinned reads go round all three")

        let (pinned, callerOn) = try await pool.pinned { () async throws -> ([Int?], [Int?]) in
            var reads: [Int?] = []
            var caller: [Int?] = []
            for _ in 0..<6 {
                caller.append(connections.firstIndex { $0.executor.isCurrent })
                reads.append(try await pool.read(which))
            }
            return (reads, caller)
        }
        #expect(Set(pinned).count == 1 && pinned.first != nil, "every pinned read on one connection: \(pinned)")
        #expect(callerOn == pinned, "the pinned caller's code runs on its connection's queue")
        #expect(try await pool.read(which) != nil)
    }
}
