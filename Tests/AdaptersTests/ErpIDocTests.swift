import Adapters
import WireFormats
import Foundation
import HubContracts
import KafkaTestSupport
import Testing

@Suite("ERP adapter: IDoc-XML order confirmations and credit limits, refusals, fuzz")
struct ErpIDocTests {
    static let catalogue = JT808Tests.catalogue
    let mapping = ErpMapping()

    static func example(_ index: Int) -> [UInt8] { catalogue["erp.in.order-confirmations"]!.examples[index].bytes }

    func map(_ bytes: [UInt8], offset: Int64 = 120) -> MappingResult {
        mapping.map(RawRecord(topic: "erp.in.order-confirmations", partition: 4, offset: offset, value: bytes))
    }

    @Test("the catalogue's ORDRSP: the ERP number, the promised date, a confirmed line and a rejected one with its Chinese reason")
    func golden() throws {
        let result = map(Self.example(0))
        #expect(result.rejections.isEmpty, "\(result.rejections)")
        let event = try #require(result.events.first)
        #expect(event.id == "erp.in.order-confirmations:4:120:0" && event.key == "O-7Q3K9ZP2" && event.topic == "hub.orders.events")
        #expect(Self.catalogue.validate(topic: "hub.orders.events", value: event.value) == .valid, "\(String(decoding: event.value, as: UTF8.self))")
        let canonical = try CanonicalEvent.decode(event.value)
        #expect(canonical.type == "order.confirmed" && canonical.occurredAt.text == "2026-11-29T02:15:00Z", "CREDAT/CRETIM in UTC+8")
        let confirmed = try #require(canonical.data.payload(as: OrderConfirmed.self))
        #expect(confirmed.erpOrderNumber == "0010004711" && confirmed.promisedDate?.text == "2026-12-05")
        #expect(confirmed.lines.map(\.lineNo) == [1, 2])
        #expect(confirmed.lines[0].confirmedQuantity == DecimalNumber("120") && confirmed.lines[0].rejectionReason == nil)
        #expect(confirmed.lines[1].rejectionReason == "Z1 产能不足", "the rejection text survives in Chinese")
        #expect(map(Self.example(0)) == result, "the same document, the same bytes")
        // The catalogue's second example has no promised date yet: confirmed without one.
        let undated = try CanonicalEvent.decode(try #require(map(Self.example(1)).events.first).value)
        #expect((undated.data.payload(as: OrderConfirmed.self))?.promisedDate == nil)
    }

    @Test("the catalogue's ZLHCRED01 credit limit becomes exactly the catalogue's dealer.credit-limit-set")
    func creditLimit() throws {
        let definition = Self.catalogue["erp.in.credit-limits"]!.examples[0]
        let result = mapping.map(RawRecord(topic: "erp.in.credit-limits", partition: 1, offset: 3, value: definition.bytes))
        let event = try #require(result.events.first, "\(result.rejections)")
        #expect(event.topic == "hub.dealers" && event.key == "D100042" && event.id == "erp.in.credit-limits:1:3:0")
        let produced = try #require(try CanonicalEvent.decode(event.value).data.payload(as: DealerCreditLimitSet.self))
        let expected = try CanonicalEvent.decode(Self.catalogue["hub.dealers"]!.examples[2].bytes)
        #expect(produced == expected.data.payload(as: DealerCreditLimitSet.self), "the golden event in topics/hub.dealers.json")
        #expect(Self.catalogue.validate(topic: "hub.dealers", value: event.value) == .valid)
    }

    @Test("WMMBXY goods movements: an issue at dispatch lowers stock, a transfer moves it between plants, a count's shortage is an adjustment; bad items are named")
    func goodsMovements() throws {
        func map(_ text: String) -> MappingResult {
            mapping.map(RawRecord(topic: "erp.in.goods-movements", partition: 0, offset: 7, value: Array(text.utf8)))
        }
        let examples = Self.catalogue["erp.in.goods-movements"]!.examples.map { String(decoding: $0.bytes, as: UTF8.self) }
        let issued = try map(examples[0]).events.map { try #require(try CanonicalEvent.decode($0.value).data.payload(as: InventoryMoved.self)) }
        #expect(issued.map { "\($0.movementId) \($0.warehouseId)/\($0.locationId ?? "") \($0.materialId) \($0.quantity.text) \($0.kind.rawValue) \($0.reference ?? "")" } == [
            "0000000000700001:1 P1010/0001 M-SN5W30-4L -30 issue 0080004711", "0000000000700001:2 P1010/0001 M-CK4-15W40-18L -12 issue 0080004711",
        ])
        for event in map(examples[0]).events { #expect(Self.catalogue.validate(topic: "hub.inventory.movements", value: event.value) == .valid) }
        let moved = try map(examples[1]).events.map { try #require(try CanonicalEvent.decode($0.value).data.payload(as: InventoryMoved.self)) }
        #expect(moved.map { "\($0.warehouseId) \($0.quantity.text) \($0.kind.rawValue)" } == ["P1010 -100 transfer-out", "P2010 100 transfer-in", "P1010 -2 adjustment"])
        let unknownType = map(examples[0].replacingOccurrences(of: "<BWART>601</BWART>", with: "<BWART>999</BWART>"))
        #expect(unknownType.events.isEmpty && unknownType.rejections.first?.reason.contains("E1MBXYI #1: movement type 999 is not one the hub maps (101, 102") == true,
                "\(unknownType.rejections)")
        let noQuantity = map(examples[0].replacingOccurrences(of: "<ERFMG>12</ERFMG>", with: "<ERFMG>-12</ERFMG>"))
        #expect(noQuantity.rejections.first?.reason.contains("E1MBXYI #2: ERFMG -12 is not a positive quantity") == true, "\(noQuantity.rejections)")
        let transferNowhere = map(examples[1].replacingOccurrences(of: "<UMWRK>P2010</UMWRK>", with: "").replacingOccurrences(of: "<UMLGO>0001</UMLGO>", with: ""))
        #expect(transferNowhere.rejections.first?.reason.contains("is a transfer but names no receiving plant") == true)
    }

    @Test("INVOIC02 invoices and credit memos, ZLHCLR01 clearings; a bad one is dead-lettered naming the field")
    func invoices() throws {
        func map(_ text: String) -> MappingResult {
            mapping.map(RawRecord(topic: "erp.in.invoices", partition: 0, offset: 9, value: Array(text.utf8)))
        }
        let examples = Self.catalogue["erp.in.invoices"]!.examples.map { String(decoding: $0.bytes, as: UTF8.self) }
        func first(_ text: String) throws -> EventData {
            let event = try #require(map(text).events.first, "\(map(text).rejections)")
            return try CanonicalEvent.decode(event.value).data
        }
        let invoice = try #require(try first(examples[0]).payload(as: InvoicePosted.self))
        #expect(invoice == InvoicePosted(invoiceId: "9080004711", dealerId: "D100042", kind: .invoice, amount: Money(amount: DecimalNumber("21600.00")!),
                                         issuedOn: CalendarDate("2026-11-29")!, dueOn: CalendarDate("2026-12-29")!, orderId: "O-7Q3K9ZP2", erpOrderNumber: "0010004711"),
                "the bill-to partner, the gross sum, the document date plus 30 days")
        let memo = try #require(try first(examples[1]).payload(as: InvoicePosted.self))
        #expect(memo.kind == .creditMemo && memo.dueOn == nil && memo.amount.amount.text == "360.00")
        let cleared = try #require(try first(examples[2]).payload(as: InvoiceCleared.self))
        #expect(cleared.clearingId == "1400000123:001" && cleared.invoiceId == "9080004711" && cleared.clearedOn.text == "2026-12-20")
        for (text, reason) in [
            (examples[0].replacingOccurrences(of: "<BSART>INVO</BSART>", with: "<BSART>PROF</BSART>"), "BSART PROF is neither an invoice (INVO) nor a credit memo (CRME)"),
            (examples[0].replacingOccurrences(of: "<SUMID>011</SUMID>", with: "<SUMID>012</SUMID>"), "E1EDS01: no SUMID 011 with a positive SUMME"),
            (examples[0].replacingOccurrences(of: "<TAGE>30</TAGE>", with: "<TAGE>dreißig</TAGE>"), "TAGE dreißig is not a number of days"),
            (examples[2].replacingOccurrences(of: "<AUGDT>20261220</AUGDT>", with: "<AUGDT>2026-12-20</AUGDT>"), "Z1CLEAR #1: AUGDT 2026-12-20 is not a date"),
        ] {
            let result = map(text)
            #expect(result.events.isEmpty && result.rejections.first?.reason.contains(reason) == true, "\(result.rejections)")
        }
    }

    @Test("DEBMAS07: key accounts (Z003) and quick-lube centres (Z004) are customers of their own kind; a centre a tier-1 dealer supplies keeps it as parent")
    func customerKinds() throws {
        let examples = Self.catalogue["erp.in.customers"]!.examples.map { String(decoding: $0.bytes, as: UTF8.self) }
        func dealer(_ text: String) throws -> DealerUpserted {
            let result = mapping.map(RawRecord(topic: "erp.in.customers", partition: 0, offset: 1, value: Array(text.utf8)))
            let event = try #require(result.events.first, "\(result.rejections)")
            return try #require(try CanonicalEvent.decode(event.value).data.payload(as: DealerUpserted.self))
        }
        let keyAccount = try dealer(examples[0].replacingOccurrences(of: "<KTOKD>Z001</KTOKD>", with: "<KTOKD>Z003</KTOKD>"))
        #expect(keyAccount.tier == .keyAccount && keyAccount.parentDealerId == nil)
        let supplied = try dealer(examples[1].replacingOccurrences(of: "<KTOKD>Z002</KTOKD>", with: "<KTOKD>Z004</KTOKD>"))
        #expect(supplied.tier == .quickLube && supplied.parentDealerId == "D100042")
        let direct = try dealer(examples[0].replacingOccurrences(of: "<KTOKD>Z001</KTOKD>", with: "<KTOKD>Z004</KTOKD>"))
        #expect(direct.tier == .quickLube && direct.parentDealerId == nil)
        let other = mapping.map(RawRecord(topic: "erp.in.customers", partition: 0, offset: 2,
                                          value: Array(examples[0].replacingOccurrences(of: "<KTOKD>Z001</KTOKD>", with: "<KTOKD>Z009</KTOKD>").utf8)))
        #expect(other.rejections.first?.reason.contains("account group KTOKD Z009 is not a customer the hub serves (Z001 tier 1, Z002 tier 2, Z003 key account, Z004 quick-lube centre)") == true)
    }

    @Test("unknown segments are ignored; a missing mandatory segment is named")
    func segments() throws {
        let text = String(decoding: Self.example(0), as: UTF8.self)
        let withExtra = text.replacingOccurrences(of: "<E1EDK01 SEGMENT=\"1\">", with: "<Z1CUSTOM SEGMENT=\"1\"><X>1</X></Z1CUSTOM><E1EDK01 SEGMENT=\"1\">")
        #expect(map(Array(withExtra.utf8)).events.count == 1)
        let withoutHeader = text.replacingOccurrences(of: "<E1EDK01 SEGMENT=\"1\">", with: "<E1EDK0X SEGMENT=\"1\">")
            .replacingOccurrences(of: "</E1EDK01>", with: "</E1EDK0X>")
        #expect(map(Array(withoutHeader.utf8)).rejections.first?.reason.contains("missing segment E1EDK01") == true)
        let withoutReference = text.replacingOccurrences(of: "<QUALF>001</QUALF>", with: "<QUALF>002</QUALF>")
        #expect(map(Array(withoutReference.utf8)).rejections.first?.reason.contains("E1EDK02 with QUALF 001") == true)
    }

    @Test("a DTD (also after a long comment), an entity, a processing instruction, another encoding, UTF-16, broken XML and a flood of text are refused, never read")
    func refusals() {
        let body = "<ORDERS05><IDOC BEGIN=\"1\"><EDI_DC40 SEGMENT=\"1\"><MESTYP>ORDRSP</MESTYP></EDI_DC40></IDOC></ORDERS05>"
        let cases: [([UInt8], String)] = [
            (Array("<?xml version=\"1.0\"?><!DOCTYPE ORDERS05 [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\(body)".utf8), "DTD"),
            (Array("<?xml version=\"1.0\" encoding=\"GB18030\"?>\(body)".utf8), "encoding GB18030 is not supported"),
            (Array("<?xml version=\"1.0\" encoding = 'gbk'?>\(body)".utf8), "encoding gbk is not supported"),
            (Array("<!doctype ORDERS05>\(body)".utf8), "DTD"),
            // The attack: a comment longer than the declaration's look-ahead, then the DTD.
            (Array("<?xml version=\"1.0\"?><!--\(String(repeating: "x", count: 5_000))--><!DOCTYPE ORDERS05 [<!ENTITY x \"y\">]>\(body)".utf8), "DTD"),
            (Array(body.replacingOccurrences(of: "</EDI_DC40>", with: "</EDI_DC40><!ENTITY late \"y\">").utf8), "entity declaration"),
            // Found by fuzz-idoc: Foundation's XMLParser crashed on a processing instruction without data.
            (Array("<?xml version=\"1.0\"?>\(body.replacingOccurrences(of: "<IDOC", with: "<?x?><IDOC"))".utf8), "processing instruction"),
            (Array(" <?xml version=\"1.0\"?>\(body)".utf8), "processing instruction"),
            (Array(body.replacingOccurrences(of: "<MESTYP>ORDRSP</MESTYP>", with: "<MESTYP>ORDRSP</MESTYP><SNDPRN>\(String(repeating: "&#65;", count: 70_000))</SNDPRN>").utf8),
             "more than 65536 bytes of text"),
            (Array("<?xml version=\"1.0\"?><!EnTiTy x \"y\">\(body)".utf8), "entity declaration"),
            ([0xFF, 0xFE] + Array("<a/>".utf8), "UTF-16"),
            (Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>".utf8) + [0xC4, 0xE3] + Array(body.utf8), "not valid UTF-8"),
            (Array("<ORDERS05><IDOC>".utf8), "not well-formed"),
            (Array("<ORDERS05><IDOC BEGIN=\"1\"></IDOC></ORDERS05>".utf8), "EDI_DC40"),
            (Array(body.replacingOccurrences(of: "ORDRSP", with: "DESADV").utf8), "not one the ERP adapter maps"),
        ]
        for (bytes, expected) in cases {
            let reason = map(bytes).rejections.first?.reason ?? "(accepted)"
            #expect(reason.contains(expected), "\(expected): \(reason)")
        }
        for declaration in ["<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"utf-8\"?>", "<?xml version='1.0' encoding='UTF8'?>", ""] {
            let reason = map(Array((declaration + body).utf8)).rejections.first?.reason ?? ""
            #expect(!reason.contains("encoding") && !reason.contains("refused"), "\(declaration): \(reason)")
        }
    }

    @Test("random and mutated documents of every ERP type never crash or hang the adapter (fixed seed)")
    func fuzz() {
        var random = FixedSeedRandom(seed: 5_120_000)
        let seeds = Self.catalogue.topics.filter { $0.name.hasPrefix("erp.in.") }.flatMap { $0.examples.map(\.bytes) }
        for _ in 0..<4000 {
            var bytes = seeds[random.next(seeds.count)]
            for _ in 0..<(1 + random.next(4)) {
                let index = random.next(bytes.count)
                switch random.next(3) {
                case 0: bytes[index] = UInt8(random.next(256))
                case 1: bytes.remove(at: index)
                default: bytes.insert(UInt8(ascii: "<"), at: index)
                }
            }
            _ = map(bytes)
        }
    }
}
