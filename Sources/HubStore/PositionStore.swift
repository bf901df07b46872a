public import HubContracts
import Synchronization

/// A consumed message's place: where the next read of its partition starts once it is applied.
public struct ConsumedPosition: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var nextOffset: Int64

    public init(topic: String, partition: Int32, nextOffset: Int64) {
        self.topic = topic
        self.partition = partition
        self.nextOffset = nextOffset
    }
}

/// A vehicle fix with the id of the event that carried it.
public struct IdentifiedFix: Sendable, Hashable {
    public var eventId: String
    public var fix: VehicleFix
    public var fixAtMilliseconds: Int64

    public init(eventId: String, fix: VehicleFix) {
        self.eventId = eventId
        self.fix = fix
        self.fixAtMilliseconds = Int64((fix.fixAt.date.timeIntervalSince1970 * 1000).rounded())
    }
}

/// Vehicle positions in SQLite: the latest fix per vehicle (an older fix never replaces a newer
/// one; a repeated fix changes nothing), the position history, and the consumed offsets — all
/// written in one transaction per batch, so a batch is applied entirely or not at all.
public final class SQLitePositionStore: Sendable {
    private let connection: Mutex<SQLiteConnectionBox>

    private struct SQLiteConnectionBox: ~Copyable {
        let connection: SQLiteConnection
    }

    /// Opens the database at `path` and migrates it.
    public init(path: String) throws(StoreError) {
        self.connection = Mutex(SQLiteConnectionBox(connection: try CoreSchema.open(path: path)))
    }

    /// Applies a batch of fixes and records the consumed offsets, in one transaction.
    /// Returns how many fixes were new to the history (repeats are not).
    @discardableResult
    public func apply(_ fixes: [IdentifiedFix], consumed: [ConsumedPosition], group: String) throws(StoreError) -> Int {
        try connection.withLock { box throws(StoreError) -> Int in
            let db = box.connection
            return try db.transaction { () throws(StoreError) -> Int in
                // Newest fix per vehicle in this batch: one upsert per vehicle, not per fix.
                var newest: [String: IdentifiedFix] = [:]
                newest.reserveCapacity(min(fixes.count, 8192))
                for item in fixes {
                    if let current = newest[item.fix.vehicleId], current.fixAtMilliseconds >= item.fixAtMilliseconds { continue }
                    newest[item.fix.vehicleId] = item
                }
                // History rows go in several per statement: SQLite's cost is per statement step.
                var inserted = 0
                var start = 0
                while start < fixes.count {
                    let rows = min(Self.historyRowsPerStatement, fixes.count - start)
                    let history = try db.statement(Self.historyInsert(rows: rows))
                    var parameter: Int32 = 1
                    for item in fixes[start..<(start + rows)] {
                        history.bind(parameter, item.fixAtMilliseconds)
                        history.bind(parameter + 1, item.fix.vehicleId)
                        history.bind(parameter + 2, item.fix.lat)
                        history.bind(parameter + 3, item.fix.lon)
                        history.bind(parameter + 4, item.fix.speedKmh)
                        history.bind(parameter + 5, Int64(item.fix.heading))
                        parameter += 6
                    }
                    try history.run()
                    inserted += history.changes
                    start += rows
                }
                let latest = try db.statement("""
                    INSERT INTO vehicle_latest_position (vehicle_id, fix_at, fix_at_ms, lat, lon, speed_kmh, heading, altitude_m, source, event_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (vehicle_id) DO UPDATE SET fix_at = excluded.fix_at, fix_at_ms = excluded.fix_at_ms, lat = excluded.lat,
                        lon = excluded.lon, speed_kmh = excluded.speed_kmh, heading = excluded.heading, altitude_m = excluded.altitude_m,
                        source = excluded.source, event_id = excluded.event_id
                    WHERE excluded.fix_at_ms > vehicle_latest_position.fix_at_ms
                    """)
                for item in newest.values {
                    latest.bind(1, item.fix.vehicleId)
                    latest.bind(2, item.fix.fixAt.text)
                    latest.bind(3, item.fixAtMilliseconds)
                    latest.bind(4, item.fix.lat)
                    latest.bind(5, item.fix.lon)
                    latest.bind(6, item.fix.speedKmh)
                    latest.bind(7, Int64(item.fix.heading))
                    latest.bind(8, item.fix.altitudeM.map(Int64.init))
                    latest.bind(9, item.fix.source.rawValue)
                    latest.bind(10, item.eventId)
                    try latest.run()
                }
                try Self.record(consumed, group: group, in: db)
                return inserted
            }
        }
    }

    static let historyRowsPerStatement = 64

