import Foundation
import HubCore
import HubStore
import StoreTestSupport
import Testing

@Suite("the SQLite log checkpointed apart from the writers")
struct WALCheckpointerTests {
    /// SQLite's default page size: the log and the database file grow by pages of it.
    static let pageSize = 4096
    /// Pages one `write` adds to the log: more than SQLite's default automatic checkpoint (1,000).
    static let pagesWritten = 1_600

    /// Writes ~`pagesWritten` pages to the log, in 40 transactions of 10 rows of 16 KiB.
    static func write(_ writer: SharedDatabase) throws {
        try writer.with { db throws(StoreError) in try db.executeScript("CREATE TABLE IF NOT EXISTS wal_pages (n INTEGER PRIMARY KEY, payload BLOB)") }
        for _ in 0..<40 {
            try writer.transaction { db throws(StoreError) in
                for _ in 0..<10 { try db.executeScript("INSERT INTO wal_pages (payload) VALUES (randomblob(16384))") }
            }
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
    func onePass() throws {
        let database = try TestDatabase(.sqlite)
        let path = try Self.path(database)
        let writer = try SharedDatabase(database.location)
        let checkpointer = try WALCheckpointer(location: database.location, writers: [writer])
        try Self.write(writer)
        // Had the writer checkpointed at 1,000 pages, the log would have started over from its beginning.
        #expect(Self.pages(of: path + "-wal") >= Self.pagesWritten, "the writer checkpointed the log itself")
        #expect(Self.pages(of: path) < Self.pagesWritten / 2, "the pages are already in the database file")

        let pass = try #require(try checkpointer.checkpoint())
        #expect(pass.logPages >= Self.pagesWritten)
        #expect(pass.checkpointedPages == pass.logPages, "no reader holds an old snapshot: every page can move")
        #expect(Self.pages(of: path) >= Self.pagesWritten)
        // The rows are there for a connection opened afterwards.
        let reader = try SharedDatabase(database.location)
        #expect(try reader.with { db throws(StoreError) in try db.first("SELECT COUNT(*) FROM wal_pages")?.int(0) } == 400)
    }

    @Test("run() checkpoints every interval on its own until cancelled")
    func runsOnItsOwn() async throws {
        let database = try TestDatabase(.sqlite)
        let path = try Self.path(database)
        let writer = try SharedDatabase(database.location)
        let checkpointer = try WALCheckpointer(location: database.location, writers: [writer], interval: .milliseconds(20))
        try Self.write(writer)
        #expect(Self.pages(of: path) < Self.pagesWritten / 2)

        let running = Task { try await checkpointer.run() }
        let deadline = ContinuousClock.now + .seconds(20)
        while Self.pages(of: path) < Self.pagesWritten, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(Self.pages(of: path) >= Self.pagesWritten, "no checkpoint moved the log's pages into the database file")
        let passes = checkpointer.completedPasses
        while checkpointer.completedPasses < passes + 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(checkpointer.completedPasses >= passes + 2, "it stopped after one pass")
        running.cancel()
        try await running.value
    }

    @Test("on PostgreSQL there is no log to checkpoint")
    func postgreSQL() async throws {
        let database = try TestDatabase(.postgresql)
        let writer = try SharedDatabase(database.location)
        let checkpointer = try WALCheckpointer(location: database.location, writers: [writer])
        #expect(try checkpointer.checkpoint() == nil)
        // As a service it waits for the shutdown (here: cancellation) without doing anything.
        let running = Task { try await checkpointer.run() }
        running.cancel()
        await #expect(throws: CancellationError.self) { try await running.value }
        #expect(checkpointer.completedPasses == 0)
    }
}
