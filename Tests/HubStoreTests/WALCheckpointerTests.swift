import Foundation
import HubContracts
import HubStore
import StoreTestSupport
import Testing

@Suite("the SQLite log checkpointed apart from the writers")
struct WALCheckpointerTests {
    /// SQLite's default page size: the log and the database file grow by pages of it.
    static let pageSize = 4096
    /// Pages one `write` adds to the log at least: more than SQLite's default automatic checkpoint (1,000).
    static let pagesWritten = 1_600

    /// Fixes `write` stores.
    static let fixesWritten = 80_000

    /// Writes well over `pagesWritten` pages to the log through the positions' writer: 80
    /// transactions of 1,000 fixes of their own vehicles (each adds a history row and a latest one).
    static func write(_ writer: PositionStore) async throws {
        for batch in 0..<(fixesWritten / 1_000) {
            let fixes = (0..<1_000).map { index in
                IdentifiedFix(eventId: "\(batch)-\(index)", fix: VehicleFix(
                    vehicleId: "V-\(batch)-\(index)", fixAt: Timestamp(Date(timeIntervalSince1970: 1_795_910_400 + Double(batch))),
                    lat: 31 + Double(index) / 10_000, lon: 121, speedKmh: 60, heading: 90, source: .jt808))
            }
            try await writer.apply(fixes, consumed: [], group: "g")
        }
    }

    static func pages(of path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / pageSize
    }

    static func path(_ database: TestDatabase) throws -> String {
        guard case .sqlite(let path) = database.location else { throw StoreError(.open, "not a SQLite test database") }
        return path
    }

    @Test("a writer leaves the log to it past SQLite's 1,000 pages; one pass moves every page into the database file")
    func onePass() async throws {
        let database = try TestDatabase(.sqlite)
        let path = try Self.path(database)
        let writer = try PositionStore(database.location)
        let checkpointer = try WALCheckpointer(location: database.location, writers: [.positions(writer)])
        try await checkpointer.takeOverFromWriters()
        try await Self.write(writer)
        // Had the writer checkpointed at 1,000 pages, the log would have started over from its beginning.
        #expect(Self.pages(of: path + "-wal") >= Self.pagesWritten, "the writer checkpointed the log itself")
        #expect(Self.pages(of: path) < Self.pagesWritten / 2, "the pages are already in the database file")

        let pass = try #require(try await checkpointer.checkpoint())
        #expect(pass.logPages >= Self.pagesWritten)
        #expect(pass.checkpointedPages == pass.logPages, "no reader holds an old snapshot: every page can move")
        #expect(Self.pages(of: path) >= Self.pagesWritten)
        // The rows are there for a store opened afterwards.
        #expect(try await PositionStore(database.location).counts().history == Self.fixesWritten)
    }

    @Test("run() raises the writers' threshold, then checkpoints every interval on its own until cancelled")
    func runsOnItsOwn() async throws {
        let database = try TestDatabase(.sqlite)
        let path = try Self.path(database)
        let writer = try PositionStore(database.location)
        let checkpointer = try WALCheckpointer(location: database.location, writers: [.positions(writer)], interval: .milliseconds(20))
        let running = Task { try await checkpointer.run() }
        // Generous deadlines, each its own: the whole suite runs beside this test.
        func waitUntil(_ condition: () -> Bool) async throws {
            let deadline = ContinuousClock.now + .seconds(60)
            while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        }
        try await waitUntil { checkpointer.completedPasses > 0 }
        try await Self.write(writer)
        try await waitUntil { Self.pages(of: path) >= Self.pagesWritten }
        #expect(Self.pages(of: path) >= Self.pagesWritten, "no checkpoint moved the log's pages into the database file")
        let passes = checkpointer.completedPasses
        try await waitUntil { checkpointer.completedPasses >= passes + 2 }
        #expect(checkpointer.completedPasses >= passes + 2, "it stopped after one pass")
        running.cancel()
        try await running.value
    }

    @Test("on PostgreSQL there is no log to checkpoint")
    func postgreSQL() async throws {
        let database = try TestDatabase(.postgresql)
        let writer = try CoreStore(database.location)
        let checkpointer = try WALCheckpointer(location: database.location, writers: [.core(writer)])
        #expect(try await checkpointer.checkpoint() == nil)
        // As a service it waits for the shutdown (here: cancellation) without doing anything.
        let running = Task { try await checkpointer.run() }
        running.cancel()
        await #expect(throws: CancellationError.self) { try await running.value }
        #expect(checkpointer.completedPasses == 0)
    }
}
