import Foundation
import HubContracts
import HubStore
import Testing

/// A database file of its own for each test, removed afterwards.
struct TemporaryDatabase: ~Copyable {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "lubehub-test-\(UUID().uuidString).sqlite"
    }
    deinit {
        SQLiteConnection.removeDatabase(at: path)
    }
}

func fix(_ vehicle: String, _ time: String, lat: Double = 31.2, id: String? = nil) -> IdentifiedFix {
    IdentifiedFix(eventId: id ?? "\(vehicle)@\(time)", fix: VehicleFix(
        vehicleId: vehicle, fixAt: Timestamp(parsing: time)!, lat: lat, lon: 121.4, speedKmh: 50, heading: 90, source: .jt808
    ))
}

@Suite("SQLite store")
struct SQLiteStoreTests {
    @Test("migrations run once; reopening applies nothing")
    func migrations() throws {
        let database = TemporaryDatabase()
        let connection = try SQLiteConnection(path: database.path)
        #expect(try CoreSchema.migrations.apply(to: connection) == [1, 2, 3])
        #expect(try CoreSchema.migrations.apply(to: connection) == [])
        #expect(try SQLiteMigrations.currentVersion(of: connection) == CoreSchema.migrations.latestVersion)
    }

    @Test("a database written by a newer LubeHub is refused with what to do")
    func newerDatabaseRefused() throws {
        let database = TemporaryDatabase()
        let connection = try SQLiteConnection(path: database.path)
        try CoreSchema.migrations.apply(to: connection)
        try connection.execute("INSERT INTO schema_version (version, summary) VALUES (99, 'from the future')")
        #expect {
            _ = try SQLitePositionStore(path: database.path)
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.code == .databaseNewer && error.message.contains("version 99") && error.message.contains("knows only up to 3")
        }
    }

    @Test("a failed migration leaves the database as it was")
    func failedMigrationRollsBack() throws {
        let database = TemporaryDatabase()
        let connection = try SQLiteConnection(path: database.path)
        let broken = SQLiteMigrations([
            .init(version: 1, summary: "good", sql: "CREATE TABLE a (x INTEGER)"),
            .init(version: 2, summary: "bad", sql: "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1)"),
        ])
        #expect(throws: StoreError.self) { try broken.apply(to: connection) }
        #expect(try SQLiteMigrations.currentVersion(of: connection) == 1)
        #expect(throws: StoreError.self, "table b was rolled back with its migration") { try connection.execute("INSERT INTO b VALUES (1)") }
    }

    @Test("the newest fix wins, whatever the order; repeats change nothing")
    func newestFixWins() throws {
        let database = TemporaryDatabase()
        let store = try SQLitePositionStore(path: database.path)
        let consumed = [ConsumedPosition(topic: "hub.vehicles.positions", partition: 0, nextOffset: 3)]
        let inserted = try store.apply([
            fix("V1", "2026-12-03T08:00:30Z", lat: 31.3),
            fix("V1", "2026-12-03T08:00:00Z", lat: 31.1),
            fix("V2", "2026-12-03T08:00:00Z"),
        ], consumed: consumed, group: "core")
        #expect(inserted == 3)
        // A later batch with an older fix and a repeat of the newest.
        let again = try store.apply([
            fix("V1", "2026-12-03T07:59:00Z", lat: 30.0),
            fix("V1", "2026-12-03T08:00:30Z", lat: 31.3),
        ], consumed: [ConsumedPosition(topic: "hub.vehicles.positions", partition: 0, nextOffset: 5)], group: "core")
        #expect(again == 1, "the repeat is not added to the history")
        let latest = try #require(try store.latest(vehicleId: "V1"))
        #expect(latest.fixAt == "2026-12-03T08:00:30Z")
        #expect(latest.lat == 31.3)
        #expect(try store.counts().history == 4)
        #expect(try store.counts().vehicles == 2)
        #expect(try store.storedOffsets(group: "core", topic: "hub.vehicles.positions") == [0: 5])
    }

    @Test("stored offsets never move backwards and are kept per group")
    func offsetsAreMonotonic() throws {
        let database = TemporaryDatabase()
        let store = try SQLitePositionStore(path: database.path)
        try store.apply([], consumed: [ConsumedPosition(topic: "t", partition: 1, nextOffset: 10)], group: "a")
        try store.apply([], consumed: [ConsumedPosition(topic: "t", partition: 1, nextOffset: 7)], group: "a")
        try store.apply([], consumed: [ConsumedPosition(topic: "t", partition: 1, nextOffset: 2)], group: "b")
        #expect(try store.storedOffsets(group: "a", topic: "t") == [1: 10])
        #expect(try store.storedOffsets(group: "b", topic: "t") == [1: 2])
    }

    @Test("state survives closing and reopening the database")
    func durable() throws {
        let database = TemporaryDatabase()
        do {
            let store = try SQLitePositionStore(path: database.path)
            try store.apply([fix("V9", "2026-12-03T08:00:00Z")], consumed: [ConsumedPosition(topic: "t", partition: 0, nextOffset: 1)], group: "g")
        }
        let reopened = try SQLitePositionStore(path: database.path)
        #expect(try reopened.latest(vehicleId: "V9")?.fixAt == "2026-12-03T08:00:00Z")
        #expect(try reopened.storedOffsets(group: "g", topic: "t") == [0: 1])
    }

    @Test("timestamps: the fast parser agrees with the calendar, and refuses impossible dates")
    func timestamps() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let seconds = Double(Int.random(in: 0...4_102_444_800, using: &generator))
            let date = Date(timeIntervalSince1970: seconds)
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let text = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
            #expect(Timestamp(parsing: text)?.date == date, "\(text)")
            #expect(Timestamp(date).text == text)
        }
        #expect(Timestamp(parsing: "2024-02-29T00:00:00.250Z")?.date == Date(timeIntervalSince1970: 1_709_164_800.25))
        for bad in ["2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-29T24:00:00Z", "2026-11-29T10:00:00+08:00", "2026-11-29 10:00:00Z"] {
            #expect(Timestamp(parsing: bad) == nil, "\(bad)")
        }
    }
}

