public import Foundation
public import HubContracts

/// What the figures need to know of a shipment.
public struct ShipmentFacts: Sendable, Equatable {
    public var shipmentId: String
    public var carrierId: String
    public var dispatchedAt: Date?
    public var deliveredAt: Date?
    public var promisedDate: CalendarDate?
    /// Whether the carrier reported an exception for it.
    public var hadException: Bool
    /// When the carrier reported it arrived (nil: it reported only the delivery).
    public var arrivedAt: Date?
    /// The carrier's first estimate of the arrival.
    public var firstCarrierEta: Date?
    /// Milliseconds in transit its truck reported at least once a minute, as they stood at delivery.
    public var gpsCoveredMilliseconds: Int64

    public init(shipmentId: String, carrierId: String, dispatchedAt: Date?, deliveredAt: Date?, promisedDate: CalendarDate?, hadException: Bool,
                arrivedAt: Date? = nil, firstCarrierEta: Date? = nil, gpsCoveredMilliseconds: Int64 = 0) {
        (self.shipmentId, self.carrierId, self.dispatchedAt, self.deliveredAt) = (shipmentId, carrierId, dispatchedAt, deliveredAt)
        (self.promisedDate, self.hadException, self.arrivedAt, self.firstCarrierEta) = (promisedDate, hadException, arrivedAt, firstCarrierEta)
        self.gpsCoveredMilliseconds = gpsCoveredMilliseconds
    }
}

/// What a shipment adds to its carrier's figures (and the company's), in the month it was delivered
/// (before that, the month it left; nothing before it left): delivered, on time when delivered on or
/// before the promised date (China Standard Time), whether it had an exception, and — once
/// delivered, when the carrier gave an estimate — how far its first estimate was from the arrival
/// (the reported arrival, else the delivery), in whole minutes either way, kept when it arrived no
/// later than ``etaTolerance`` after it; and its minutes in transit (leaving to arriving) with the
/// minutes of them its truck reported its position at least once a minute.
public enum ShipmentFigures {
    /// How late after its estimate a shipment may arrive and still count as kept.
    public static let etaTolerance: TimeInterval = 30 * 60

    public static func entries(of shipment: ShipmentFacts) -> FigureEntries {
        var figures = FigureEntries()
        guard let when = shipment.deliveredAt ?? shipment.dispatchedAt else { return figures }
        var measures = AnalyticsMeasures()
        if let delivered = shipment.deliveredAt {
            measures.shipmentsDelivered = 1
            if let promised = shipment.promisedDate?.dayNumber {
                measures.deliveryPromised = 1
                measures.deliveredOnTime = FigureMonth.localDay(delivered) <= promised ? 1 : 0
            }
        }
        if let delivered = shipment.deliveredAt, let eta = shipment.firstCarrierEta {
            let arrival = shipment.arrivedAt ?? delivered
            measures.etaCompared = 1
            measures.etaErrorMinutes = Int64((abs(arrival.timeIntervalSince(eta)) / 60).rounded())
            measures.etaKept = arrival <= eta.addingTimeInterval(etaTolerance) ? 1 : 0
        }
        if let delivered = shipment.deliveredAt, let left = shipment.dispatchedAt {
            // Whole minutes, each rounded on its own; the covered time never more than the trip.
            let transit = Int64((max(0, (shipment.arrivedAt ?? delivered).timeIntervalSince(left)) / 60).rounded())
            measures.transitMinutes = transit
            measures.gpsCoveredMinutes = min(transit, Int64((Double(shipment.gpsCoveredMilliseconds) / 60_000).rounded()))
        }
        measures.shipmentExceptions = shipment.hadException ? 1 : 0
        figures.add(measures, scopes: [FigureScope(.carrier, shipment.carrierId), FigureScope(.company, FigureKey.company)], lines: [FigureKey.allLines],
                    month: FigureMonth(when))
        return figures
    }
}
