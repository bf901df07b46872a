public import WireFormats
import Foundation
public import HubContracts

/// The ERP adapter, both ways. Inbound, IDoc-XML to canonical events:
///
/// | topic | basic type / message type | canonical |
/// |---|---|---|
/// | `erp.in.customers` | DEBMAS07 / DEBMAS | `dealer.upserted` on `hub.dealers` |
/// | `erp.in.credit-limits` | ZLHCRED01 (custom) | `dealer.credit-limit-set` on `hub.dealers` |
/// | `erp.in.contracts` | ZLHCONT01 (custom) | `contract.upserted` on `hub.contracts` |
/// | `erp.in.funds` | ZLHFUND01 (custom) | `fund.posted` on `hub.funds` |
/// | `erp.in.materials` | MATMAS05 / MATMAS | `material.upserted` on `hub.materials` |
/// | `erp.in.prices` | COND_A04 / COND_A | `price-list.upserted` on `hub.price-lists` |
/// | `erp.in.stock` | LOISTD01 / LOISTD | `stock.snapshot` on `hub.inventory.snapshots` |
/// | `erp.in.goods-movements` | WMMBID02 / WMMBXY | `inventory.moved` on `hub.inventory.movements` |
/// | `erp.in.invoices` | INVOIC02 / INVOIC, ZLHCLR01 (custom) | `invoice.posted`, `invoice.cleared` on `hub.invoices` |
/// | `erp.in.production-orders` | LOIPRO01 / LOIPRO | `production-order.reported` on `hub.production` |
/// | `erp.in.order-confirmations` | ORDERS05 / ORDRSP | `order.confirmed` on `hub.orders.events` |
/// | `erp.in.deliveries` | DELVRY07 / DESADV | `order.allocated` on `hub.orders.events`, `shipment.created` on `hub.shipments` |
///
/// The document's type decides, not the topic it came on; a type the adapter does not map is
/// dead-lettered naming it. Outbound, from `hub.orders.events`: `order.accepted` becomes an
/// ORDERS05 / ORDERS and `order.cancelled` an ORDERS05 / ORDCHG on `erp.out.orders`; the other
/// order events are not the ERP's business and are skipped.
public struct ErpMapping: AdapterMapping {
    public struct Topics: Sendable {
        public var confirmations = TopicName.ERP.orderConfirmations
        public var creditLimits = TopicName.ERP.creditLimits
        public var contracts = TopicName.ERP.contracts
        public var hubContracts = TopicName.contracts
        public var funds = TopicName.ERP.funds
        public var hubFunds = TopicName.funds
        public var customers = TopicName.ERP.customers
        public var materials = TopicName.ERP.materials
        public var prices = TopicName.ERP.prices
        public var stock = TopicName.ERP.stock
        public var goodsMovements = TopicName.ERP.goodsMovements
        public var movements = TopicName.inventoryMovements
        public var invoices = TopicName.ERP.invoices
        public var hubInvoices = TopicName.invoices
        public var productionOrders = TopicName.ERP.productionOrders
        public var production = TopicName.production
        public var deliveries = TopicName.ERP.deliveries
        public var orderEvents = TopicName.orderEvents
        public var dealers = TopicName.dealers
        public var hubMaterials = TopicName.materials
        public var priceLists = TopicName.priceLists
        public var snapshots = TopicName.inventorySnapshots
        public var shipments = TopicName.shipments
        public var outboundOrders = TopicName.ERP.outboundOrders
        public var deadLetters = TopicName.ERP.deadLetters

        public init() {}
    }

    public let name = "erp"
    public let topics: Topics
    public var inputTopics: [String] {
        [topics.customers, topics.creditLimits, topics.contracts, topics.funds, topics.materials, topics.prices, topics.stock, topics.goodsMovements, topics.invoices, topics.productionOrders, topics.confirmations, topics.deliveries, topics.orderEvents]
    }
    public var deadLetterTopic: String { topics.deadLetters }
    private let writer = OrderDocumentWriter()

    public init(topics: Topics = Topics()) {
        self.topics = topics
    }

    public func map(_ record: RawRecord) -> MappingResult {
        guard let value = record.value, !value.isEmpty else {
            return .rejected(record.topic == topics.orderEvents ? "empty message: a canonical order event is expected" : "empty message: one IDoc-XML document is expected")
        }
        if record.topic == topics.orderEvents { return outbound(value, record: record) }
        do {
            let document = try IDocDocument.parse(value)
            return try events(document, record: record)
        } catch {
            return .rejected("IDoc: \(error.description)")
        }
    }

