public import HubContracts
public import Foundation
import WireFormats

/// Years of the company's business, laid down month by month as the events the hub's core reads
/// (R4's history): each tier-1 dealer's orders (about four a month, with the season and the dealer's
/// own trend), the ERP's confirmation and delivery, the carrier's dispatch, exceptions and delivery,
/// the dealer's receipt and rating, cancellations — each year's quantity contracts per product
/// line and market-development budget, the months' promotion and market-development spends (a few
/// reversed), and what the dealers' own systems report: their sales to their customers
/// (sell-through) and, at each month's end, a count of their stock. Canonical events on the core's own topics, as the adapters and the API publish them (the
/// adapters' IDoc mapping is tested apart; this is for the figures). Pure and seeded: the same
/// company and plan give the same history.
public struct CompanyHistory: Sendable {
    public struct Plan: Sendable {
        /// How many months, ending with the month before `endingBefore`.
        public var months = 36
        /// The first month not in the history (China Standard Time): by default this month.
        public var endingBefore: (year: Int, month: Int) = CompanyHistory.monthOf(Date())
        public var ordersPerDealerMonth = 4.0
        /// Only the first this many tier-1 dealers order (nil: all of them).
        public var dealers: Int?
        /// What the history's order ids start with (`H0000000001`): another history of the same company
        /// (the demo's dormant dealer) takes another prefix so the two never share an order.
        public var orderPrefix = "H"
        /// The number the history's orders count on from (the ERP's order and delivery numbers derive from it).
        public var firstOrderNumber = 0

        public init() {}
    }

    /// One event and the topic it goes on.
    public struct Entry: Sendable {
        public var topic: String
        public var event: CanonicalEvent
    }

    public let company: Company
    public let plan: Plan
    private let dealers: [Company.Dealer]
    private let materialsByChannel: [String: [Company.Material]]
    private let branchPlants: [Int: [String]]
    private var orderNumber = 0

    public init(company: Company, plan: Plan) {
        self.company = company
        self.plan = plan
        dealers = Array(company.tier1.prefix(plan.dealers ?? .max))
        materialsByChannel = Dictionary(grouping: company.materials, by: \.channel)
        branchPlants = Dictionary(uniqueKeysWithValues: company.branches.enumerated().map { ($0.offset, $0.element.plants) })
        orderNumber = plan.firstOrderNumber
    }

    /// Lubricants sell most in spring and autumn.
    static let season: [Double] = [0.8, 0.7, 1.1, 1.2, 1.1, 1.0, 0.9, 0.9, 1.1, 1.2, 1.1, 0.9]

    /// The (year, month) of the `index`-th month of the history (0 is the first).
    public func month(at index: Int) -> (year: Int, month: Int) {
        let first = plan.endingBefore.year * 12 + plan.endingBefore.month - 1 - plan.months
        return ((first + index) / 12, (first + index) % 12 + 1)
    }

    /// How fast a dealer grows, a year: −15 % to +25 %, its own for the whole history.
    func growth(_ dealer: Company.Dealer) -> Double {
        var random = SeededRandom(seed: company.seed).fork("history-growth-\(dealer.customerNumber)")
        return Double.random(in: -0.15...0.25, using: &random)
    }

    /// The events of month `index`: its first days' contracts (in January, or in the history's
    /// first month, for the year), then every order placed in the month and what followed it, in
    /// time order (what followed may fall in the next month: it comes with this one, late, as
    /// events do).
    public mutating func events(ofMonth index: Int) -> [(at: Date, entry: Entry)] {
        let (year, month) = self.month(at: index)
        let start = Self.chinaMidnight(year: year, month: month, day: 1)
        let days = Self.chinaMidnight(year: month == 12 ? year + 1 : year, month: month == 12 ? 1 : month + 1, day: 1).timeIntervalSince(start) / 86_400
        var entries: [(at: Date, entry: Entry)] = []
        if month == 1 || index == 0 { entries += contracts(year: year, at: start) + fundBudgets(year: year, at: start) }
        entries += fundUses(year: year, month: month, start: start, days: Int(days))
        entries += dealerSystems(year: year, month: month, start: start, days: Int(days))
        var random = SeededRandom(seed: company.seed).fork("history-\(year)-\(month)")
        let yearsIn = Double(index) / 12
        for dealer in dealers {
            let expected = plan.ordersPerDealerMonth * Self.season[month - 1] * pow(1 + growth(dealer), yearsIn)
            for _ in 0..<Self.poisson(expected, &random) {
                let placed = start.addingTimeInterval(Double(Int.random(in: 0..<Int(days), using: &random)) * 86_400
                                                      + Double(Int.random(in: 8 * 3_600..<18 * 3_600, using: &random)) - 8 * 3_600)
                entries += order(for: dealer, placedAt: placed, &random)
            }
        }
        entries.sort { $0.at < $1.at }
        return entries
    }

