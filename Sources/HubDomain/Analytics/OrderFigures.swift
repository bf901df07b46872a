public import Foundation
public import HubContracts

/// What the figures need to know of an order, as the core stored it.
public struct OrderFacts: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        /// The material's product line when the order was placed.
        public var productLine: String
        /// What left with the goods, fixed when the order was dispatched; nil before.
        public var taken: Taken?

        public init(productLine: String, taken: Taken?) {
            (self.productLine, self.taken) = (productLine, taken)
        }
    }

    /// A dispatched line: the quantity that left (confirmed, else ordered) in litres and kilograms,
    /// what it sells for and what it cost (nil when the ERP sent no cost for the material at the plant).
    public struct Taken: Sendable, Equatable {
        public var millilitres: Int64
        public var grams: Int64
        public var revenueFen: Int64
        public var costFen: Int64?

        public init(millilitres: Int64, grams: Int64, revenueFen: Int64, costFen: Int64?) {
            (self.millilitres, self.grams, self.revenueFen, self.costFen) = (millilitres, grams, revenueFen, costFen)
        }
    }

    public struct Rating: Sendable, Equatable {
        public var productQuality: Int
        public var dispatchSpeed: Int
        public var serviceQuality: Int

        public init(productQuality: Int, dispatchSpeed: Int, serviceQuality: Int) {
            (self.productQuality, self.dispatchSpeed, self.serviceQuality) = (productQuality, dispatchSpeed, serviceQuality)
        }
    }

    public var orderId: String
    public var attribution: DealerAttribution
    public var status: OrderStatus
    /// When the order was placed (the submission's time).
    public var placedAt: Date
    public var lines: [Line]
    public var confirmedAt: Date?
    public var promisedDate: CalendarDate?
    public var dispatchedAt: Date?
    /// The plant the goods left from and the carrier that took them, fixed at dispatch.
    public var plantId: String?
    public var carrierId: String?
    public var rating: Rating?
    public var receiptScore: Int?

    public init(orderId: String, attribution: DealerAttribution, status: OrderStatus, placedAt: Date, lines: [Line], confirmedAt: Date? = nil,
                promisedDate: CalendarDate? = nil, dispatchedAt: Date? = nil, plantId: String? = nil, carrierId: String? = nil,
                rating: Rating? = nil, receiptScore: Int? = nil) {
        self.orderId = orderId
        self.attribution = attribution
        self.status = status
        self.placedAt = placedAt
        self.lines = lines
        self.confirmedAt = confirmedAt
        self.promisedDate = promisedDate
        self.dispatchedAt = dispatchedAt
        self.plantId = plantId
        self.carrierId = carrierId
        self.rating = rating
        self.receiptScore = receiptScore
    }
}

/// What an order adds to the figures (README, "The figures"):
/// - in the month it was **placed**: one order submitted; valid when the core accepted it and it was
///   not cancelled; rejected; cancelled; executed once it was dispatched — for its dealer's scopes,
///   under each product line it has a line of and under all lines;
/// - in the month it was **dispatched**: each line's taken volume (the confirmed quantity, else the
///   ordered one, in litres and kilograms), revenue (its price × that quantity) and cost — for the
///   dealer's scopes and the plant, under the line's product line and all lines; and the order's
///   dispatch against the promised date, confirmation-to-dispatch time, the dealer's ratings and the
///   receipt's speed — for the dealer's scopes, the plant and the carrier.
public enum OrderFigures {
    public static func entries(of order: OrderFacts) -> FigureEntries {
        var figures = FigureEntries()
        let scopes = order.attribution.scopes
        let lines = Set(order.lines.map(\.productLine)).union([FigureKey.allLines])

        var placed = AnalyticsMeasures()
        placed.ordersSubmitted = 1
        switch order.status {
        case .rejected: placed.ordersRejected = 1
        case .cancelled: placed.ordersCancelled = 1
        case .submitted: break
        default: placed.ordersValid = 1
        }
        if isExecuted(order.status) { placed.ordersExecuted = 1 }
        figures.add(placed, scopes: scopes, lines: lines, month: FigureMonth(order.placedAt))

        guard let dispatchedAt = order.dispatchedAt, isExecuted(order.status) else { return figures }
        let month = FigureMonth(dispatchedAt)
        let producing = scopes + (order.plantId.map { [FigureScope(.plant, $0)] } ?? [])
        for line in order.lines {
            guard let taken = line.taken else { continue }
            var measures = AnalyticsMeasures()
            measures.takenMl = taken.millilitres
            measures.takenG = taken.grams
            measures.revenueFen = taken.revenueFen
            if let cost = taken.costFen { measures.costFen = cost } else { measures.uncostedRevenueFen = taken.revenueFen }
            figures.add(measures, scopes: producing, lines: [line.productLine, FigureKey.allLines], month: month)
        }

        var execution = AnalyticsMeasures()
        if let promised = order.promisedDate?.dayNumber {
            execution.dispatchPromised = 1
            execution.dispatchedOnTime = FigureMonth.localDay(dispatchedAt) <= promised ? 1 : 0
        }
        if let confirmedAt = order.confirmedAt {
            execution.confirmDispatchCount = 1
            execution.confirmDispatchMinutes = max(0, Int64((dispatchedAt.timeIntervalSince(confirmedAt) / 60).rounded(.down)))
        }
        if let rating = order.rating {
            execution.ratedOrders = 1
            execution.qualitySum = Int64(rating.productQuality)
            execution.dispatchSpeedSum = Int64(rating.dispatchSpeed)
            execution.serviceSum = Int64(rating.serviceQuality)
        }
        if let receipt = order.receiptScore {
            execution.receiptScored = 1
            execution.receiptSum = Int64(receipt)
        }
        let executing = producing + (order.carrierId.map { [FigureScope(.carrier, $0)] } ?? [])
        figures.add(execution, scopes: executing, lines: lines, month: month)
        return figures
    }

    /// The facts as far as the figures tell them apart: statuses that count alike made one (an
    /// order delivered counts as one dispatched). Two orders' facts with the same figures view
    /// contribute the same, so the core skips working out a change that cannot be there.
    public static func figuresView(_ order: OrderFacts) -> OrderFacts {
        var view = order
        view.status = switch order.status {
        case .rejected, .cancelled, .submitted: order.status
        case _ where isExecuted(order.status): .dispatched
        default: .accepted
        }
        return view
    }

    /// Whether an order in `status` has left the plant.
    public static func isExecuted(_ status: OrderStatus) -> Bool {
        [.dispatched, .delivered, .received, .rated].contains(status)
    }

    /// What a line that left adds: `quantity` (confirmed, else ordered) in millilitres and grams
    /// (0 when the ERP's material master gave no volume or weight), revenue at the line's price and
    /// cost at the plant's cost per unit, each rounded half away from zero to the fen.
    public static func taken(quantity: Decimal, unitPrice: Decimal?, litresPerUnit: Decimal?, kilogramsPerUnit: Decimal?,
                             unitCost: Decimal?) -> OrderFacts.Taken {
        OrderFacts.Taken(millilitres: MinorUnits.whole(quantity * (litresPerUnit ?? 0), scale: 3),
                         grams: MinorUnits.whole(quantity * (kilogramsPerUnit ?? 0), scale: 3),
                         revenueFen: MinorUnits.whole(quantity * (unitPrice ?? 0), scale: 2),
                         costFen: unitCost.map { MinorUnits.whole(quantity * $0, scale: 2) })
    }
}