    /// The canonical events of one document (also what `lubehub decode idoc` prints).
    public func events(_ document: IDocDocument, record: RawRecord) throws(IDocError) -> MappingResult {
        var outputs: [(topic: String, key: String, data: EventData)] = []
        switch (document.basicType, document.messageType) {
        case ("DEBMAS07", _):
            outputs = try CustomerMasterMapping.dealers(document).map { (topics.dealers, $0.dealerId, .dealerUpserted($0)) }
        case ("ZLHCRED01", _):
            outputs = try CreditLimitMapping.limits(document).map { (topics.dealers, $0.dealerId, .dealerCreditLimitSet($0)) }
        case ("ZLHCONT01", _):
            outputs = try ContractMapping.contracts(document).map { (topics.hubContracts, $0.contractId, .contractUpserted($0)) }
        case ("ZLHFUND01", _):
            outputs = try FundMapping.entries(document).map { (topics.hubFunds, $0.entryId, .fundPosted($0)) }
        case ("MATMAS05", _):
            outputs = try MaterialMasterMapping.materials(document).map { (topics.hubMaterials, $0.materialId, .materialUpserted($0)) }
        case ("COND_A04", _):
            outputs = try PriceConditionMapping.priceLists(document).map { (topics.priceLists, $0.priceListId, .priceListUpserted($0)) }
            if outputs.isEmpty { return .skip("COND_A04 without PR00 list prices") }
        case ("LOISTD01", _):
            outputs = try StockMapping.snapshots(document).map { (topics.snapshots, "\($0.warehouseId):\($0.materialId)", .stockSnapshot($0)) }
        case ("WMMBID02", _):
            outputs = try GoodsMovementMapping.movements(document).map { (topics.movements, "\($0.warehouseId):\($0.materialId)", .inventoryMoved($0)) }
        case ("INVOIC02", _):
            let invoice = try InvoiceMapping.invoice(document)
            outputs = [(topics.hubInvoices, invoice.dealerId, .invoicePosted(invoice))]
        case ("ZLHCLR01", _):
            outputs = try InvoiceMapping.clearings(document).map { (topics.hubInvoices, $0.dealerId, .invoiceCleared($0)) }
        case ("LOIPRO01", _):
            guard let report = try ProductionOrderMapping.report(document) else {
                return .skip("LOIPRO01 of a production order only created, or made to stock: no order's business yet")
            }
            outputs = [(topics.production, report.erpOrderNumber, .productionOrderReported(report))]
        case ("ORDERS05", "ORDRSP"):
            let confirmed = try OrderConfirmationMapping.confirmation(document)
            outputs = [(topics.orderEvents, confirmed.orderId, .orderConfirmed(confirmed))]
        case ("DELVRY07", "DESADV"):
            let delivery = try DeliveryMapping.delivery(document)
            outputs = delivery.allocations.map { (topics.orderEvents, $0.orderId, .orderAllocated($0)) }
            if let shipment = delivery.shipment { outputs.append((topics.shipments, shipment.shipmentId, .shipmentCreated(shipment))) }
        case (let basicType, let messageType):
            throw IDocError("""
                \(basicType) with message type \(messageType ?? "none") is not one the ERP adapter maps \
                (DEBMAS07, ZLHCRED01, ZLHCONT01, ZLHFUND01, MATMAS05, COND_A04, LOISTD01, WMMBID02, INVOIC02, ZLHCLR01, LOIPRO01, ORDERS05/ORDRSP, DELVRY07/DESADV)
                """)
        }
        // When the ERP created the document (CREDAT/CRETIM, China Standard Time), so a replay gives the same bytes.
        let occurredAt = IDocValues.instant(date: document.control["CREDAT"], time: document.control["CRETIM"]) ?? Timestamp(Date(timeIntervalSince1970: 0))
        var result = MappingResult()
        for (index, output) in outputs.enumerated() {
            let id = record.eventId(index)
            let envelope = CanonicalEvent(id: id, source: "adapter-erp", occurredAt: occurredAt, subject: output.key, data: output.data)
            do {
                result.events.append(MappedEvent(topic: output.topic, key: output.key, id: id, value: try envelope.encoded()))
            } catch {
                throw IDocError("\(output.data.type) could not be encoded: \(error.description)")
            }
        }
        return result
    }

    /// An order event to the ERP's native document, or skipped when it is not the ERP's business.
    func outbound(_ value: [UInt8], record: RawRecord) -> MappingResult {
        let event: CanonicalEvent
        do {
            event = try CanonicalEvent.decode(value)
        } catch {
            return .rejected("not a canonical order event: \(error.description)")
        }
        let id = record.eventId(0)
        switch event.data {
        case .orderAccepted(let accepted):
            do {
                let document = try writer.order(accepted, eventId: event.id, at: event.occurredAt)
                return MappingResult(events: [MappedEvent(topic: topics.outboundOrders, key: accepted.orderId, id: id, value: document)])
            } catch {
                return .rejected("ORDERS05 for order \(accepted.orderId): \(error.description)")
            }
        case .orderCancelled(let cancelled):
            let document = writer.cancellation(cancelled, eventId: event.id, at: event.occurredAt)
            return MappingResult(events: [MappedEvent(topic: topics.outboundOrders, key: cancelled.orderId, id: id, value: document)])
        default:
            return .skip("\(event.type) is not sent to the ERP")
        }
    }
}
