public import HubContracts

/// A vehicle fix with the id of the event that carried it.
public struct IdentifiedFix: Sendable, Hashable {
    public var eventId: String
    public var fix: VehicleFix
    public var fixAtMilliseconds: Int64
    /// Whether it may become the vehicle's current position (see `FixPlausibility`); a flagged fix
    /// goes to the history only.
    public var plausible: Bool

    public init(eventId: String, fix: VehicleFix, plausible: Bool = true) {
        self.eventId = eventId
        self.fix = fix
        self.fixAtMilliseconds = fix.fixAt.milliseconds
        self.plausible = plausible
    }
}

/// Vehicle positions: the latest fix per vehicle (an older fix never replaces a newer one; a
/// repeated fix changes nothing), the position history, and the consumed offsets — all written in
/// one transaction per batch, so a batch is applied entirely or not at all.
public final class PositionStore: Sendable {
    let connection: StoreConnection

    /// A fix that would need more than this speed since the current one does not replace it (it
    /// stays in the history): the distance is measured flat, a degree as 111 km both ways, which
    /// over- rather than under-states it, plus a kilometre of GPS error.
    public let maximumSpeedKmh: Double

    /// `maximumSpeedKmh` nil: not checked.
    public init(_ location: DatabaseLocation, maximumSpeedKmh: Double? = 250) throws(StoreError) {
        // Unchecked is a limit no move reaches.
        self.maximumSpeedKmh = maximumSpeedKmh ?? 1e12
        connection = try StoreConnection(location, label: "positions")
    }

    /// Applies `fixes` and records `consumed` for `group` in one transaction; the number of history
    /// rows written (repeats are not). A busy database (another writer holds it) is waited out with
    /// backoff, never reported as a failure.
    @discardableResult
    public func apply(_ fixes: [IdentifiedFix], consumed: [ConsumedPosition], group: String) async throws -> Int {
        var backoff = BusyBackoff()
        while true {
            do {
                return try await applyOnce(fixes, consumed: consumed, group: group)
            } catch {
                guard error.isTransient else { throw error }
                try await Task.sleep(for: backoff.next())
            }
        }
    }

