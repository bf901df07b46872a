public import HubStore
public import Logging
public import ServiceLifecycle
import HubContracts
public import Foundation

/// Keeps each active shipment's ETA current from its truck's latest position and recent speed,
/// flags it late when the ETA passes the promised date, and republishes the views of the orders
/// it carries (with the truck's position) when the ETA moved by a minute or more or the late flag
/// changed. Runs every `interval`.
public final class EtaUpdater: Service, Sendable {
    private let store: CoreStore
    private let topics: CoreRules.Topics
    private let interval: Duration
    private let logger: Logger
    private let queue = StoreQueue(label: "eta")

    public init(store: CoreStore, topics: CoreRules.Topics = .init(), interval: Duration = .seconds(30), logger: Logger = Logger(label: "lubehub.core.eta")) {
        self.store = store
        self.topics = topics
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        // The wait between rounds ends at once on graceful shutdown, not after up to `interval`.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let updated = try await self.queue.run { [self] () throws(StoreError) in try self.updateOnce(now: Date()) }
                    if updated > 0 { self.logger.debug("ETAs updated", metadata: ["shipments": "\(updated)"]) }
                } catch {
                    // Busy or unreachable: the next round tries again; ETAs are derived state, nothing is lost.
                    self.logger.warning("ETA round failed; trying again next round", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// One round over the active shipments; the number whose ETA or late flag changed.
    @discardableResult
    public func updateOnce(now: Date) throws(StoreError) -> Int {
        let active = try store.read { db throws(StoreError) in
            try db.query("""
                SELECT s.shipment_id, s.destination_lat, s.destination_lon, s.eta, s.late, p.lat, p.lon, p.fix_at, s.vehicle_id
                FROM shipments s JOIN vehicle_latest_position p ON p.vehicle_id = s.vehicle_id
                WHERE s.status IN ('assigned', 'dispatched') AND s.destination_lat IS NOT NULL
                """)
        }
        var changed = 0
        for row in active {
            guard let shipmentId = row.string(0), let fixAt = row.string(7).flatMap(Timestamp.init(parsing:)) else { continue }
            let destination = GeoPosition(lat: row.double(1), lon: row.double(2))
            let recent = try store.read { db throws(StoreError) in
                try db.query("SELECT speed_kmh FROM vehicle_position_history WHERE fix_at_ms >= ? AND vehicle_id = ? ORDER BY fix_at_ms DESC LIMIT 60",
                             .integer(fixAt.milliseconds - 30 * 60 * 1000), .text(row.string(8) ?? "")).map { $0.double(0) }
            }
            let eta = Timestamp(EtaEstimator.estimate(position: GeoPosition(lat: row.double(5), lon: row.double(6)), positionAt: fixAt.date,
                                                      destination: destination, recentSpeedsKmh: recent))
            let previous = row.string(3).flatMap(Timestamp.init(parsing:))
            let moved = previous.map { abs($0.date.timeIntervalSince(eta.date)) >= 60 } ?? true
            let wasLate = row.int(4) != 0
            let updated = try store.read { db throws(StoreError) -> Bool in
                try db.transaction { () throws(StoreError) -> Bool in
                    try db.execute("UPDATE shipments SET eta = ? WHERE shipment_id = ?", .text(eta.text), .text(shipmentId))
                    try ShipmentRules.refreshLateFlag(shipmentId, in: db)
                    let late = try db.first("SELECT late FROM shipments WHERE shipment_id = ?", .text(shipmentId))?.int(0) != 0
                    guard moved || late != wasLate else { return false }
                    let trigger = CanonicalEvent(id: "eta:\(shipmentId):\(eta.text)", type: "shipment.eta-reported", source: CoreRules.producerName,
                                                 occurredAt: Timestamp(now), subject: shipmentId,
                                                 data: ShipmentEtaReported(shipmentId: shipmentId, eta: eta, reportedBy: .hub))
                    let context = RuleContext(event: trigger, source: EventSource(group: "eta", topic: "", partition: 0, offset: 0), db: db, now: Timestamp(now), topics: topics)
                    try ShipmentRules.publishViews(ofOrdersOn: shipmentId, context)
                    return true
                }
            }
            if updated { changed += 1 }
        }
        return changed
    }
}
