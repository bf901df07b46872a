import Foundation
public import HubContracts

/// The dealer-systems adapter: tier-1 dealers' own stock snapshots (JSON, or CSV rows
/// `material_id,on_hand` with headers `dealer.id` and `as-of`), their sell-through records (流向; JSON,
/// or CSV with the catalogue's header), and tier-2 dealers' orders to their tier-1 dealer — to
/// `hub.inventory.snapshots`, `hub.sell-through` and `hub.tier2-orders`. A CSV message is marked
/// with the header `content-type: text/csv`; its bad rows are dead-lettered alone.
public struct DealerMapping: AdapterMapping {
    public let name = "dealer"
    public let inputTopics: [String]
    public let deadLetterTopic: String
    private let catalogue: TopicCatalogue

    public static let stockTopic = TopicName.Dealer.stockSnapshots
    public static let sellThroughTopic = TopicName.Dealer.sellThrough
    public static let tier2Topic = TopicName.Dealer.tier2Orders
    public static let sellThroughHeader = ["record_id", "material_id", "quantity", "sold_at", "customer_kind", "customer_id", "province", "city", "unit_price"]

    public init(catalogue: TopicCatalogue, deadLetterTopic: String = TopicName.Dealer.deadLetters) {
        self.catalogue = catalogue
        self.inputTopics = [Self.stockTopic, Self.sellThroughTopic, Self.tier2Topic]
        self.deadLetterTopic = deadLetterTopic
    }

    public func map(_ record: RawRecord) -> MappingResult {
        guard let value = record.value, !value.isEmpty else { return .rejected("empty message") }
        if record.header("content-type")?.lowercased().hasPrefix("text/csv") == true {
            switch record.topic {
            case Self.stockTopic: return stockCSV(value, record: record)
            case Self.sellThroughTopic: return sellThroughCSV(value, record: record)
            default: return .rejected("CSV is not accepted on \(record.topic); send JSON")
            }
        }
        let json: JSONValue
        switch CatalogueJSON.read(value, topic: record.topic, catalogue: catalogue) {
        case .success(let value): json = value
        case .failure(let problem): return .rejected(problem.reason)
        }
        switch record.topic {
        case Self.stockTopic: return stockJSON(json, record: record)
        case Self.sellThroughTopic: return sellThroughJSON(json, record: record)
        default: return tier2Order(json, record: record)
        }
    }

    // MARK: Stock

    private func stockJSON(_ json: JSONValue, record: RawRecord) -> MappingResult {
        guard let dealer = json["dealerId"]?.stringValue, let asOfText = json["asOf"]?.stringValue else { return .rejected("dealerId and asOf are required") }
        guard let asOf = CarrierTime.parse(asOfText) else { return .rejected("asOf \(asOfText) is neither yyyy-MM-dd HH:mm:ss (UTC+8) nor RFC 3339") }
        var result = MappingResult()
        for (index, line) in (json["lines"]?.arrayValue ?? []).enumerated() {
            guard let material = line["materialId"]?.stringValue, let text = line["onHand"]?.stringValue, let onHand = DecimalNumber(text) else {
                result.rejections.append(MappingRejection("lines[\(index)]: materialId and a decimal onHand are required", payload: Array(line.description.utf8)))
                continue
            }
            result.events.append(stockEvent(dealer: dealer, material: material, onHand: onHand, asOf: asOf, record: record, index: result.events.count))
        }
        return result
    }

    private func stockCSV(_ value: [UInt8], record: RawRecord) -> MappingResult {
        guard let dealer = record.header("dealer.id"), let asOfText = record.header("as-of") else {
            return .rejected("a CSV stock snapshot needs the headers dealer.id and as-of")
        }
        guard let asOf = CarrierTime.parse(asOfText) else { return .rejected("as-of \(asOfText) is neither yyyy-MM-dd HH:mm:ss (UTC+8) nor RFC 3339") }
        return CSVFile.map(value, header: ["material_id", "on_hand"]) { fields, index in
            guard let onHand = DecimalNumber(fields[1]), !fields[0].isEmpty else { return .failure("material_id and a decimal on_hand are required") }
            return .success(stockEvent(dealer: dealer, material: fields[0], onHand: onHand, asOf: asOf, record: record, index: index))
        }
    }

    private func stockEvent(dealer: String, material: String, onHand: DecimalNumber, asOf: Timestamp, record: RawRecord, index: Int) -> MappedEvent {
        event(record, index: index, topic: TopicName.inventorySnapshots, key: "\(dealer):\(material)", occurredAt: asOf,
              data: .dealerStockSnapshot(DealerStockSnapshot(dealerId: dealer, materialId: material, onHand: onHand, asOf: asOf)))
    }

    // MARK: Sell-through

