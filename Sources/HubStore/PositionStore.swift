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
        self.fixAtMilliseconds = fix.fixAt.milliseconds
    }
}

/// Vehicle positions: the latest fix per vehicle (an older fix never replaces a newer one; a
/// repeated fix changes nothing), the position history, and the consumed offsets — all written in
/// one transaction per batch, so a batch is applied entirely or not at all.
public final class PositionStore: Sendable {
    public let database: SharedDatabase

    public init(_ location: DatabaseLocation) throws(StoreError) {
        self.database = try SharedDatabase(location)
    }

    /// Applies `fixes` and records `consumed` for `group` in one transaction; the number of history
    /// rows written (repeats are not).
    @discardableResult
    public func apply(_ fixes: [IdentifiedFix], consumed: [ConsumedPosition], group: String) throws(StoreError) -> Int {
        try database.transaction { db throws(StoreError) -> Int in
            // Newest fix per vehicle in this batch: one upsert per vehicle, not per fix.
            var newest: [String: IdentifiedFix] = [:]
            newest.reserveCapacity(min(fixes.count, 8192))
            for item in fixes {
                if let current = newest[item.fix.vehicleId], current.fixAtMilliseconds >= item.fixAtMilliseconds { continue }
                newest[item.fix.vehicleId] = item
            }
            // History rows go in several per statement: the cost is per statement.
            var inserted = 0
            var start = 0
            var binds: [SQLValue] = []
            binds.reserveCapacity(Self.historyRowsPerStatement * 6)
            while start < fixes.count {
                let rows = min(Self.historyRowsPerStatement, fixes.count - start)
                binds.removeAll(keepingCapacity: true)
                for item in fixes[start..<(start + rows)] {
                    binds.append(.integer(item.fixAtMilliseconds))
                    binds.append(.text(item.fix.vehicleId))
                    binds.append(.real(item.fix.lat))
                    binds.append(.real(item.fix.lon))
                    binds.append(.real(item.fix.speedKmh))
                    binds.append(.integer(Int64(item.fix.heading)))
                }
                inserted += try db.execute(Self.historyInsert(rows: rows), binds)
                start += rows
            }
            for item in newest.values {
                try db.execute("""
                    INSERT INTO vehicle_latest_position (vehicle_id, fix_at, fix_at_ms, lat, lon, speed_kmh, heading, altitude_m, source, event_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (vehicle_id) DO UPDATE SET fix_at = excluded.fix_at, fix_at_ms = excluded.fix_at_ms, lat = excluded.lat,
                        lon = excluded.lon, speed_kmh = excluded.speed_kmh, heading = excluded.heading, altitude_m = excluded.altitude_m,
                        source = excluded.source, event_id = excluded.event_id
                    WHERE excluded.fix_at_ms > vehicle_latest_position.fix_at_ms
                    """, [.text(item.fix.vehicleId), .text(item.fix.fixAt.text), .integer(item.fixAtMilliseconds), .real(item.fix.lat),
                          .real(item.fix.lon), .real(item.fix.speedKmh), .integer(Int64(item.fix.heading)),
                          SQLValue(item.fix.altitudeM.map(Int64.init)), .text(item.fix.source.rawValue), .text(item.eventId)])
            }
            try ConsumerOffsets.record(consumed, group: group, in: db)
            return inserted
        }
    }

    static let historyRowsPerStatement = 64

    static func historyInsert(rows: Int) -> String {
        "INSERT INTO vehicle_position_history (fix_at_ms, vehicle_id, lat, lon, speed_kmh, heading) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
            + " ON CONFLICT DO NOTHING"
    }

    /// Where each partition's next read starts, as stored; partitions never seen are absent.
    public func storedOffsets(group: String, topic: String) throws(StoreError) -> [Int32: Int64] {
        try database.with { db throws(StoreError) in try ConsumerOffsets.stored(group: group, topic: topic, in: db) }
    }

    /// The latest stored fix of a vehicle.
    public func latest(vehicleId: String) throws(StoreError) -> (fixAt: String, lat: Double, lon: Double, eventId: String)? {
        try database.with { db throws(StoreError) in
            try db.first("SELECT fix_at, lat, lon, event_id FROM vehicle_latest_position WHERE vehicle_id = ?", .text(vehicleId))
                .map { ($0.string(0) ?? "", $0.double(1), $0.double(2), $0.string(3) ?? "") }
        }
    }

    /// Deletes history older than `cutoff` (the latest positions stay); the number of rows deleted.
    @discardableResult
    public func pruneHistory(olderThan cutoff: Timestamp) throws(StoreError) -> Int {
        try database.transaction { db throws(StoreError) -> Int in
            try db.execute("DELETE FROM vehicle_position_history WHERE fix_at_ms < ?", .integer(cutoff.milliseconds))
        }
    }

    /// A vehicle's fixes since `since`, newest first, at most `limit`. It scans the window across
    /// vehicles (the history is keyed time-first): fine for a shipment's recent track.
    public func track(vehicleId: String, since: Timestamp, limit: Int = 500) throws(StoreError) -> [(fixAtMilliseconds: Int64, lat: Double, lon: Double, speedKmh: Double)] {
        try database.with { db throws(StoreError) in
            try db.query("""
                SELECT fix_at_ms, lat, lon, speed_kmh FROM vehicle_position_history
                WHERE fix_at_ms >= ? AND vehicle_id = ? ORDER BY fix_at_ms DESC LIMIT ?
                """, .integer(since.milliseconds), .text(vehicleId), .integer(Int64(limit)))
                .map { ($0.int64(0), $0.double(1), $0.double(2), $0.double(3)) }
        }
    }

    /// History rows and vehicles with a latest position.
    public func counts() throws(StoreError) -> (history: Int, vehicles: Int) {
        try database.with { db throws(StoreError) in
            let history = try db.first("SELECT COUNT(*) FROM vehicle_position_history")?.int(0) ?? 0
            let vehicles = try db.first("SELECT COUNT(*) FROM vehicle_latest_position")?.int(0) ?? 0
            return (history, vehicles)
        }
    }
}

/// The consumed positions the core keeps in its own database, written in the same transaction as
/// what it applied; a stored offset never moves back.
public enum ConsumerOffsets {
    public static func record(_ consumed: [ConsumedPosition], group: String, in db: any SQLDatabase) throws(StoreError) {
        for position in consumed {
            try db.execute("""
                INSERT INTO consumer_offsets (group_id, topic, partition, next_offset) VALUES (?, ?, ?, ?)
                ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = excluded.next_offset
                WHERE excluded.next_offset > consumer_offsets.next_offset
                """, .text(group), .text(position.topic), .integer(Int64(position.partition)), .integer(position.nextOffset))
        }
    }

    public static func stored(group: String, topic: String, in db: any SQLDatabase) throws(StoreError) -> [Int32: Int64] {
        var result: [Int32: Int64] = [:]
        for row in try db.query("SELECT partition, next_offset FROM consumer_offsets WHERE group_id = ? AND topic = ?", .text(group), .text(topic)) {
            result[Int32(row.int64(0))] = row.int64(1)
        }
        return result
    }
}
