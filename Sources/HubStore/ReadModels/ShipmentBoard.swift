public import HubContracts

/// The shipments on their way, with each truck's latest fix: what staff's map of trucks and a
/// carrier's own view show. Staff see the shipments to the dealers in their scope; a carrier its
/// own shipments.
public struct ShipmentBoard {
    public enum Scope: Sendable, Equatable {
        case dealers(DealerVisibility)
        case carrier(String)
    }

    public struct Row: Sendable, Equatable, Codable {
        public struct Fix: Sendable, Equatable, Codable {
            public var lat: Double
            public var lon: Double
            public var at: String
            public var speedKmh: Double
        }
        public var shipmentId: String
        public var carrierId: String
        public var status: String
        public var plate: String?
        public var driverName: String?
        public var destinationDealerId: String?
        public var dispatchedAt: String?
        public var eta: String?
        public var carrierEta: String?
        public var promisedDate: String?
        public var late: Bool
        public var exception: String?
        public var position: Fix?
    }

    /// Statuses of a shipment not yet delivered.
    public static let open = ["created", "assigned", "dispatched", "arrived"]

    let db: any SQLDatabase

    /// The open shipments in `scope`, late ones first, then by ETA; at most `limit`.
    public func open(_ scope: Scope, limit: Int = 2_000) throws(StoreError) -> [Row] {
        let (condition, binds): (String, [SQLValue]) = switch scope {
        case .dealers(let visibility): visibility.condition(on: "s.destination_dealer_id")
        case .carrier(let carrierId): ("s.carrier_id = ?", [.text(carrierId)])
        }
        let rows = try db.query("""
            SELECT s.shipment_id, s.carrier_id, s.status, s.plate, s.driver_name, s.destination_dealer_id, s.dispatched_at, s.eta, s.carrier_eta,
                   s.promised_date, s.late, s.exception, p.lat, p.lon, p.fix_at, p.speed_kmh
            FROM shipments s LEFT JOIN vehicle_latest_position p ON p.vehicle_id = s.vehicle_id
            WHERE s.status IN (\(SQLText.placeholders(Self.open.count))) AND \(condition)
            ORDER BY s.late DESC, s.eta, s.shipment_id LIMIT ?
            """, Self.open.map(SQLValue.text) + binds + [.integer(Int64(limit))])
        return rows.map { row in
            Row(shipmentId: row.string(0) ?? "", carrierId: row.string(1) ?? "", status: row.string(2) ?? "", plate: row.string(3), driverName: row.string(4),
                destinationDealerId: row.string(5), dispatchedAt: row.string(6), eta: row.string(7), carrierEta: row.string(8), promisedDate: row.string(9),
                late: row.int(10) != 0, exception: row.string(11),
                position: row.isNull(12) ? nil : Row.Fix(lat: row.double(12), lon: row.double(13), at: row.string(14) ?? "", speedKmh: row.double(15)))
        }
    }
}
