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

    public init(shipmentId: String, carrierId: String, dispatchedAt: Date?, deliveredAt: Date?, promisedDate: CalendarDate?, hadException: Bool) {
        (self.shipmentId, self.carrierId, self.dispatchedAt, self.deliveredAt) = (shipmentId, carrierId, dispatchedAt, deliveredAt)
        (self.promisedDate, self.hadException) = (promisedDate, hadException)
    }
}

/// What a shipment adds to its carrier's figures (and the company's), in the month it was delivered
/// (before that, the month it left; nothing before it left): delivered, on time when delivered on or
/// before the promised date (China Standard Time), and whether it had an exception.
public enum ShipmentFigures {
    public static func contributions(of shipment: ShipmentFacts) -> FigureContributions {
        var figures = FigureContributions()
        guard let when = shipment.deliveredAt ?? shipment.dispatchedAt else { return figures }
        var measures = AnalyticsMeasures()
        if let delivered = shipment.deliveredAt {
            measures.shipmentsDelivered = 1
            if let promised = shipment.promisedDate?.dayNumber {
                measures.deliveryPromised = 1
                measures.deliveredOnTime = FigureMonth.localDay(delivered) <= promised ? 1 : 0
            }
        }
        measures.shipmentExceptions = shipment.hadException ? 1 : 0
        figures.add(measures, scopes: [(.carrier, shipment.carrierId), (.company, FigureKey.company)], lines: [FigureKey.allLines],
                    month: FigureMonth(when))
        return figures
    }
}