    private func applyOnce(_ fixes: [IdentifiedFix], consumed: [ConsumedPosition], group: String) async throws(StoreError) -> Int {
        let maximumSpeedKmh = maximumSpeedKmh
        return try await connection.transaction { db throws(StoreError) -> Int in
            // The batch is walked in order from each vehicle's stored position, a fix at a time,
            // exactly as if each were its own batch: whether a fix becomes current depends on the
            // one current before it (the speed check), so a batch must not decide it from its own
            // members alone — else where a batch starts (a restart, a rebalance) would change the
            // outcome. One upsert per vehicle whose position moved, not per fix.
            var current = try Self.storedPositions(of: Set(fixes.lazy.filter(\.plausible).map(\.fix.vehicleId)), db: db)
            var moved: [String: IdentifiedFix] = [:]
            moved.reserveCapacity(min(fixes.count, 8192))
            // Time covered by fixes at most a minute apart, per vehicle (the carriers' GPS coverage).
            var covered: [String: Int64] = [:]
            for item in fixes where item.plausible {
                let candidate = FixPoint(item)
                if let stored = current[item.fix.vehicleId] {
                    if stored.fixAtMilliseconds >= candidate.fixAtMilliseconds { continue }
                    if !Self.possibleMove(from: stored, to: candidate, maximumSpeedKmh: maximumSpeedKmh) { continue }
                    let gap = candidate.fixAtMilliseconds - stored.fixAtMilliseconds
                    if gap <= Self.coveredGapMilliseconds { covered[item.fix.vehicleId, default: 0] += gap }
                }
                current[item.fix.vehicleId] = candidate
                moved[item.fix.vehicleId] = item
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
            // The time guard stays in the statement: a writer that lost its partition in a
            // rebalance and has not noticed yet must not move a position back.
            for item in moved.values {
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
            // In the same transaction as the fixes and their offsets, so a batch read again adds nothing twice. Vehicles
            // in a fixed order: two writers touching the same shipments lock them alike.
            for (vehicleId, milliseconds) in covered.sorted(by: { $0.key < $1.key }) {
                try db.execute("UPDATE shipments SET gps_covered_ms = gps_covered_ms + ? WHERE vehicle_id = ? AND status = 'dispatched'",
                               .integer(milliseconds), .text(vehicleId))
            }
            try ConsumerOffsetTable(db: db).record(consumed, group: group)
            return inserted
        }
    }

    static let historyRowsPerStatement = 64

    /// Fixes at most this far apart cover the time between them: a truck in transit counts as
    /// tracked for the minutes it reported at least once a minute.
    static let coveredGapMilliseconds: Int64 = 60_000

    /// Where a vehicle is at a time: the part of a fix the speed check reads.
    struct FixPoint: Sendable, Equatable {
        var fixAtMilliseconds: Int64
        var lat: Double
        var lon: Double

        init(fixAtMilliseconds: Int64, lat: Double, lon: Double) {
            self.fixAtMilliseconds = fixAtMilliseconds
            self.lat = lat
            self.lon = lon
        }

        init(_ item: IdentifiedFix) {
            self.init(fixAtMilliseconds: item.fixAtMilliseconds, lat: item.fix.lat, lon: item.fix.lon)
        }
    }

    /// Whether a truck can get from `from` to `to` in the time between them: the distance measured
    /// flat, a degree as 111 km both ways (over- rather than under-stating it), plus a kilometre of
    /// GPS error.
    static func possibleMove(from: FixPoint, to: FixPoint, maximumSpeedKmh: Double) -> Bool {
        let dLat = to.lat - from.lat
        let dLon = to.lon - from.lon
        let reach = maximumSpeedKmh * Double(to.fixAtMilliseconds - from.fixAtMilliseconds) / 3_600_000 + 1
        return (dLat * dLat + dLon * dLon) * 12_321 <= reach * reach
    }

    /// The stored current position of each of `vehicleIds` that has one.
    static func storedPositions(of vehicleIds: Set<String>, db: any SQLDatabase) throws(StoreError) -> [String: FixPoint] {
        var positions: [String: FixPoint] = [:]
        positions.reserveCapacity(vehicleIds.count)
        let ids = Array(vehicleIds)
        for chunk in stride(from: 0, to: ids.count, by: 500) {
            let part = ids[chunk..<min(chunk + 500, ids.count)]
            let marks = Array(repeating: "?", count: part.count).joined(separator: ", ")
            for row in try db.query("SELECT vehicle_id, fix_at_ms, lat, lon FROM vehicle_latest_position WHERE vehicle_id IN (\(marks))",
                                    part.map { .text($0) }) {
                guard let vehicle = row.string(0) else { continue }
                positions[vehicle] = FixPoint(fixAtMilliseconds: row.int64(1), lat: row.double(2), lon: row.double(3))
            }
        }
        return positions
    }

    static func historyInsert(rows: Int) -> String {
        "INSERT INTO vehicle_position_history (fix_at_ms, vehicle_id, lat, lon, speed_kmh, heading) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
            + " ON CONFLICT DO NOTHING"
    }

    /// Whose each of `vehicleIds` is, for those registered.
    public func owners(of vehicleIds: Set<String>) async throws(StoreError) -> [String: String] {
        guard !vehicleIds.isEmpty else { return [:] }
        let ids = Array(vehicleIds)
        return try await connection.run { db throws(StoreError) -> [String: String] in
            var owners: [String: String] = [:]
            for chunk in stride(from: 0, to: ids.count, by: 500) {
                let part = ids[chunk..<min(chunk + 500, ids.count)]
                let marks = Array(repeating: "?", count: part.count).joined(separator: ", ")
                for row in try db.query("SELECT vehicle_id, carrier_id FROM vehicles WHERE vehicle_id IN (\(marks))", part.map { .text($0) }) {
                    if let vehicle = row.string(0), let carrier = row.string(1) { owners[vehicle] = carrier }
                }
            }
            return owners
        }
    }

    /// Where each partition's next read starts, as stored; partitions never seen are absent.
    public func storedOffsets(group: String, topic: String) async throws(StoreError) -> [Int32: Int64] {
        try await connection.run { db throws(StoreError) in try ConsumerOffsetTable(db: db).stored(group: group, topic: topic) }
    }

    /// The latest stored fix of a vehicle.
    public func latest(vehicleId: String) async throws(StoreError) -> LatestFix? {
        try await connection.run { db throws(StoreError) in
            try db.first("SELECT fix_at, lat, lon, event_id FROM vehicle_latest_position WHERE vehicle_id = ?", .text(vehicleId))
                .map { LatestFix(fixAt: $0.string(0) ?? "", lat: $0.double(1), lon: $0.double(2), eventId: $0.string(3) ?? "") }
        }
    }

    /// Deletes history older than `cutoff` (the latest positions stay); the number of rows deleted.
    @discardableResult
    public func pruneHistory(olderThan cutoff: Timestamp) async throws(StoreError) -> Int {
        try await connection.transaction { db throws(StoreError) -> Int in
            try db.execute("DELETE FROM vehicle_position_history WHERE fix_at_ms < ?", .integer(cutoff.milliseconds))
        }
    }

    /// A vehicle's fixes since `since`, newest first, at most `limit`. It scans the window across
    /// vehicles (the history is keyed time-first): fine for a shipment's recent track.
    public func track(vehicleId: String, since: Timestamp, limit: Int = 500) async throws(StoreError) -> [TrackPoint] {
        try await connection.run { db throws(StoreError) in
            try db.query("""
                SELECT fix_at_ms, lat, lon, speed_kmh FROM vehicle_position_history
                WHERE fix_at_ms >= ? AND vehicle_id = ? ORDER BY fix_at_ms DESC LIMIT ?
                """, .integer(since.milliseconds), .text(vehicleId), .integer(Int64(limit)))
                .map { TrackPoint(fixAtMilliseconds: $0.int64(0), lat: $0.double(1), lon: $0.double(2), speedKmh: $0.double(3)) }
        }
    }

    /// History rows and vehicles with a latest position.
    public func counts() async throws(StoreError) -> (history: Int, vehicles: Int) {
        try await connection.run { db throws(StoreError) in
            let history = try db.first("SELECT COUNT(*) FROM vehicle_position_history")?.int(0) ?? 0
            let vehicles = try db.first("SELECT COUNT(*) FROM vehicle_latest_position")?.int(0) ?? 0
            return (history, vehicles)
        }
    }

    /// Every fix in the history, as vehicle and fix time in seconds: what a benchmark looks its fixes up in.
    public func historyKeys() async throws(StoreError) -> Set<String> {
        try await connection.run { db throws(StoreError) in
            Set(try db.query("SELECT vehicle_id, fix_at_ms FROM vehicle_position_history").map { "\($0.string(0) ?? "")@\($0.int(1) / 1000)" })
        }
    }
}

/// A vehicle's latest stored fix.
public struct LatestFix: Sendable, Equatable {
    public var fixAt: String
    public var lat: Double
    public var lon: Double
    public var eventId: String
}

/// One fix of a vehicle's track.
public struct TrackPoint: Sendable, Equatable {
    public var fixAtMilliseconds: Int64
    public var lat: Double
    public var lon: Double
    public var speedKmh: Double
}
