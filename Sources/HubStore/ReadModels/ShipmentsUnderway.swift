public import HubContracts

/// A shipment on its way whose truck has a position: what the ETA is estimated from.
public struct ShipmentUnderway: Sendable, Equatable {
    public var shipmentId: String
    public var vehicleId: String
    public var destination: GeoPosition
    public var eta: Timestamp?
    public var late: Bool
    public var position: GeoPosition
    public var positionAt: Timestamp
}

/// The shipments on their way and their trucks' recent speeds: what the core's ETA rounds read.
public struct ShipmentsUnderway {
    let db: any SQLDatabase

    /// The shipments assigned or dispatched, with a destination and a truck that reported a position.
    public func all() throws(StoreError) -> [ShipmentUnderway] {
        try db.query("""
            SELECT s.shipment_id, s.destination_lat, s.destination_lon, s.eta, s.late, p.lat, p.lon, p.fix_at, s.vehicle_id
            FROM shipments s JOIN vehicle_latest_position p ON p.vehicle_id = s.vehicle_id
            WHERE s.status IN ('assigned', 'dispatched') AND s.destination_lat IS NOT NULL
            """).compactMap { row in
            guard let shipmentId = row.string(0), let fixAt = row.string(7).flatMap(Timestamp.init(parsing:)) else { return nil }
            return ShipmentUnderway(shipmentId: shipmentId, vehicleId: row.string(8) ?? "", destination: GeoPosition(lat: row.double(1), lon: row.double(2)),
                                    eta: row.string(3).flatMap(Timestamp.init(parsing:)), late: row.int(4) != 0,
                                    position: GeoPosition(lat: row.double(5), lon: row.double(6)), positionAt: fixAt)
        }
    }

    /// A truck's speeds since `since`, newest first, at most `limit`.
    public func recentSpeeds(vehicleId: String, since: Timestamp, limit: Int = 60) throws(StoreError) -> [Double] {
        try db.query("SELECT speed_kmh FROM vehicle_position_history WHERE fix_at_ms >= ? AND vehicle_id = ? ORDER BY fix_at_ms DESC LIMIT ?",
                     .integer(since.milliseconds), .text(vehicleId), .integer(Int64(limit))).map { $0.double(0) }
    }
}