    private func sellThroughJSON(_ json: JSONValue, record: RawRecord) -> MappingResult {
        guard let dealer = json["dealerId"]?.stringValue else { return .rejected("dealerId is required") }
        var result = MappingResult()
        for (index, item) in (json["records"]?.arrayValue ?? []).enumerated() {
            let fields = ["recordId", "materialId", "quantity", "soldAt", "customerKind", "customerId", "province", "city", "unitPrice"].map { item[$0]?.stringValue ?? "" }
            switch sellThrough(dealer: dealer, fields, record: record, index: result.events.count) {
            case .success(let event): result.events.append(event)
            case .failure(let problem): result.rejections.append(MappingRejection("records[\(index)]: \(problem.reason)", payload: Array(item.description.utf8)))
            }
        }
        return result
    }

    private func sellThroughCSV(_ value: [UInt8], record: RawRecord) -> MappingResult {
        guard let dealer = record.header("dealer.id") else { return .rejected("a CSV sell-through file needs the header dealer.id") }
        return CSVFile.map(value, header: Self.sellThroughHeader) { fields, index in sellThrough(dealer: dealer, fields, record: record, index: index) }
    }

    private func sellThrough(dealer: String, _ f: [String], record: RawRecord, index: Int) -> Result<MappedEvent, MappingProblem> {
        guard !f[0].isEmpty, !f[1].isEmpty else { return .failure("record id and material id are required") }
        guard let quantity = DecimalNumber(f[2]), quantity.value > 0 else { return .failure("quantity \(f[2]) is not a positive decimal") }
        guard let soldAt = CarrierTime.parse(f[3]) else { return .failure("sold at \(f[3]) is neither yyyy-MM-dd HH:mm:ss (UTC+8) nor RFC 3339") }
        guard ["tier2", "end-customer", "key-account", "quick-lube"].contains(f[4]) else { return .failure("customer kind \(f[4]) is not tier2, end-customer, key-account or quick-lube") }
        guard !f[6].isEmpty else { return .failure("province is required") }
        var unitPrice: DecimalNumber?
        if !f[8].isEmpty {
            guard let price = DecimalNumber(f[8]), price.value >= 0 else { return .failure("unit price \(f[8]) is not a decimal >= 0") }
            unitPrice = price
        }
        let customer = SellThroughRecorded.Customer(kind: CustomerKind(rawValue: f[4]), id: f[5].isEmpty ? nil : f[5],
                                                    region: Region(province: f[6], city: f[7].isEmpty ? nil : f[7]))
        return .success(event(record, index: index, topic: TopicName.sellThrough, key: dealer, occurredAt: soldAt,
                              data: .sellThroughRecorded(SellThroughRecorded(recordId: f[0], dealerId: dealer, materialId: f[1], quantity: quantity, soldAt: soldAt,
                                                        customer: customer, unitPrice: unitPrice))))
    }

    // MARK: Tier-2 orders

    private func tier2Order(_ json: JSONValue, record: RawRecord) -> MappingResult {
        guard let orderId = json["orderId"]?.stringValue, let dealer = json["dealerId"]?.stringValue, let supplier = json["supplierDealerId"]?.stringValue else {
            return .rejected("orderId, dealerId and supplierDealerId are required")
        }
        var lines: [Tier2OrderSubmitted.Line] = []
        for (index, line) in (json["lines"]?.arrayValue ?? []).enumerated() {
            guard let material = line["materialId"]?.stringValue, let text = line["quantity"]?.stringValue, let quantity = DecimalNumber(text), quantity.value > 0 else {
                return .rejected("lines[\(index)]: materialId and a positive quantity are required")
            }
            lines.append(.init(lineNo: index + 1, materialId: material, quantity: quantity))
        }
        // When the dealer's system says it was submitted; else when the message reached the broker.
        let submitted = json["submittedAt"]?.stringValue.flatMap(CarrierTime.parse)
            ?? record.timestampMilliseconds.map { Timestamp(Date(timeIntervalSince1970: Double($0) / 1000)) }
        guard let occurredAt = submitted else { return .rejected("submittedAt is missing or not a time, and the message has no timestamp") }
        return MappingResult(events: [event(record, index: 0, topic: TopicName.tier2Orders, key: orderId, occurredAt: occurredAt,
                                            data: .tier2OrderSubmitted(Tier2OrderSubmitted(orderId: orderId, dealerId: dealer, supplierDealerId: supplier, lines: lines,
                                                                      submittedBy: "dealer-system:\(dealer)")))])
    }

    // MARK: Shared

    private func event(_ record: RawRecord, index: Int, topic: String, key: String, occurredAt: Timestamp, data: EventData) -> MappedEvent {
        let id = record.eventId(index)
        let envelope = CanonicalEvent(id: id, source: "adapter-dealer", occurredAt: occurredAt, subject: key, data: data)
        return MappedEvent(topic: topic, key: key, id: id, value: (try? envelope.encoded()) ?? [])
    }
}
