import HubContracts
public import WireFormats
import Foundation

/// The company's ERP as the simulation runs it: for every order the hub sends on `erp.out.orders`
/// (ORDERS05, message type ORDERS) it answers with an order response confirming every line with a
/// promised date (ORDRSP on `erp.in.order-confirmations`) and a delivery from a plant of the
/// dealer's branch, handed to one of the company's carriers (DELVRY07 on `erp.in.deliveries`), and
/// the goods issue posted for it (WMMBID02 / WMMBXY, movement type 601, on `erp.in.goods-movements`),
/// the production orders of its made-to-order lines (LOIPRO01 on `erp.in.production-orders`: released
/// with the confirmation, done before the delivery), and its billing: the invoice (INVOIC02, 30 days' terms) and — the simulated company sells cash
/// before delivery (款到发货) — the clearing of its payment (ZLHCLR01) on `erp.in.invoices` — the
/// documents a real SAP system sends, which the hub's ERP adapter maps. Changes (ORDCHG: a
/// cancellation) get no answer. Pure: a document in, documents out.
public struct SimulatedERP: Sendable {
    public let company: Company
    /// How many carriers the company's deliveries go to (`CAR-01` …).
    public var carriers: Int
    private var writer = IDocWriter(firstNumber: 9_000_000_001)
    private var deliveries: Int
    private let dealers: [String: Company.Dealer]

