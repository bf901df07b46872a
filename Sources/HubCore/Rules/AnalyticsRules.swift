import HubContracts
import HubDomain
import HubStore

/// Keeps the figures (R4, R8) in the transaction of the events that change them: every order,
/// shipment, contract, fund entry and sell-through record an event may touch is noted with its
/// facts as they were, and before the transaction commits only the difference of their
/// contributions is added — so a cancelled order takes back what it added, a late event lands in
/// the month it happened, and an event applied once counts once (the transaction records it as
/// applied with the figures).
enum AnalyticsRules {
    /// What an event may change the figures of.
    struct Touched {
        var orders: Set<String> = []
        var shipments: Set<String> = []
        var contracts: Set<String> = []
        var funds: Set<String> = []
        var sellThrough: [SellThroughFacts.Key] = []
    }

    /// Runs `rule`; when it applied, notes what `touched` names with its facts as they were before
    /// the transaction first changed it, for the transaction to settle the figures just before it
    /// commits (``settle(_:_:)``). `touched` must name, before the rule runs, everything the rule can
    /// change — what was not read before cannot be told apart afterwards — except an order the rule
    /// moves along with a shipment: the move notes it itself (``noteChange(ofOrder:_:)``), so the
    /// orders a shipment carries are read only when one of them moves, not at every report on the
    /// shipment (half of the orders' reads on the benchmark's ingest slice were of orders a
    /// shipment's arrival, estimate or exception left as they were).
    static func tracking(_ touched: Touched, _ context: RuleContext,
                         rule: () throws(StoreError) -> ApplyOutcome) throws(StoreError) -> ApplyOutcome {
        let analytics = context.tables.analytics
        guard let buffer = analytics.buffer else { return try rule() }
        var befores = FigureBuffer.Befores()
        for id in touched.orders where buffer.befores.orders[id] == nil { befores.orders[id] = .some(try analytics.orderFacts(id)) }
        for id in touched.shipments where buffer.befores.shipments[id] == nil { befores.shipments[id] = .some(try analytics.shipmentFacts(id)) }
        for id in touched.contracts where buffer.befores.contracts[id] == nil { befores.contracts[id] = .some(try analytics.contractFacts(id)) }
        for id in touched.funds where buffer.befores.funds[id] == nil { befores.funds[id] = .some(try analytics.fundFacts(id)) }
        for key in touched.sellThrough where buffer.befores.sellThrough[key] == nil {
            befores.sellThrough[key] = .some(try analytics.sellThroughFacts(dealerId: key.dealerId, recordId: key.recordId))
        }
        buffer.noting = befores
        defer { buffer.noting = nil }
        let outcome = try rule()
        guard outcome == .applied, let noted = buffer.noting else { return outcome }
        buffer.befores.orders.merge(noted.orders) { first, _ in first }
        buffer.befores.shipments.merge(noted.shipments) { first, _ in first }
        buffer.befores.contracts.merge(noted.contracts) { first, _ in first }
        buffer.befores.funds.merge(noted.funds) { first, _ in first }
        buffer.befores.sellThrough.merge(noted.sellThrough) { first, _ in first }
        buffer.settle = settle
        return outcome
    }

    /// Notes an order the running rule is about to change, with its facts as they were before the
    /// transaction first changed it, unless it is noted already. Outside a rule that keeps the
    /// figures it does nothing: such a rule changes nothing the figures read (``CoreRules``).
    static func noteChange(ofOrder orderId: String, _ context: RuleContext) throws(StoreError) {
        let analytics = context.tables.analytics
        guard let buffer = analytics.buffer, let noting = buffer.noting,
              buffer.befores.orders[orderId] == nil, noting.orders[orderId] == nil else { return }
        buffer.noting?.orders[orderId] = .some(try analytics.orderFacts(orderId))
    }

    /// The change of the figures: each thing's entries now less its entries before, spread over
    /// their scopes and lines only when something is left (``FigureEntries``).
    /// Most events move an order without changing what it counts for (allocated, delivered): those
    /// are passed over without working anything out.
    static func settle(_ befores: FigureBuffer.Befores, _ analytics: AnalyticsTable) throws(StoreError) -> FigureContributions {
        var change = FigureContributions()
        // Room for about the rows a changed fact spreads into, at once: growing the table row by row showed in the profile.
        change.reserveCapacity((befores.orders.count + befores.shipments.count + befores.sellThrough.count) * 4)
        // An order's facts carry more than its figures read (its status, say): compared by what counts.
        try difference(befores.orders.mapValues { $0.map(OrderFigures.figuresView) }, into: &change, OrderFigures.entries(of:)) { id throws(StoreError) in
            try analytics.orderFacts(id).map(OrderFigures.figuresView)
        }
        try difference(befores.shipments, into: &change, ShipmentFigures.entries(of:)) { id throws(StoreError) in try analytics.shipmentFacts(id) }
        try difference(befores.contracts, into: &change, ContractFigures.entries(of:)) { id throws(StoreError) in try analytics.contractFacts(id) }
        try difference(befores.funds, into: &change, FundFigures.entries(of:)) { id throws(StoreError) in try analytics.fundFacts(id) }
        try difference(befores.sellThrough, into: &change, SellThroughFigures.entries(of:)) { key throws(StoreError) in
            try analytics.sellThroughFacts(dealerId: key.dealerId, recordId: key.recordId)
        }
        return change
    }

    /// Adds to `change`, for each thing whose facts differ from `befores`, its entries now less its
    /// entries before (a thing that did not exist before, or no longer does, adds nothing on that side).
    private static func difference<Key, Facts: Equatable>(_ befores: [Key: Facts?], into change: inout FigureContributions,
                                                          _ entries: (Facts) -> FigureEntries,
                                                          now: (Key) throws(StoreError) -> Facts?) throws(StoreError) {
        for (key, before) in befores {
            let after = try now(key)
            guard before != after else { continue }
            var delta = after.map(entries) ?? FigureEntries()
            if let before { delta.subtract(entries(before)) }
            delta.spread(into: &change)
        }
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
        try analytics.holdWriters()
        var figures = FigureContributions()
        var last = ""
        while true {
            let page = try analytics.orderFacts(after: last, limit: pageSize)
            guard let end = page.last else { break }
            for order in page { OrderFigures.entries(of: order).spread(into: &figures) }
            last = end.orderId
            progress(page.count)
        }
        for shipment in try analytics.allShipmentFacts() { ShipmentFigures.entries(of: shipment).spread(into: &figures) }
        for contract in try analytics.allContractFacts() { ContractFigures.entries(of: contract).spread(into: &figures) }
        for fund in try analytics.allFundFacts() { FundFigures.entries(of: fund).spread(into: &figures) }
        for record in try analytics.allSellThroughFacts() { SellThroughFigures.entries(of: record).spread(into: &figures) }
        for day in try analytics.allSignInFacts() { SignInFigures.entries(of: day).spread(into: &figures) }
        return figures
    }
}
