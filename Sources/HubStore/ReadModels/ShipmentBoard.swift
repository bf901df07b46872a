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

    /// A truck on its way with its latest fix: what the map draws.
    public struct Truck: Sendable, Equatable {
        public var shipmentId: String
        public var plate: String?
        public var destinationDealerId: String?
        public var late: Bool
        public var lat: Double
        public var lon: Double
    }

    public struct Counts: Sendable, Equatable {
        public var open: Int
        public var late: Int

        public init(open: Int, late: Int) {
            (self.open, self.late) = (open, late)
        }
    }

    /// How many shipments in `scope` are open, and how many of them late.
    public func counts(_ scope: Scope) throws(StoreError) -> Counts {
        let (condition, binds) = Self.condition(scope)
        let row = try db.query("""
            SELECT COUNT(*), COALESCE(SUM(CASE WHEN s.late <> 0 THEN 1 ELSE 0 END), 0) FROM shipments s
            WHERE s.status IN (\(SQLText.placeholders(Self.open.count))) AND \(condition)
            """, Self.open.map(SQLValue.text) + binds).first
        return Counts(open: row?.int(0) ?? 0, late: row?.int(1) ?? 0)
    }

    /// The open shipments in `scope` (only the late ones with `lateOnly`), late ones first, then by
    /// ETA; `limit` of them from `offset`.
    public func open(_ scope: Scope, lateOnly: Bool = false, offset: Int = 0, limit: Int = 2_000) throws(StoreError) -> [Row] {
        let (condition, binds) = Self.condition(scope)
        let rows = try db.query("""
            SELECT s.shipment_id, s.carrier_id, s.status, s.plate, s.driver_name, s.destination_dealer_id, s.dispatched_at, s.eta, s.carrier_eta,
                   s.promised_date, s.late, s.exception, p.lat, p.lon, p.fix_at, p.speed_kmh
            FROM shipments s LEFT JOIN vehicle_latest_position p ON p.vehicle_id = s.vehicle_id
            WHERE s.status IN (\(SQLText.placeholders(Self.open.count))) AND \(condition)\(lateOnly ? " AND s.late <> 0" : "")
            ORDER BY s.late DESC, s.eta, s.shipment_id LIMIT ? OFFSET ?
            """, Self.open.map(SQLValue.text) + binds + [.integer(Int64(limit)), .integer(Int64(offset))])
        return rows.map { row in
            Row(shipmentId: row.string(0) ?? "", carrierId: row.string(1) ?? "", status: row.string(2) ?? "", plate: row.string(3), driverName: row.string(4),
                destinationDealerId: row.string(5), dispatchedAt: row.string(6), eta: row.string(7), carrierEta: row.string(8), promisedDate: row.string(9),
                late: row.int(10) != 0, exception: row.string(11),
                position: row.isNull(12) ? nil : Row.Fix(lat: row.double(12), lon: row.double(13), at: row.string(14) ?? "", speedKmh: row.double(15)))
        }
    }

    /// The trucks of the open shipments in `scope` that have reported a fix; at most `limit`.
    public func trucks(_ scope: Scope, limit: Int = 10_000) throws(StoreError) -> [Truck] {
        let (condition, binds) = Self.condition(scope)
        return try db.query("""
            SELECT s.shipment_id, s.plate, s.destination_dealer_id, s.late, p.lat, p.lon
            FROM shipments s JOIN vehicle_latest_position p ON p.vehicle_id = s.vehicle_id
            WHERE s.status IN (\(SQLText.placeholders(Self.open.count))) AND \(condition)
            ORDER BY s.shipment_id LIMIT ?
            """, Self.open.map(SQLValue.text) + binds + [.integer(Int64(limit))]).map { row in
            Truck(shipmentId: row.string(0) ?? "", plate: row.string(1), destinationDealerId: row.string(2), late: row.int(3) != 0, lat: row.double(4), lon: row.double(5))
        }
    }

    /// Whose vehicle it is and the terminal in it; `nil` when nobody registered it.
    public func registration(of vehicleId: String) throws(StoreError) -> (carrierId: String, terminalId: String)? {
        try db.first("SELECT carrier_id, terminal_id FROM vehicles WHERE vehicle_id = ?", .text(vehicleId)).map { ($0.string(0) ?? "", $0.string(1) ?? "") }
    }

    /// A carrier's registered vehicle, what it reported last, and the open shipment it is on.
    public struct Vehicle: Sendable, Equatable {
        public var vehicleId: String
        public var plate: String
        public var terminalId: String
        public var lastFix: Row.Fix?
        public var shipmentId: String?
        /// Its terminal on the JT/T 808 gateway: online or not, and since when; `nil` when it never connected through it.
        public var terminalSession: TerminalSession?
    }

    public struct TerminalSession: Sendable, Equatable {
        public var online: Bool
        public var since: String
        public var protocolVersion: String
    }

    /// Every vehicle the carrier registered, by plate: its latest fix and the open shipment it carries (if any).
    public func fleet(of carrierId: String, limit: Int = 2_000) throws(StoreError) -> [Vehicle] {
        try db.query("""
            SELECT v.vehicle_id, v.plate, v.terminal_id, p.lat, p.lon, p.fix_at, p.speed_kmh,
                   (SELECT MIN(s.shipment_id) FROM shipments s WHERE s.vehicle_id = v.vehicle_id AND s.status IN (\(SQLText.placeholders(Self.open.count)))),
                   t.connected, t.since, t.protocol
            FROM vehicles v LEFT JOIN vehicle_latest_position p ON p.vehicle_id = v.vehicle_id
            LEFT JOIN terminal_sessions t ON t.vehicle_id = v.vehicle_id AND t.carrier_id = v.carrier_id
            WHERE v.carrier_id = ? ORDER BY v.plate, v.vehicle_id LIMIT ?
            """, Self.open.map(SQLValue.text) + [.text(carrierId), .integer(Int64(limit))]).map { row in
            Vehicle(vehicleId: row.string(0) ?? "", plate: row.string(1) ?? "", terminalId: row.string(2) ?? "",
                    lastFix: row.isNull(3) ? nil : Row.Fix(lat: row.double(3), lon: row.double(4), at: row.string(5) ?? "", speedKmh: row.double(6)),
                    shipmentId: row.string(7),
                    terminalSession: row.isNull(8) ? nil : TerminalSession(online: row.int(8) != 0, since: row.string(9) ?? "", protocolVersion: row.string(10) ?? ""))
        }
    }

    /// Terminals online on the JT/T 808 gateway now, and those that ever connected through it: all
    /// of them, or one carrier's.
    public func terminalCounts(carrierId: String? = nil) throws(StoreError) -> (online: Int, known: Int) {
        let row = try db.query("SELECT COALESCE(SUM(connected), 0), COUNT(*) FROM terminal_sessions" + (carrierId == nil ? "" : " WHERE carrier_id = ?"),
                               carrierId.map { [.text($0)] } ?? []).first
        return (Int(row?.int(0) ?? 0), Int(row?.int(1) ?? 0))
    }

    static func condition(_ scope: Scope) -> (String, [SQLValue]) {
        switch scope {
        case .dealers(let visibility): visibility.condition(on: "s.destination_dealer_id")
        case .carrier(let carrierId): ("s.carrier_id = ?", [.text(carrierId)])
        }
    }
}