    static func historyInsert(rows: Int) -> String {
        "INSERT OR IGNORE INTO vehicle_position_history (fix_at_ms, vehicle_id, lat, lon, speed_kmh, heading) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
    }

    static func record(_ consumed: [ConsumedPosition], group: String, in db: SQLiteConnection) throws(StoreError) {
        let offsets = try db.statement("""
            INSERT INTO consumer_offsets (group_id, topic, partition, next_offset) VALUES (?, ?, ?, ?)
            ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = excluded.next_offset
            WHERE excluded.next_offset > consumer_offsets.next_offset
            """)
        for position in consumed {
            offsets.bind(1, group)
            offsets.bind(2, position.topic)
            offsets.bind(3, Int64(position.partition))
            offsets.bind(4, position.nextOffset)
            try offsets.run()
        }
    }

    /// Where each partition's next read starts, as applied; partitions never applied are absent.
    public func storedOffsets(group: String, topic: String) throws(StoreError) -> [Int32: Int64] {
        try connection.withLock { box throws(StoreError) -> [Int32: Int64] in try Self.storedOffsets(group: group, topic: topic, in: box.connection) }
    }

    static func storedOffsets(group: String, topic: String, in db: SQLiteConnection) throws(StoreError) -> [Int32: Int64] {
        let statement = try db.statement("SELECT partition, next_offset FROM consumer_offsets WHERE group_id = ? AND topic = ?")
        statement.bind(1, group)
        statement.bind(2, topic)
        var result: [Int32: Int64] = [:]
        while try statement.step() { result[Int32(statement.int64(0))] = statement.int64(1) }
        return result
    }

    /// The latest fix of a vehicle, if any.
    public func latest(vehicleId: String) throws(StoreError) -> (fixAt: String, lat: Double, lon: Double, eventId: String)? {
        try connection.withLock { box throws(StoreError) in
            let statement = try box.connection.statement("SELECT fix_at, lat, lon, event_id FROM vehicle_latest_position WHERE vehicle_id = ?")
            statement.bind(1, vehicleId)
            guard try statement.step() else { return nil }
            let row = (statement.string(0) ?? "", statement.double(1), statement.double(2), statement.string(3) ?? "")
            _ = try statement.step()
            return row
        }
    }

    /// Deletes history older than `cutoff` (the latest positions stay); returns the rows deleted.
    /// Cheap: the history is keyed by time first, so this removes a prefix of the table.
    @discardableResult
    public func pruneHistory(olderThan cutoff: Timestamp) throws(StoreError) -> Int {
        try connection.withLock { box throws(StoreError) -> Int in
            try box.connection.transaction { () throws(StoreError) -> Int in
                let delete = try box.connection.statement("DELETE FROM vehicle_position_history WHERE fix_at_ms < ?")
                delete.bind(1, Int64((cutoff.date.timeIntervalSince1970 * 1000).rounded()))
                try delete.run()
                return delete.changes
            }
        }
    }

    /// A vehicle's fixes since `since`, newest first (at most `limit`). It scans the history from
    /// `since` on, so keep the window short (the recent track of a shipment, not months).
    public func track(vehicleId: String, since: Timestamp, limit: Int = 500) throws(StoreError) -> [(fixAtMilliseconds: Int64, lat: Double, lon: Double, speedKmh: Double)] {
        try connection.withLock { box throws(StoreError) in
            let select = try box.connection.statement("""
                SELECT fix_at_ms, lat, lon, speed_kmh FROM vehicle_position_history
                WHERE fix_at_ms >= ? AND vehicle_id = ? ORDER BY fix_at_ms DESC LIMIT ?
                """)
            select.bind(1, Int64((since.date.timeIntervalSince1970 * 1000).rounded()))
            select.bind(2, vehicleId)
            select.bind(3, Int64(limit))
            var rows: [(fixAtMilliseconds: Int64, lat: Double, lon: Double, speedKmh: Double)] = []
            while try select.step() { rows.append((select.int64(0), select.double(1), select.double(2), select.double(3))) }
            return rows
        }
    }

    /// Rows in the position history and vehicles with a latest position.
    public func counts() throws(StoreError) -> (history: Int, vehicles: Int) {
        try connection.withLock { box throws(StoreError) in
            let history = try box.connection.statement("SELECT COUNT(*) FROM vehicle_position_history")
            _ = try history.step()
            let historyCount = Int(history.int64(0))
            _ = try history.step()
            let vehicles = try box.connection.statement("SELECT COUNT(*) FROM vehicle_latest_position")
            _ = try vehicles.step()
            let vehicleCount = Int(vehicles.int64(0))
            _ = try vehicles.step()
            return (historyCount, vehicleCount)
        }
    }
}