    /// How much of a material a dealer orders on a line: cans by the dozen, pails by the few,
    /// drums one to six, bulk one to three tonnes.
    static func quantities(_ material: Company.Material) -> ClosedRange<Int> {
        if material.unit == "TO" { return 1...3 }
        let size = Self.size(material)
        return size >= 200 ? 1...6 : size >= 16 ? 2...30 : 12...120
    }

    /// The package size: litres of a can, pail or drum; tonnes of bulk.
    static func size(_ material: Company.Material) -> Double {
        Double(material.packageSize.split(separator: " ").first.flatMap { Double($0) } ?? 1)
    }

    /// Knuth's Poisson sampling (means of a few).
    static func poisson(_ mean: Double, _ random: inout SeededRandom) -> Int {
        let limit = exp(-mean)
        var (count, product) = (0, Double.random(in: 0..<1, using: &random))
        while product > limit {
            count += 1
            product *= Double.random(in: 0..<1, using: &random)
        }
        return count
    }

    func event(_ id: String, _ source: String, _ at: Date, _ subject: String, _ data: EventData) -> CanonicalEvent {
        CanonicalEvent(id: "hist:\(company.seed):\(id)", source: source, occurredAt: Timestamp(at), subject: subject, data: data)
    }

    /// One order and everything after it.
    mutating func order(for dealer: Company.Dealer, placedAt placed: Date, _ random: inout SeededRandom) -> [(at: Date, entry: Entry)] {
        orderNumber += 1
        let orderId = plan.orderPrefix + String(format: "%010d", orderNumber)
        var lines: [OrderLine] = []
        var used = Set<String>()
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let channel = dealer.channels[Int.random(in: 0..<dealer.channels.count, using: &random)]
            guard let materials = materialsByChannel[channel], !materials.isEmpty else { continue }
            let material = materials[Int.random(in: 0..<materials.count, using: &random)]
            guard used.insert(material.number).inserted else { continue }
            let quantity = Int.random(in: Self.quantities(material), using: &random)
            lines.append(OrderLine(lineNo: lines.count + 1, materialId: material.number, quantity: DecimalNumber(Decimal(quantity)), kind: .spot))
        }
        let user = "U-\(dealer.dealerId)"
        var out: [(at: Date, entry: Entry)] = []
        func add(_ at: Date, _ topic: String, _ step: String, _ source: String, _ subject: String, _ data: EventData) {
            out.append((at, Entry(topic: topic, event: event("\(orderId):\(step)", source, at, subject, data))))
        }
        add(placed, TopicName.orderCommands, "submit", "api", orderId,
            .orderSubmit(OrderSubmission(orderId: orderId, dealerId: dealer.dealerId, lines: lines, submittedBy: user, channel: .api)))
        if Int.random(in: 0..<100, using: &random) < 3 {
            add(placed.addingTimeInterval(1_800), TopicName.orderCommands, "cancel", "api", orderId,
                .orderCancel(OrderCancellation(orderId: orderId, reason: "下错单", requestedBy: user)))
            return out
        }
        let promised = CalendarDate(Self.chinaDay(placed.addingTimeInterval(3 * 86_400)))
        let partly = Int.random(in: 0..<100, using: &random) < 8
        let confirmed = lines.enumerated().map { index, line in
            OrderConfirmed.Line(lineNo: line.lineNo, confirmedQuantity: partly && index == 0 && line.quantity.value > 1
                                ? DecimalNumber(Decimal(Int(truncating: line.quantity.value as NSNumber) / 2)) : line.quantity)
        }
        let erp = "adapter-erp"
        add(placed.addingTimeInterval(7_200), TopicName.orderEvents, "confirmed", erp, orderId,
            .orderConfirmed(OrderConfirmed(orderId: orderId, erpOrderNumber: String(1_000_000_000 + orderNumber), promisedDate: promised, lines: confirmed)))
        let plants = branchPlants[dealer.branch] ?? company.plants
        let plant = plants[Int.random(in: 0..<plants.count, using: &random)]
        let allocatedAt = placed.addingTimeInterval(20 * 3_600)
        add(allocatedAt, TopicName.orderEvents, "allocated", erp, orderId,
            .orderAllocated(OrderAllocated(orderId: orderId, deliveryNumber: String(80_000_000 + orderNumber),
                                           lines: confirmed.map { .init(lineNo: $0.lineNo, warehouseId: plant, quantity: $0.confirmedQuantity) })))
        let shipmentId = plan.orderPrefix + "S" + String(format: "%010d", orderNumber)
        let carrier = Fleet.carrierId(Int(truncatingIfNeeded: SeededRandom.stableHash(orderId) >> 1) % 20 + 1)
        let province = IDocValues.province(region: dealer.province) ?? "上海"
        add(allocatedAt, TopicName.shipments, "shipment", erp, shipmentId,
            .shipmentCreated(ShipmentCreated(shipmentId: shipmentId, carrierId: carrier, orderIds: [orderId], deliveryNumber: String(80_000_000 + orderNumber),
                                             originWarehouseId: plant, destination: .init(dealerId: dealer.dealerId, region: Region(province: province)),
                                             promisedDate: promised)))
        let carrierSource = EventProducer.carrierAdapter
        let dispatched = allocatedAt.addingTimeInterval(Double(Int.random(in: 2...30, using: &random)) * 3_600)
        add(dispatched, TopicName.shipments, "dispatched", carrierSource, shipmentId,
            .shipmentDispatched(ShipmentDispatched(shipmentId: shipmentId, dispatchedAt: Timestamp(dispatched), carrierId: carrier)))
        if Int.random(in: 0..<100, using: &random) < 4 {
            let at = dispatched.addingTimeInterval(10 * 3_600)
            add(at, TopicName.shipments, "exception", carrierSource, shipmentId,
                .shipmentException(ShipmentException(shipmentId: shipmentId, code: .breakdown, description: "车辆故障，已安排救援", at: Timestamp(at), carrierId: carrier)))
        }
        let delivered = dispatched.addingTimeInterval(Double(Int.random(in: 8...60, using: &random)) * 3_600)
        // The carrier's estimate a quarter of an hour after leaving: off by up to an hour and a half either way, and
        // some carriers habitually optimistic (their estimate early by another half hour or hour).
        let arrived = delivered.addingTimeInterval(-20 * 60)
        let optimism = Double(SeededRandom.stableHash(carrier) % 3) * 30 * 60
        let estimate = arrived.addingTimeInterval(Double(Int.random(in: -90...90, using: &random)) * 60 - optimism)
        add(dispatched.addingTimeInterval(15 * 60), TopicName.shipments, "eta", carrierSource, shipmentId,
            .shipmentEtaReported(ShipmentEtaReported(shipmentId: shipmentId, eta: Timestamp(estimate), reportedBy: .carrier, carrierId: carrier)))
        add(arrived, TopicName.shipments, "arrived", carrierSource, shipmentId,
            .shipmentArrived(ShipmentArrived(shipmentId: shipmentId, arrivedAt: Timestamp(arrived), carrierId: carrier)))
        add(delivered, TopicName.shipments, "delivered", carrierSource, shipmentId,
            .shipmentDelivered(ShipmentDelivered(shipmentId: shipmentId, deliveredAt: Timestamp(delivered), carrierId: carrier)))
        guard Int.random(in: 0..<100, using: &random) < 97 else { return out }
        let band = Int.random(in: 0..<10, using: &random)
        let hours = band < 7 ? Int.random(in: 0...24, using: &random) : band < 9 ? Int.random(in: 25...72, using: &random) : Int.random(in: 73...200, using: &random)
        let received = delivered.addingTimeInterval(Double(hours) * 3_600)
        add(received, TopicName.orderCommands, "receipt", "api", orderId,
            .orderConfirmReceipt(OrderReceipt(orderId: orderId, receivedAt: Timestamp(received), receivedBy: user)))
        guard Int.random(in: 0..<100, using: &random) < 55 else { return out }
        let mark = { (random: inout SeededRandom) in [5, 5, 5, 4, 4, 4, 4, 3, 3, 2][Int.random(in: 0..<10, using: &random)] }
        add(received.addingTimeInterval(Double(Int.random(in: 1...48, using: &random)) * 3_600), TopicName.orderCommands, "rating", "api", orderId,
            .orderRate(OrderRating(orderId: orderId, ratedBy: user, productQuality: mark(&random), dispatchSpeed: mark(&random), serviceQuality: mark(&random))))
        return out
    }

    /// The year's quantity contracts: one per tier-1 dealer and product line it buys, for what it
    /// is expected to take (its orders' expected volume) give or take 20–30 %.
    func contracts(year: Int, at start: Date) -> [(at: Date, entry: Entry)] {
        var random = SeededRandom(seed: company.seed).fork("history-contracts-\(year)")
        let yearsIn = Double((year - month(at: 0).year) * 12 + 1 - month(at: 0).month) / 12
        let seasonal = Self.season.reduce(0, +)  // a year of months
        return dealers.flatMap { dealer in
            dealer.channels.compactMap { channel -> (at: Date, entry: Entry)? in
                guard let materials = materialsByChannel[channel], !materials.isEmpty,
                      let line = WireFormats.IDocValues.productLine(channel: channel) else { return nil }
                let bulk = materials[0].unit == "TO"
                // A line's expected volume: the middle of its quantities times its size (a tonne of bulk is 1,000 kg).
                let perLine = materials.map { material -> Double in
                    let range = Self.quantities(material)
                    return Double(range.lowerBound + range.upperBound) / 2 * Self.size(material) * (bulk ? 1_000 : 1)
                }.reduce(0, +) / Double(materials.count)
                let linesPerOrder = 2.0 / Double(dealer.channels.count)
                let expected = plan.ordersPerDealerMonth * seasonal * pow(1 + growth(dealer), max(0, yearsIn)) * linesPerOrder * perLine
                let agreed = (expected * Double.random(in: 0.8...1.3, using: &random)).rounded()
                let contractId = "K\(year)-\(dealer.customerNumber)-\(channel)"
                let amount = DecimalNumber(Decimal(Int(agreed)))
                let contract = ContractUpserted(contractId: contractId, dealerId: dealer.dealerId, productLine: line,
                                                validFrom: CalendarDate(String(format: "%04d-01-01", year))!, validTo: CalendarDate(String(format: "%04d-12-31", year))!,
                                                lines: [.init(lineNo: 10, quantity: amount, unit: bulk ? "KG" : "L")],
                                                contractedLitres: bulk ? nil : amount, contractedKilograms: bulk ? amount : nil, status: .active)
                return (start, Entry(topic: TopicName.contracts, event: event(contractId, "adapter-erp", start, contractId, .contractUpserted(contract))))
            }
        }
    }

    /// The year's market-development budget (市场开发费) of each tier-1 dealer, for the dealer as a
    /// whole: 20,000–120,000 yuan.
    func fundBudgets(year: Int, at start: Date) -> [(at: Date, entry: Entry)] {
        var random = SeededRandom(seed: company.seed).fork("history-fund-budgets-\(year)")
        return dealers.map { dealer in
            let entryId = "FB\(year)-\(dealer.customerNumber)"
            let amount = DecimalNumber(Decimal(Int.random(in: 200...1_200, using: &random) * 100))
            let budget = FundPosted(entryId: entryId, dealerId: dealer.dealerId, fund: .marketDevelopment, entry: .budget, productLine: nil,
                                    periodFrom: CalendarDate(String(format: "%04d-01-01", year))!, periodTo: CalendarDate(String(format: "%04d-12-31", year))!,
                                    amount: amount, text: "\(year) 市场开发预算", status: .posted)
            return (start, Entry(topic: TopicName.funds, event: event(entryId, "adapter-erp", start, entryId, .fundPosted(budget))))
        }
    }

    /// The month's fund spends: about a third of the dealers spend 800–9,000 yuan on a day of it,
    /// promotion or market development, on a product line they buy; one spend in twenty is
    /// reversed by the ERP three days later.
    func fundUses(year: Int, month: Int, start: Date, days: Int) -> [(at: Date, entry: Entry)] {
        var random = SeededRandom(seed: company.seed).fork("history-fund-uses-\(year)-\(month)")
        var out: [(at: Date, entry: Entry)] = []
        for dealer in dealers where Double.random(in: 0..<1, using: &random) < 0.35 {
            let day = Int.random(in: 1...days, using: &random)
            let at = Self.chinaMidnight(year: year, month: month, day: day).addingTimeInterval(10 * 3_600)
            let entryId = "FU\(year)\(String(format: "%02d", month))-\(dealer.customerNumber)"
            let fund: FundPosted.Fund = Bool.random(using: &random) ? .promotion : .marketDevelopment
            let channel = dealer.channels.isEmpty ? nil : dealer.channels[Int.random(in: 0..<dealer.channels.count, using: &random)]
            let fen = Int.random(in: 80_000...900_000, using: &random)
            var use = FundPosted(entryId: entryId, dealerId: dealer.dealerId, fund: fund, entry: .use,
                                 productLine: channel.flatMap { WireFormats.IDocValues.productLine(channel: $0) },
                                 periodFrom: CalendarDate(Self.chinaDay(at))!, periodTo: CalendarDate(Self.chinaDay(at))!,
                                 amount: DecimalNumber(Decimal(fen) / 100), text: fund == .promotion ? "促销活动" : "门头与培训", status: .posted)
            out.append((at, Entry(topic: TopicName.funds, event: event(entryId, "adapter-erp", at, entryId, .fundPosted(use)))))
            if Int.random(in: 0..<20, using: &random) == 0 {
                use.status = .reversed
                let later = at.addingTimeInterval(3 * 86_400)
                out.append((later, Entry(topic: TopicName.funds, event: event(entryId + "-storno", "adapter-erp", later, entryId, .fundPosted(use)))))
            }
        }
        return out
    }

    /// What the dealers' systems report in a month: about three sales records each (a record being
    /// a customer's purchases of one material, twice an order line's quantity: about three
    /// quarters of what the dealer buys, to workshops, quick-lube centres, key accounts and tier-2
    /// dealers of its province), and on the month's last day a count of one material it stocks.
    func dealerSystems(year: Int, month: Int, start: Date, days: Int) -> [(at: Date, entry: Entry)] {
        var random = SeededRandom(seed: company.seed).fork("history-dealer-systems-\(year)-\(month)")
        let kinds: [CustomerKind] = [.endCustomer, .endCustomer, .quickLube, .tier2, .keyAccount]
        var out: [(at: Date, entry: Entry)] = []
        for dealer in dealers {
            let materials = dealer.channels.flatMap { materialsByChannel[$0] ?? [] }.filter { $0.unit != "TO" }
            guard !materials.isEmpty else { continue }
            for sale in 0..<Self.poisson(3, &random) {
                let material = materials[Int.random(in: 0..<materials.count, using: &random)]
                let range = Self.quantities(material)
                let at = start.addingTimeInterval(Double(Int.random(in: 0..<days, using: &random)) * 86_400 + Double(Int.random(in: 0..<36_000, using: &random)))
                let recordId = "ST\(year)\(String(format: "%02d", month))-\(sale)"
                let record = SellThroughRecorded(recordId: recordId, dealerId: dealer.dealerId, materialId: material.number,
                                                 quantity: DecimalNumber(Decimal(2 * Int.random(in: range, using: &random))),
                                                 soldAt: Timestamp(at),
                                                 customer: .init(kind: kinds[Int.random(in: 0..<kinds.count, using: &random)], region: Region(province: dealer.province)))
                out.append((at, Entry(topic: TopicName.sellThrough, event: event("\(dealer.dealerId)-\(recordId)", "adapter-dealer", at, dealer.dealerId,
                                                                                .sellThroughRecorded(record)))))
            }
            let material = materials[Int.random(in: 0..<materials.count, using: &random)]
            let counted = start.addingTimeInterval(Double(days) * 86_400 - 3_600)
            let snapshot = DealerStockSnapshot(dealerId: dealer.dealerId, materialId: material.number,
                                               onHand: DecimalNumber(Decimal(Int.random(in: 0...Self.quantities(material).upperBound, using: &random))),
                                               asOf: Timestamp(counted))
            out.append((counted, Entry(topic: TopicName.inventorySnapshots, event: event("\(dealer.dealerId)-stock-\(year)-\(month)", "adapter-dealer", counted,
                                                                                        "\(dealer.dealerId):\(material.number)", .dealerStockSnapshot(snapshot)))))
        }
        return out
    }

    /// Midnight in China of a date, as an instant.
    static func chinaMidnight(year: Int, month: Int, day: Int) -> Date {
        Date(timeIntervalSince1970: TimeInterval(CivilCalendar.days(year: year, month: month, day: day) * 86_400 - CivilCalendar.chinaStandardTimeOffset))
    }

    /// `YYYY-MM-DD` of an instant in China.
    static func chinaDay(_ date: Date) -> String {
        let days = Int64((date.timeIntervalSince1970 + TimeInterval(CivilCalendar.chinaStandardTimeOffset)) / 86_400)
        let civil = CivilCalendar.date(days: days)
        return String(format: "%04d-%02d-%02d", civil.year, civil.month, civil.day)
    }

    /// The (year, month) `date` falls in, in China.
    public static func monthOf(_ date: Date) -> (year: Int, month: Int) {
        let day = chinaDay(date).split(separator: "-").compactMap { Int($0) }
        return (day[0], day[1])
    }
}
