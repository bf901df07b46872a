public import HubStore
public import Logging
public import ServiceLifecycle
import HubContracts
import HubDomain
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

    public init(store: CoreStore, topics: CoreRules.Topics = .init(), interval: Duration = .seconds(30), logger: Logger = Logger(label: "lubehub.core.eta")) {
        self.store = store
        self.topics = topics
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        // Busy or unreachable: the next round tries again; ETAs are derived state, nothing is lost.
        await everyRound(interval, logger: logger, failure: "ETA round failed") {
            let updated = try await self.updateOnce(now: Date())
            if updated > 0 { self.logger.debug("ETAs updated", metadata: ["shipments": "\(updated)"]) }
        }
    }

    /// One round over the active shipments; the number whose ETA or late flag changed.
    @discardableResult
    public func updateOnce(now: Date) async throws(StoreError) -> Int {
        let underway = try await store.read { reader throws(StoreError) in try reader.shipmentsUnderway.all() }
        var changed = 0
        for shipment in underway {
            let since = Timestamp(shipment.positionAt.date.addingTimeInterval(-30 * 60))
            let recent = try await store.read { reader throws(StoreError) in try reader.shipmentsUnderway.recentSpeeds(vehicleId: shipment.vehicleId, since: since) }
            let eta = Timestamp(EtaEstimator.estimate(position: shipment.position, positionAt: shipment.positionAt.date,
                                                      destination: shipment.destination, recentSpeedsKmh: recent))
            let moved = shipment.eta.map { abs($0.date.timeIntervalSince(eta.date)) >= 60 } ?? true
            let topics = topics
            let updated = try await store.transaction { tables throws(StoreError) -> Bool in
                var change = ShipmentChange()
                change.eta = eta
                try tables.shipments.update(shipment.shipmentId, change, at: nil)
                let late = try ShipmentRules.refreshLateFlag(shipment.shipmentId, tables.shipments)
                guard moved || late != shipment.late else { return false }
                let trigger = CanonicalEvent(id: "eta:\(shipment.shipmentId):\(eta.text)", source: CoreRules.producerName, occurredAt: Timestamp(now),
                                             subject: shipment.shipmentId,
                                             data: .shipmentEtaReported(ShipmentEtaReported(shipmentId: shipment.shipmentId, eta: eta, reportedBy: .hub)))
                let context = RuleContext(event: trigger, source: EventSource(group: "eta", topic: "", partition: 0, offset: 0), tables: tables,
                                          now: Timestamp(now), topics: topics, trace: nil)
                try ShipmentRules.publishViews(ofOrdersOn: shipment.shipmentId, context)
                return true
            }
            if updated { changed += 1 }
        }
        return changed
    }
}