@Suite("position history")
struct PositionHistoryTests {
    @Test("retention prunes old history and keeps every latest position; the recent track is newest first")
    func retentionAndTrack() throws {
        let database = TemporaryDatabase()
        let store = try SQLitePositionStore(path: database.path)
        let times = (0..<10).map { Timestamp(Date(timeIntervalSince1970: 1_795_910_400 + Double($0) * 60)).text }
        try store.apply(times.map { fix("V1", $0, lat: 31) } + [fix("V2", times[0])], consumed: [], group: "g")
        #expect(try store.counts().history == 11)

        let track = try store.track(vehicleId: "V1", since: Timestamp(parsing: times[7])!)
        let expectedTrack: [Int64] = [9, 8, 7].map { (minute: Int64) -> Int64 in (1_795_910_400 + minute * 60) * 1000 }
        #expect(track.map(\.fixAtMilliseconds) == expectedTrack)
        #expect(try store.track(vehicleId: "V1", since: Timestamp(parsing: times[0])!, limit: 2).count == 2)

        let deleted = try store.pruneHistory(olderThan: Timestamp(parsing: times[5])!)
        #expect(deleted == 6, "V1's first five fixes and V2's only fix")
        #expect(try store.counts().history == 5)
        #expect(try store.latest(vehicleId: "V2")?.fixAt == times[0], "a vehicle's latest position outlives its history")
        #expect(try store.track(vehicleId: "V2", since: Timestamp(parsing: times[0])!).isEmpty)
    }
}

@Test("a busy database is waited out on one schedule: 20 ms doubling, capped at 2 s")
func busyBackoffSchedule() {
    var backoff = BusyBackoff()
    let waits = (0..<10).map { _ in backoff.next() }
    #expect(waits.prefix(4) == [.milliseconds(20), .milliseconds(40), .milliseconds(80), .milliseconds(160)])
    #expect(waits.last == .seconds(2))
    #expect(waits.allSatisfy { $0 <= .seconds(2) })
}
