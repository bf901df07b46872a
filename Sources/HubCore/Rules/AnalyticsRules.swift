import HubContracts
import HubDomain
import HubStore

/// Keeps the figures (R4, R8) in the transaction of the event that changes them: the contributions
/// of every order, shipment and contract the event may touch are read before and after the rule
/// runs, and only the difference is added — so a cancelled order takes back what it added, a late
/// event lands in the month it happened, and an event applied once counts once (the transaction
/// records it as applied with the figures).
enum AnalyticsRules {
    /// What an event may change the figures of.
    struct Touched {
        var orders: Set<String> = []
        var shipments: Set<String> = []
        var contracts: Set<String> = []
    }

    /// Runs `rule`; when it applied, adds the change it made to the figures of what `touched` names
    /// (a shipment also touches the orders it carries). `touched` must name, before the rule runs,
    /// everything the rule can change: what was not read before cannot be told apart afterwards.
    static func tracking(_ touched: Touched, _ context: RuleContext,
                         rule: () throws(StoreError) -> ApplyOutcome) throws(StoreError) -> ApplyOutcome {
        let analytics = context.tables.analytics
        var touched = touched
        for shipmentId in touched.shipments { touched.orders.formUnion(try context.tables.shipments.orders(on: shipmentId)) }
        let before = try contributions(of: touched, analytics)
        let outcome = try rule()
        guard outcome == .applied else { return outcome }
        let change = FigureContributions.change(from: before, to: try contributions(of: touched, analytics))
        if !change.isEmpty { try analytics.add(change) }
        return outcome
    }

    /// What `touched` contributes now.
    static func contributions(of touched: Touched, _ analytics: AnalyticsTable) throws(StoreError) -> FigureContributions {
        var figures = FigureContributions()
        for orderId in touched.orders.sorted() {
            if let facts = try analytics.orderFacts(orderId) { figures.add(OrderFigures.contributions(of: facts)) }
        }
        for shipmentId in touched.shipments.sorted() {
            if let facts = try analytics.shipmentFacts(shipmentId) { figures.add(ShipmentFigures.contributions(of: facts)) }
        }
        for contractId in touched.contracts.sorted() {
            if let facts = try analytics.contractFacts(contractId) { figures.add(ContractFigures.contributions(of: facts)) }
        }
        return figures
    }

    /// Fixes what left when an order was dispatched: the plant, the carrier and each line's taken
    /// volume, revenue and cost (``OrderFigures/taken(quantity:unitPrice:litresPerUnit:kilogramsPerUnit:unitCost:)``).
    /// Called before the order's reservations are released (they say which plant).
    static func recordDispatch(_ orderId: String, _ dispatched: OrderDispatched, _ tables: CoreTransaction) throws(StoreError) {
        let inputs = try tables.orders.dispatchInputs(orderId, shipmentId: dispatched.shipmentId)
        try tables.orders.recordDispatch(orderId, at: dispatched.dispatchedAt, plantId: inputs.plantId, carrierId: inputs.carrierId, lines: inputs.lines.map {
            ($0.lineNo, $0.quantity, OrderFigures.taken(quantity: $0.quantity, unitPrice: $0.unitPrice, litresPerUnit: $0.litresPerUnit,
                                                        kilogramsPerUnit: $0.kilogramsPerUnit, unitCost: $0.unitCost))
        })
    }

    /// Every figure added up from the stored facts, as `lubehub analytics rebuild` writes them; reads
    /// orders `pageSize` at a time and reports each page's count to `progress`.
    static func rebuilt(_ analytics: AnalyticsTable, pageSize: Int = 5_000, progress: (Int) -> Void = { _ in }) throws(StoreError) -> FigureContributions {
        var figures = FigureContributions()
        var last = ""
        while true {
            let page = try analytics.orderFacts(after: last, limit: pageSize)
            guard let end = page.last else { break }
            for order in page { figures.add(OrderFigures.contributions(of: order)) }
            last = end.orderId
            progress(page.count)
        }
        for shipment in try analytics.allShipmentFacts() { figures.add(ShipmentFigures.contributions(of: shipment)) }
        for contract in try analytics.allContractFacts() { figures.add(ContractFigures.contributions(of: contract)) }
        return figures
    }
}