    /// `firstDelivery` numbers the deliveries (VBELN, 10 digits); runs against one hub start apart.
    public init(company: Company, carriers: Int = 20, firstDelivery: Int = 80_000_001) {
        self.company = company
        deliveries = firstDelivery - 1
        self.carriers = max(1, carriers)
        dealers = Dictionary(company.dealers.map { ($0.customerNumber, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The ERP's answer to one order: the order response, the delivery, and the shipment it hands to a carrier.
    public struct Answer: Sendable {
        public var confirmation: ERPDocuments.Message
        public var delivery: ERPDocuments.Message
        /// The goods issue for the delivery (601 per line, from the delivering plant).
        public var goodsIssue: ERPDocuments.Message
        /// Each made-to-order line's production order released (sent with the confirmation) …
        public var productionReleased: [ERPDocuments.Message]
        /// … and done (sent before the delivery).
        public var productionDone: [ERPDocuments.Message]
        /// The invoice for the delivery and the clearing of its payment.
        public var billing: [ERPDocuments.Message]
        public var shipment: ShipmentOrder
    }

    /// The ERP's answers to one document from the hub; `created` is the answers' local date and time (CREDAT/CRETIM).
    public mutating func answer(_ bytes: [UInt8], created: (date: String, time: String), promisedDate: String) throws(IDocError) -> [ERPDocuments.Message] {
        guard let answer = try respond(bytes, created: created, promisedDate: promisedDate) else { return [] }
        return [answer.confirmation] + answer.productionReleased + answer.productionDone + [answer.delivery, answer.goodsIssue] + answer.billing
    }

    /// The ERP's answer to one document from the hub; `nil` for a document it does not answer (a change).
    public mutating func respond(_ bytes: [UInt8], created: (date: String, time: String), promisedDate: String) throws(IDocError) -> Answer? {
        let document = try IDocDocument.parse(bytes)
        guard document.messageType == "ORDERS" else { return nil }
        guard let orderId = document.segments("E1EDK02").first(where: { $0["QUALF"] == "001" })?["BELNR"] else {
            throw IDocError("E1EDK02 QUALF 001 (the hub's order number) is missing")
        }
        let customer = document.segments("E1EDKA1").first { $0["PARVW"] == "AG" }?["PARTN"] ?? ""
        let lines = document.segments("E1EDP01").map { line in
            (item: line["POSEX"] ?? "000001", quantity: line["MENGE"] ?? "0", material: line.segments("E1EDP19").first?["IDTNR"] ?? "",
             price: line["VPREI"] ?? "0", madeToOrder: line["PSTYV"] == "ZMTO")
        }
        guard let dealer = dealers[customer] else { throw IDocError("customer \(customer) (E1EDKA1 AG) is not one of the company's dealers") }
        let branch = company.branches[dealer.branch]
        deliveries += 1
        let erpOrder = Self.tenDigits(deliveries % 1_000_000_000 + 1_000_000_000)
        let delivery = Self.tenDigits(deliveries)
        let carrierNumber = Int(truncatingIfNeeded: SeededRandom.stableHash(orderId) >> 1) % carriers + 1
        let carrier = Fleet.carrierId(carrierNumber)

        var response = "<E1EDK01 SEGMENT=\"1\"><BELNR>\(erpOrder)</BELNR><CURCY>CNY</CURCY></E1EDK01>"
        response += "<E1EDK02 SEGMENT=\"1\"><QUALF>001</QUALF><BELNR>\(orderId)</BELNR></E1EDK02>"
        response += "<E1EDK03 SEGMENT=\"1\"><IDDAT>002</IDDAT><DATUM>\(promisedDate)</DATUM></E1EDK03>"
        for line in lines { response += "<E1EDP01 SEGMENT=\"1\"><POSEX>\(line.item)</POSEX><MENGE>\(line.quantity)</MENGE><ABGRU></ABGRU></E1EDP01>" }

        var items = ""
        for (index, line) in lines.enumerated() {
            let position = String(format: "%06d", (index + 1) * 10)
            items += "<E1EDL24 SEGMENT=\"1\"><POSNR>\(position)</POSNR><MATNR>\(line.material)</MATNR><LGORT>0001</LGORT><LFIMG>\(line.quantity)</LFIMG>"
            items += "<VRKME>EA</VRKME><E1EDL43 SEGMENT=\"1\"><QUALF>C</QUALF><BELNR>\(orderId)</BELNR><POSNR>\(line.item)</POSNR></E1EDL43></E1EDL24>"
        }
        let plant = branch.plants[0]
        var issued = "<E1MBXYH SEGMENT=\"1\"><BLDAT>\(created.date)</BLDAT><BUDAT>\(created.date)</BUDAT><XBLNR>\(delivery)</XBLNR>"
        // A made-to-order line's goods come from its production order (101, the goods receipt), then leave with the rest (601).
        for line in lines where line.madeToOrder {
            issued += "<E1MBXYI SEGMENT=\"1\"><MATNR>\(line.material)</MATNR><WERKS>\(plant)</WERKS><LGORT>0001</LGORT><BWART>101</BWART>"
            issued += "<ERFMG>\(line.quantity)</ERFMG><ERFME>EA</ERFME></E1MBXYI>"
        }
        for line in lines {
            issued += "<E1MBXYI SEGMENT=\"1\"><MATNR>\(line.material)</MATNR><WERKS>\(plant)</WERKS><LGORT>0001</LGORT><BWART>601</BWART>"
            issued += "<ERFMG>\(line.quantity)</ERFMG><ERFME>EA</ERFME></E1MBXYI>"
        }
        issued += "</E1MBXYH>"
        // Billing: the invoice (the order's value, tax included as the price list's prices are), paid at once.
        let gross = lines.reduce(Decimal(0)) { $0 + (Decimal(string: $1.quantity) ?? 0) * (Decimal(string: $1.price) ?? 0) }
        let invoiceNumber = "9" + Self.tenDigits(deliveries).dropFirst()
        var invoice = "<E1EDK01 SEGMENT=\"1\"><CURCY>CNY</CURCY><BSART>INVO</BSART><BELNR>\(invoiceNumber)</BELNR></E1EDK01>"
        invoice += "<E1EDKA1 SEGMENT=\"1\"><PARVW>RE</PARVW><PARTN>\(customer)</PARTN></E1EDKA1>"
        invoice += "<E1EDK02 SEGMENT=\"1\"><QUALF>001</QUALF><BELNR>\(orderId)</BELNR></E1EDK02><E1EDK02 SEGMENT=\"1\"><QUALF>002</QUALF><BELNR>\(erpOrder)</BELNR></E1EDK02>"
        invoice += "<E1EDK03 SEGMENT=\"1\"><IDDAT>012</IDDAT><DATUM>\(created.date)</DATUM></E1EDK03><E1EDK18 SEGMENT=\"1\"><QUALF>001</QUALF><TAGE>30</TAGE></E1EDK18>"
        invoice += "<E1EDS01 SEGMENT=\"1\"><SUMID>011</SUMID><SUMME>\(NSDecimalNumber(decimal: gross).stringValue)</SUMME><WAERQ>CNY</WAERQ></E1EDS01>"
        let clearing = """
            <Z1CLEAR SEGMENT="1"><KUNNR>\(customer)</KUNNR><BELNR>\(invoiceNumber)</BELNR><AUGBL>14\(delivery.suffix(8))</AUGBL><BUZEI>001</BUZEI>\
            <AUGDT>\(created.date)</AUGDT><WRBTR>\(NSDecimalNumber(decimal: gross).stringValue)</WRBTR><WAERS>CNY</WAERS></Z1CLEAR>
            """
        // Made-to-order lines: one production order each, released now and done before the delivery.
        var released: [ERPDocuments.Message] = []
        var done: [ERPDocuments.Message] = []
        for (index, line) in lines.enumerated() where line.madeToOrder {
            let item = String(format: "%06d", (Int(line.item) ?? index + 1) * 10)
            let aufnr = "00000" + Self.tenDigits(deliveries * 10 + index % 10).suffix(7)
            func production(_ statuses: String, batch: String?) -> String {
                """
                <E1AFKOL SEGMENT="1"><AUFNR>\(aufnr)</AUFNR><AUART>ZP01</AUART><WERKS>\(plant)</WERKS><MATNR>\(line.material)</MATNR>\
                <GAMNG>\(line.quantity)</GAMNG><GMEIN>EA</GMEIN><GSTRS>\(created.date)</GSTRS><GLTRS>\(promisedDate)</GLTRS><KDAUF>\(erpOrder)</KDAUF>\
                <KDPOS>\(item)</KDPOS>\(statuses)<E1AFPOL SEGMENT="1"><POSNR>0001</POSNR><MATNR>\(line.material)</MATNR>\
                <PSMNG>\(line.quantity)</PSMNG>\(batch.map { "<CHARG>\($0)</CHARG>" } ?? "")</E1AFPOL></E1AFKOL>
                """
            }
            released.append(ERPDocuments.Message(topic: TopicName.ERP.productionOrders, key: plant, value: writer.document(
                "LOIPRO01", "LOIPRO", production("<E1JSTKL SEGMENT=\"1\"><STAT>I0002</STAT></E1JSTKL>", batch: nil), created: created)))
            done.append(ERPDocuments.Message(topic: TopicName.ERP.productionOrders, key: plant, value: writer.document(
                "LOIPRO01", "LOIPRO", production("<E1JSTKL SEGMENT=\"1\"><STAT>I0002</STAT></E1JSTKL><E1JSTKL SEGMENT=\"1\"><STAT>I0009</STAT></E1JSTKL>",
                                                 batch: "B" + created.date.suffix(6) + aufnr.suffix(4)), created: created)))
        }
        let deliveryBody = """
            <E1EDL20 SEGMENT="1"><VBELN>\(delivery)</VBELN><VSTEL>\(plant)</VSTEL>\
            <E1ADRM1 SEGMENT="1"><PARTNER_Q>WE</PARTNER_Q><PARTNER_ID>\(customer)</PARTNER_ID><NAME1>\(IDocWriter.escape(dealer.name))</NAME1>\
            <CITY1>\(IDocWriter.escape(dealer.city))</CITY1><REGION>\(dealer.province)0</REGION><COUNTRY1>CN</COUNTRY1></E1ADRM1>\
            <E1EDT13 SEGMENT="1"><QUALF>006</QUALF><NTANF>\(promisedDate)</NTANF><NTANZ>090000</NTANZ></E1EDT13>\(items)\
            <E1EDL18 SEGMENT="1"><QUALF>ORI</QUALF></E1EDL18><Z1SHIPMT SEGMENT="1"><TKNUM>SH-\(delivery)</TKNUM><TDLNR>\(carrier)</TDLNR></Z1SHIPMT></E1EDL20>
            """
        return Answer(
            confirmation: ERPDocuments.Message(topic: TopicName.ERP.orderConfirmations, key: orderId, value: writer.document("ORDERS05", "ORDRSP", response, created: created)),
            delivery: ERPDocuments.Message(topic: TopicName.ERP.deliveries, key: orderId, value: writer.document("DELVRY07", "DESADV", deliveryBody, created: created)),
            goodsIssue: ERPDocuments.Message(topic: TopicName.ERP.goodsMovements, key: plant, value: writer.document("WMMBID02", "WMMBXY", issued, created: created)),
            productionReleased: released, productionDone: done,
            billing: [ERPDocuments.Message(topic: TopicName.ERP.invoices, key: customer, value: writer.document("INVOIC02", "INVOIC", invoice, created: created)),
                      ERPDocuments.Message(topic: TopicName.ERP.invoices, key: customer, value: writer.document("ZLHCLR01", "ZLHCLR", clearing, created: created))],
            shipment: ShipmentOrder(shipmentId: "SH-" + delivery, orderId: orderId, dealerId: dealer.dealerId, carrierId: carrier, plant: plant,
                                    promisedDate: promisedDate, destination: Geography.position(ofDealer: dealer)))
    }

    static func tenDigits(_ number: Int) -> String {
        let digits = String(number % 10_000_000_000)
        return String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }
}
