import Foundation
import HubContracts
@_spi(SQL) import HubStore
@_spi(SQL) import StoreTestSupport
import Synchronization
import Testing

func fix(_ vehicle: String, _ time: String, lat: Double = 31.2, id: String? = nil) -> IdentifiedFix {
    IdentifiedFix(eventId: id ?? "\(vehicle)@\(time)", fix: VehicleFix(
        vehicleId: vehicle, fixAt: Timestamp(parsing: time)!, lat: lat, lon: 121.4, speedKmh: 50, heading: 90, source: .jt808
    ))
}

@Suite("state store, on SQLite and on PostgreSQL")
struct StoreTests {
    @Test("migrations run once; reopening applies nothing", arguments: StoreKind.allCases)
    func migrations(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let connection = try database.location.open()
        #expect(try SchemaMigrations.currentVersion(of: connection) == CoreSchema.migrations.latestVersion)
        #expect(try CoreSchema.migrations.apply(to: connection) == [])
        #expect(try CoreSchema.migrations.apply(to: try database.location.open()) == [])
    }

    @Test("migration 34 carries the old goods-in / goods-out ledger into the books, with running stock and value", arguments: StoreKind.allCases)
    func ledgerCarriedIntoBooks(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let connection = try database.location.open()
        // Back to version 33: the old ledger, no books.
        try connection.executeScript("""
            DROP TABLE book_documents; DROP TABLE book_lines; DROP TABLE book_positions; DROP TABLE book_dealers; DROP TABLE tier2_deliveries;
            DROP TABLE book_day_materials; DROP TABLE book_day_customers; DROP TABLE book_customers;
            DROP TABLE invoices; DROP TABLE invoice_clearings; DROP TABLE production_orders; DROP INDEX orders_by_erp_number; DROP TABLE book_prices; DROP TABLE activities; DROP TABLE risk_reviews; DROP TABLE dealer_standing;
            ALTER TABLE tier2_orders DROP COLUMN decision_reason; DROP INDEX announcements_by_notice_due; ALTER TABLE announcements DROP COLUMN notice_due_ms;
            DROP TABLE analytics_pending_batches;
            CREATE TABLE dealer_ledger (
                entry_id TEXT PRIMARY KEY, dealer_id TEXT NOT NULL, material_id TEXT NOT NULL, direction TEXT NOT NULL,
                quantity TEXT NOT NULL, unit_price TEXT, unit_cost TEXT, reference TEXT NOT NULL, at TEXT NOT NULL);
            DELETE FROM schema_version WHERE version >= 34;
            INSERT INTO dealer_ledger VALUES ('O1:in:1', 'D1', 'M1', 'in', '10', NULL, '100.00', 'O1', '2026-11-01T02:00:00Z');
            INSERT INTO dealer_ledger VALUES ('DN-1:1', 'D1', 'M1', 'out', '4', '130.50', '100.00', 'DN-1', '2026-11-02T02:00:00.500Z');
            INSERT INTO dealer_ledger VALUES ('DN-2:1', 'D1', 'M1', 'out', '1', '120.00', NULL, 'DN-2', '2026-11-03T02:00:00Z');
            """)
        #expect(try CoreSchema.migrations.apply(to: connection) == Array(34...CoreSchema.migrations.latestVersion))
        let lines = try connection.query("""
            SELECT seq, entry_id, kind, booked_at_ms, quantity_milli, revenue_fen, cost_fen, on_hand_milli_after, value_fen_after FROM book_lines ORDER BY seq
            """).map { [$0.int64(0), $0.int64(3), $0.int64(4), $0.int64(5), $0.int64(6), $0.int64(7), $0.int64(8)] }
        #expect(lines == [[1, 1_793_498_400_000, 10_000, 0, 100_000, 10_000, 100_000],
                          [2, 1_793_584_800_500, -4_000, 52_200, -40_000, 6_000, 60_000],
                          [3, 1_793_671_200_000, -1_000, 12_000, 0, 5_000, 60_000]], "a cost not stated counts as 0, as the old ledger did")
        #expect(try connection.query("SELECT kind FROM book_lines ORDER BY seq").map { $0.string(0) } == ["purchase", "sale", "sale"])
        #expect(try connection.first("SELECT on_hand_milli, value_fen FROM book_positions WHERE dealer_id = 'D1' AND material_id = 'M1'").map { [$0.int64(0), $0.int64(1)] } == [5_000, 60_000])
        #expect(try connection.first("SELECT last_seq, last_at_ms FROM book_dealers WHERE dealer_id = 'D1'").map { [$0.int64(0), $0.int64(1)] } == [3, 1_793_671_200_000])
        #expect(try connection.query("SELECT status FROM book_documents").count == 3)
        // The daily sums the reports read: China days (2026-11-01 10:00 is day 20,758).
        #expect(try connection.query("SELECT day, kind, quantity_milli, revenue_fen, cost_fen FROM book_day_materials ORDER BY day").map {
            [$0.int64(0), $0.int64(2), $0.int64(3), $0.int64(4)]
        } == [[20_758, 10_000, 0, 100_000], [20_759, -4_000, 52_200, -40_000], [20_760, -1_000, 12_000, 0]])
    }

    @Test("a database written by a newer LubeHub is refused with what to do", arguments: StoreKind.allCases)
    func newerDatabaseRefused(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let connection = try database.location.open()
        try connection.execute("INSERT INTO schema_version (version, summary, applied_at) VALUES (99, 'from the future', 'now')")
        let latest = CoreSchema.migrations.latestVersion
        #expect {
            _ = try PositionStore(database.location)
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.code == .databaseNewer && error.message.contains("version 99") && error.message.contains("knows only up to \(latest)")
        }
    }

    @Test("a failed migration leaves the database as it was", arguments: StoreKind.allCases)
    func failedMigrationRollsBack(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let connection: any SQLDatabase = switch database.location {
        case .sqlite(let path): try SQLiteConnection(path: path)
        case .postgresql(let url): try PostgresConnection(url: url)
        }
        let broken = SchemaMigrations([
            .init(version: 1, summary: "good", sql: "CREATE TABLE a (x BIGINT)"),
            .init(version: 2, summary: "bad", sql: "CREATE TABLE b (x BIGINT); INSERT INTO nowhere VALUES (1)"),
        ])
        #expect(throws: StoreError.self) { try broken.apply(to: connection) }
        #expect(try SchemaMigrations.currentVersion(of: connection) == 1)
        #expect(throws: StoreError.self, "table b was rolled back with its migration") { try connection.execute("INSERT INTO b VALUES (1)") }
    }

    @Test("values round-trip: text with Chinese, 64-bit integers, doubles, blobs (empty too), NULL", arguments: StoreKind.allCases)
    func valuesRoundTrip(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let db = try database.location.open()
        try db.executeScript("CREATE TABLE t (k TEXT PRIMARY KEY, i BIGINT, d DOUBLE PRECISION, b \(kind == .sqlite ? "BLOB" : "BYTEA"), n TEXT)")
        let blob: [UInt8] = [0, 1, 0x7e, 0x7d, 0xff]
        try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", .text("上海润滑油 'quoted' ?"), .integer(Int64.max - 1), .real(121.473701), .blob(blob), .null)
        try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", .text("empty"), .integer(-1), .real(0), .blob([]), .text("x"))
        let rows = try db.query("SELECT k, i, d, b, n FROM t ORDER BY i DESC")
        #expect(rows.count == 2)
        #expect(rows[0].string(0) == "上海润滑油 'quoted' ?")
        #expect(rows[0].int64(1) == Int64.max - 1)
        #expect(rows[0].double(2) == 121.473701)
        #expect(rows[0].blob(3) == blob)
        #expect(rows[0].isNull(4))
        #expect(rows[1].blob(3) == [])
        #expect(try db.first("SELECT COUNT(*) FROM t WHERE k = ?1 OR k = ?1", .text("empty"))?.int(0) == 1, "a numbered placeholder used twice")
    }

    @Test("a transaction that throws leaves nothing behind", arguments: StoreKind.allCases)
    func transactionRollsBack(kind: StoreKind) throws {
        let database = try TestDatabase(kind)
        let db = try database.location.open()
        #expect(throws: StoreError.self) {
            try db.transaction { () throws(StoreError) in
                try db.execute("INSERT INTO consumer_offsets (group_id, topic, partition, next_offset) VALUES ('g', 't', 0, 1)")
                try db.execute("INSERT INTO consumer_offsets (group_id, topic, partition, next_offset) VALUES ('g', 't', 0, 2)")
            }
        }
        #expect(try db.first("SELECT COUNT(*) FROM consumer_offsets")?.int(0) == 0)
    }

    @Test("the newest fix wins, whatever the order; repeats change nothing", arguments: StoreKind.allCases)
    func newestFixWins(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let store = try PositionStore(database.location)
        let consumed = [ConsumedPosition(topic: "hub.vehicles.positions", partition: 0, nextOffset: 3)]
        let inserted = try await store.apply([
            fix("V1", "2026-12-03T08:00:30Z", lat: 31.3),
            fix("V1", "2026-12-03T08:00:00Z", lat: 31.1),
            fix("V2", "2026-12-03T08:00:00Z"),
        ], consumed: consumed, group: "core")
        #expect(inserted == 3)
        // A later batch with an older fix and a repeat of the newest.
        let again = try await store.apply([
            fix("V1", "2026-12-03T07:59:00Z", lat: 30.0),
            fix("V1", "2026-12-03T08:00:30Z", lat: 31.3),
        ], consumed: [ConsumedPosition(topic: "hub.vehicles.positions", partition: 0, nextOffset: 5)], group: "core")
        #expect(again == 1, "the repeat is not added to the history")
        let latest = try #require(try await store.latest(vehicleId: "V1"))
        #expect(latest.fixAt == "2026-12-03T08:00:30Z")
        #expect(latest.lat == 31.3)
        #expect(try await store.counts().history == 4)
        #expect(try await store.counts().vehicles == 2)
        #expect(try await store.storedOffsets(group: "core", topic: "hub.vehicles.positions") == [0: 5])
    }

    @Test("where a batch starts does not change which fix is current: a glitch refused by the speed check hides no later fix",
          arguments: StoreKind.allCases)
    func batchBoundariesDoNotMatter(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let store = try PositionStore(database.location, maximumSpeedKmh: 250)
        // 08:05 is 200 km off (a glitch no truck makes in 5 minutes); the others are a drive.
        let track: [(time: String, lat: Double)] = [("08:00:00", 31.0), ("08:05:00", 32.8), ("08:10:00", 31.1), ("08:20:00", 31.3)]
        // Every way of cutting the track into consecutive batches, each on a vehicle of its own.
        for cuts in 0..<(1 << (track.count - 1)) {
            let vehicle = "V-cut-\(cuts)"
            var batch: [IdentifiedFix] = []
            for (index, point) in track.enumerated() {
                batch.append(fix(vehicle, "2026-12-03T\(point.time)Z", lat: point.lat))
                if index == track.count - 1 || cuts & (1 << index) != 0 {
                    try await store.apply(batch, consumed: [], group: "core")
                    batch = []
                }
            }
            let latest = try #require(try await store.latest(vehicleId: vehicle))
            #expect(latest.fixAt == "2026-12-03T08:20:00Z" && latest.lat == 31.3, "batches cut by \(String(cuts, radix: 2)): \(latest)")
        }
        #expect(try await store.counts().history == 4 << (track.count - 1), "every fix is in the history, the glitch too")
    }

    @Test("stored offsets never move backwards and are kept per group", arguments: StoreKind.allCases)
    func offsetsAreMonotonic(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let store = try PositionStore(database.location)
        try await store.apply([], consumed: [ConsumedPosition(topic: "t", partition: 1, nextOffset: 10)], group: "a")
        try await store.apply([], consumed: [ConsumedPosition(topic: "t", partition: 1, nextOffset: 7)], group: "a")
        try await store.apply([], consumed: [ConsumedPosition(topic: "t", partition: 1, nextOffset: 2)], group: "b")
        #expect(try await store.storedOffsets(group: "a", topic: "t") == [1: 10])
        #expect(try await store.storedOffsets(group: "b", topic: "t") == [1: 2])
    }

    @Test("gaps in consumed offsets: kept per group, listed by age and topic, recorded once, gone with their transaction, dropped one by one",
          arguments: StoreKind.allCases)
    func offsetGaps(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let store = try CoreStore(database.location)
        let old = OffsetGap(topic: "t", partition: 1, from: 4, to: 6, seenAtMilliseconds: 100)
        let later = OffsetGap(topic: "t", partition: 1, from: 9, to: 10, seenAtMilliseconds: 200)
        let other = OffsetGap(topic: "u", partition: 0, from: 0, to: 3, seenAtMilliseconds: 100)
        try await store.transaction { tables throws(StoreError) in
            try tables.offsetGaps.record([later, old, other], group: "g")
            try tables.offsetGaps.record([OffsetGap(topic: "t", partition: 1, from: 4, to: 6, seenAtMilliseconds: 150)], group: "g")  // again
            try tables.offsetGaps.record([old], group: "h")
        }
        func seen(_ group: String, _ topics: Set<String>, by: Int64) async throws -> [OffsetGap] {
            try await store.read { reader throws(StoreError) in try reader.coreProgress.offsetGaps(group: group, topics: topics, seenBy: by) }
        }
        #expect(try await seen("g", ["t", "u"], by: 1_000) == [old, later, other])
        #expect(try await seen("g", ["t"], by: 150) == [old])
        #expect(try await seen("h", ["t"], by: 1_000) == [old])
        await #expect(throws: StoreError.self) {
            try await store.transaction { tables throws(StoreError) in
                try tables.offsetGaps.record([OffsetGap(topic: "t", partition: 2, from: 0, to: 1, seenAtMilliseconds: 1)], group: "g")
                throw StoreError(.statement, "abandoned")
            }
        }
        #expect(try await seen("g", ["t"], by: 1_000) == [old, later], "a gap goes with the transaction that saw it")
        try await store.dropGaps([old, other], group: "g")
        #expect(try await seen("g", ["t", "u"], by: 1_000) == [later])
        #expect(try await seen("h", ["t"], by: 1_000) == [old], "another group's gaps stay")
    }

    @Test("state survives closing and reopening the database", arguments: StoreKind.allCases)
    func durable(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        do {
            let store = try PositionStore(database.location)
            try await store.apply([fix("V9", "2026-12-03T08:00:00Z")], consumed: [ConsumedPosition(topic: "t", partition: 0, nextOffset: 1)], group: "g")
        }
        let reopened = try PositionStore(database.location)
        #expect(try await reopened.latest(vehicleId: "V9")?.fixAt == "2026-12-03T08:00:00Z")
        #expect(try await reopened.storedOffsets(group: "g", topic: "t") == [0: 1])
    }

    @Test("an event id applies once; a refused rule rolls back what it wrote; held events keep their offset", arguments: StoreKind.allCases)
    func applyOnce(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let store = try CoreStore(database.location)
        let source = EventSource(group: "g", topic: "t", partition: 2, offset: 40)
        let runs = Mutex(0)
        let vehicle = VehicleRegistered(vehicleId: "V1", carrierId: "C1", plate: "沪A12345", terminalId: "013912345678")
        let write = { @Sendable (tables: CoreTransaction) throws(StoreError) -> ApplyOutcome in
            runs.withLock { $0 += 1 }
            try tables.vehicles.upsert(vehicle)
            return .applied
        }
        func stored() async throws -> [Int32: Int64] {
            try await store.read { reader throws(StoreError) in try reader.coreProgress.storedOffsets(group: "g", topic: "t") }
        }
        func held(_ subject: String? = nil) async throws -> [String] {
            try await store.read { reader throws(StoreError) in try reader.coreProgress.heldEvents(subject: subject).map(\.eventId) }
        }
        #expect(try await store.apply(eventId: "e1", source: source, rule: write) == .applied)
        #expect(try await store.apply(eventId: "e1", source: source, rule: write) == .duplicate)
        #expect(runs.withLock { $0 } == 1)
        let refused = try await store.apply(eventId: "e2", source: EventSource(group: "g", topic: "t", partition: 2, offset: 41)) { tables throws(StoreError) in
            try tables.vehicles.upsert(VehicleRegistered(vehicleId: "V1", carrierId: "C1", plate: "沪B00000", terminalId: "013912345678"))
            return .refused("no")
        }
        #expect(refused == .refused("no"))
        #expect(try database.rows("SELECT plate FROM vehicles").first?.string(0) == "沪A12345", "the refused rule's write was undone")
        #expect(try await stored() == [2: 41], "a refused event's offset waits for its dead letter")
        try await store.hold(HeldEvent(eventId: "e3", topic: "t", partition: 2, offset: 42, subject: "O-1", key: nil, value: [1, 2], reason: "r",
                                       heldAtMilliseconds: 5), group: "g")
        #expect(try await stored() == [2: 43])
        #expect(try await held("O-1") == ["e3"])
        #expect(try await held("O-2").isEmpty)
        #expect(try await store.apply(eventId: "e3", source: EventSource(group: "g", topic: "t", partition: 2, offset: 42), releasing: "e3") { _ throws(StoreError) in .applied } == .applied)
        #expect(try await held().isEmpty)
    }

    @Test("PostgreSQL: a second writer's outbox row waits for the first writer's commit, so sequences follow commit order")
    func outboxCommitOrder() async throws {
        let database = try TestDatabase(.postgresql)
        let first = try CoreStore(database.location)
        let second = try Outbox(database.location)
        let appended = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        // The first writer holds its transaction open on its store's queue (not on the test's threads).
        async let held: Void = first.transaction { tables throws(StoreError) in
            try tables.outbox.append([OutboxRow(topic: "t", key: "k", eventId: "first", value: nil)])
            appended.signal()
            release.wait()
        }
        await withCheckedContinuation { continuation in DispatchQueue.global().async { appended.wait(); continuation.resume() } }
        async let waiting: Void = second.append([OutboxRow(topic: "t", key: "k", eventId: "second", value: nil)])
        // The second writer is blocked on the lock while the first is open (without the lock it would commit now).
        let deadline = ContinuousClock.now + .seconds(10)
        var blocked = false
        while !blocked && ContinuousClock.now < deadline {
            blocked = try database.rows("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").first?.int(0) != 0
            if !blocked { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(blocked, "the second writer never waited on the outbox lock")
        #expect(try database.rows("SELECT event_id FROM outbox").count == 0, "nothing is visible while the first writer is open")
        release.signal()
        try await held
        try await waiting
        #expect(try database.rows("SELECT event_id FROM outbox ORDER BY seq").compactMap { $0.string(0) } == ["first", "second"])
    }

    @Test("the outbox hands out unsent rows in order and forgets what was marked sent", arguments: StoreKind.allCases)
    func outbox(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let outbox = try Outbox(database.location)
        try await outbox.append((0..<5).map { OutboxRow(topic: "t", key: "k\($0 % 2)", eventId: "e\($0)", value: $0 == 4 ? nil : Array("v\($0)".utf8)) })
        let unsent = try await outbox.unsent(limit: 10)
        #expect(unsent.map(\.eventId) == ["e0", "e1", "e2", "e3", "e4"])
        #expect(unsent.last?.value == nil, "a tombstone stays a tombstone")
        try await outbox.markSent(unsent.prefix(3).map(\.sequence))
        #expect(try await outbox.unsent(limit: 10).map(\.eventId) == ["e3", "e4"])
        #expect(try await outbox.unsentCount() == 2)
        #expect(try await outbox.claimRelay())
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
    func retentionAndTrack() async throws {
        let database = try TestDatabase(.sqlite)
        let store = try PositionStore(database.location)
        let times = (0..<10).map { Timestamp(Date(timeIntervalSince1970: 1_795_910_400 + Double($0) * 60)).text }
        try await store.apply(times.map { fix("V1", $0, lat: 31) } + [fix("V2", times[0])], consumed: [], group: "g")
        #expect(try await store.counts().history == 11)

        let track = try await store.track(vehicleId: "V1", since: Timestamp(parsing: times[7])!)
        let expectedTrack: [Int64] = [9, 8, 7].map { (minute: Int64) -> Int64 in (1_795_910_400 + minute * 60) * 1000 }
        #expect(track.map(\.fixAtMilliseconds) == expectedTrack)
        #expect(try await store.track(vehicleId: "V1", since: Timestamp(parsing: times[0])!, limit: 2).count == 2)

        let deleted = try await store.pruneHistory(olderThan: Timestamp(parsing: times[5])!)
        #expect(deleted == 6, "V1's first five fixes and V2's only fix")
        #expect(try await store.counts().history == 5)
        #expect(try await store.latest(vehicleId: "V2")?.fixAt == times[0], "a vehicle's latest position outlives its history")
        #expect(try await store.track(vehicleId: "V2", since: Timestamp(parsing: times[0])!).isEmpty)
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
