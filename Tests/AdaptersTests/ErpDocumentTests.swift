@testable import Adapters
import WireFormats
import Foundation
import HubContracts
import Testing

/// The ERP's master data, stock and deliveries in, its order documents out: every mandatory part
/// named when missing, every value checked, Chinese text intact both ways.
@Suite("ERP adapter: master data, stock, deliveries in; ORDERS05 and ORDCHG out")
struct ErpDocumentTests {
    static let catalogue = JT808Tests.catalogue
    let mapping = ErpMapping()

    func example(_ topic: String, _ index: Int = 0) -> String { String(decoding: Self.catalogue[topic]!.examples[index].bytes, as: UTF8.self) }

    func map(_ text: String, topic: String = "erp.in.customers") -> MappingResult {
        mapping.map(RawRecord(topic: topic, partition: 0, offset: 7, value: Array(text.utf8)))
    }

    func events(_ text: String, topic: String = "erp.in.customers") throws -> [CanonicalEvent] {
        let result = map(text, topic: topic)
        #expect(result.rejections.isEmpty, "\(result.rejections)")
        return try result.events.map { try CanonicalEvent.decode($0.value) }
    }

    func reason(_ text: String) -> String { map(text).rejections.first?.reason ?? "(accepted)" }

    @Test("DEBMAS07: tier, parent, status, province from the GB/T 2260 code, product lines with classes, permission groups; no credit limit")
    func customers() throws {
        let dealer = try #require(try events(example("erp.in.customers")).first?.data.payload(as: DealerUpserted.self))
        #expect(dealer.dealerId == "D100042" && dealer.tier == .tier1 && dealer.parentDealerId == nil && dealer.status == .active)
        #expect(dealer.region == Region(province: "上海", city: "上海", address: "浦东新区张江路 88 号") && dealer.branchId == "BR-EAST")
        #expect(dealer.productLines.map(\.customerClass) == ["A", "B"] && dealer.permissionGroupIds == ["PG-EAU", "PG-EIN"])
        #expect(dealer.creditLimit == nil && dealer.salesRepId == "REP-017")
        let tier2 = try #require(try events(example("erp.in.customers", 1)).first?.data.payload(as: DealerUpserted.self))
        #expect(tier2.tier == .tier2 && tier2.parentDealerId == "D100042" && tier2.status == .blocked && tier2.region.province == "江苏")
        let closed = example("erp.in.customers").replacingOccurrences(of: "<AUFSD></AUFSD>", with: "<LOEVM>X</LOEVM>")
        #expect((try events(closed).first?.data.payload(as: DealerUpserted.self))?.status == .closed)

        let tier1 = example("erp.in.customers")
        let orphan = example("erp.in.customers", 1).replacingOccurrences(of: "<PARVW>ZH</PARVW>", with: "<PARVW>ZR</PARVW>")
        let cases: [(String, String)] = [
            (orphan, "needs its tier-1 parent as partner ZH"),
            (tier1.replacingOccurrences(of: "<KTOKD>Z001</KTOKD>", with: "<KTOKD>0001</KTOKD>"), "account group KTOKD 0001 is not a customer the hub serves"),
            (tier1.replacingOccurrences(of: "<REGIO>310</REGIO>", with: "<REGIO>999</REGIO>"), "REGIO 999 is not a Chinese province code"),
            (tier1.replacingOccurrences(of: "<VKBUR>BR-EAST</VKBUR>", with: ""), "missing segment E1KNVVM with VKBUR"),
            (tier1.replacingOccurrences(of: "<NAME1>上海申润汽车用品有限公司</NAME1>", with: "<NAME1> </NAME1>"), "NAME1 is empty"),
            (tier1.replacingOccurrences(of: "E1KNA1M", with: "E1KNA1X"), "missing segment E1KNA1M"),
        ]
        for (document, expected) in cases { #expect(reason(document).contains(expected), "\(expected): \(reason(document))") }
    }

    @Test("MATMAS05: product line from the sales data, grade, package size and unit, deletion flag; bad sizes and units named")
    func materials() throws {
        let material = try #require(try events(example("erp.in.materials"), topic: "erp.in.materials").first?.data.payload(as: MaterialUpserted.self))
        #expect(material.name == "长城金吉星 SN 5W-30 4L" && material.productLine == .automotivePackaged && material.productLineCode == "PL03")
        #expect(material.category == "PCMO" && material.grade == "SN5W30" && material.status == "active")
        #expect(material.packageSize == .init(value: DecimalNumber("4")!, unit: "L") && material.unitOfMeasure == "EA")
        #expect((try events(example("erp.in.materials", 1), topic: "erp.in.materials").first?.data.payload(as: MaterialUpserted.self))?.status == "discontinued")
        #expect(MaterialMasterMapping.packageSize("200kg") == .init(value: DecimalNumber("200")!, unit: "kg"))
        #expect(MaterialMasterMapping.packageSize("1 TO") == .init(value: DecimalNumber("1")!, unit: "bulk-t"))
        #expect(MaterialMasterMapping.packageSize("0 L") == nil && MaterialMasterMapping.packageSize("four L") == nil)
        let typical = example("erp.in.materials")
        let cases: [(String, String)] = [
            (typical.replacingOccurrences(of: "<GROES>4 L</GROES>", with: "<GROES>4 gallons</GROES>"), "GROES 4 gallons is not a package size"),
            (typical.replacingOccurrences(of: "<MEINS>EA</MEINS>", with: "<MEINS>BOX</MEINS>"), "MEINS BOX is not a unit"),
            (typical.replacingOccurrences(of: "<VTWEG>10</VTWEG>", with: "<VTWEG>99</VTWEG>"), "missing segment E1MVKEM with VTWEG"),
            (typical.replacingOccurrences(of: "E1MAKTM", with: "E1MAKTX"), "missing segment E1MAKTM"),
        ]
        for (document, expected) in cases { #expect(reason(document).contains(expected), "\(expected): \(reason(document))") }
    }

    @Test("MATMAS05: litres and kilograms per unit (given, or from the package), each plant's cost by its price control per its price unit; bad units and prices named")
    func materialVolumesAndCosts() throws {
        let material = try #require(try events(example("erp.in.materials"), topic: "erp.in.materials").first?.data.payload(as: MaterialUpserted.self))
        #expect(material.volumeLitres == DecimalNumber("4") && material.netWeightKg == DecimalNumber("3.5"))
        #expect(material.valuations == [.init(plantId: "P1010", priceControl: .standard, unitCost: DecimalNumber("96.5")!),
                                        .init(plantId: "P1020", priceControl: .movingAverage, unitCost: DecimalNumber("98.125")!)],
                "STPRS as it is; VERPR 981.25 per 10 units is 98.125 a unit")
        let bare = try #require(try events(example("erp.in.materials", 1), topic: "erp.in.materials").first?.data.payload(as: MaterialUpserted.self))
        #expect(bare.volumeLitres == DecimalNumber("4") && bare.netWeightKg == nil && bare.valuations == nil,
                "a 4 L can sold each holds 4 L; its weight is not known; no valuation data: none sent")
        #expect(MaterialMasterMapping.derivedKilograms(.init(value: DecimalNumber("200")!, unit: "kg"), unit: "EA") == DecimalNumber("200"))
        #expect(MaterialMasterMapping.derivedKilograms(.init(value: DecimalNumber("1")!, unit: "bulk-t"), unit: "T") == DecimalNumber("1000"))
        #expect(MaterialMasterMapping.derivedLitres(.init(value: DecimalNumber("1")!, unit: "bulk-t"), unit: "T") == nil)
        let typical = example("erp.in.materials")
        let millilitres = typical.replacingOccurrences(of: "<VOLUM>4.000</VOLUM>", with: "<VOLUM>946</VOLUM>").replacingOccurrences(of: "<VOLEH>LTR</VOLEH>", with: "<VOLEH>ML</VOLEH>")
        #expect(try events(millilitres, topic: "erp.in.materials").first?.data.payload(as: MaterialUpserted.self)?.volumeLitres == DecimalNumber("0.946"))
        let thirds = typical.replacingOccurrences(of: "<VERPR>981.25</VERPR>", with: "<VERPR>100</VERPR>").replacingOccurrences(of: "<PEINH>10</PEINH>", with: "<PEINH>3</PEINH>")
        #expect(try events(thirds, topic: "erp.in.materials").first?.data.payload(as: MaterialUpserted.self)?.valuations?.last?.unitCost == DecimalNumber("33.333333"),
                "100 per 3 units: six decimals")
        let cases: [(String, String)] = [
            (typical.replacingOccurrences(of: "<VOLEH>LTR</VOLEH>", with: "<VOLEH>GLL</VOLEH>"), "VOLEH GLL is not a volume unit"),
            (typical.replacingOccurrences(of: "<GEWEI>KGM</GEWEI>", with: "<GEWEI>LB</GEWEI>"), "GEWEI LB is not a weight unit"),
            (typical.replacingOccurrences(of: "<VPRSV>S</VPRSV>", with: "<VPRSV>X</VPRSV>"), "E1MBEWM P1010: VPRSV X is not a price control"),
            (typical.replacingOccurrences(of: "<STPRS>96.50</STPRS>", with: "<STPRS>abc</STPRS>"), "E1MBEWM P1010: STPRS abc is not a price"),
            (typical.replacingOccurrences(of: "<PEINH>10</PEINH>", with: "<PEINH>0</PEINH>"), "E1MBEWM P1020: PEINH 0 is not a price unit"),
            (typical.replacingOccurrences(of: "<BWKEY>P1020</BWKEY>", with: ""), "E1MBEWM without BWKEY"),
        ]
        for (document, expected) in cases { #expect(reason(document).contains(expected), "\(expected): \(reason(document))") }
    }

    @Test("ZLHCONT01: a quantity contract's product line, validity and items added up in litres and kilograms; cancelled by ABGRU; bad units, dates and quantities named")
    func contracts() throws {
        let contract = try #require(try events(example("erp.in.contracts"), topic: "erp.in.contracts").first?.data.payload(as: ContractUpserted.self))
        #expect(contract.contractId == "0040000123" && contract.dealerId == "D100042" && contract.productLine == .automotivePackaged && contract.status == .active)
        #expect(contract.validFrom == CalendarDate("2026-01-01") && contract.validTo == CalendarDate("2026-12-31"))
        #expect(contract.contractedLitres == DecimalNumber("128000") && contract.contractedKilograms == DecimalNumber("2500"), "120,000 L + 8,000 L; 2.5 t")
        #expect(contract.lines.map(\.lineNo) == [10, 20, 30] && contract.lines[1].materialId == "M-SN5W30-4L" && contract.lines[0].materialId == nil)
        let cancelled = try #require(try events(example("erp.in.contracts", 1), topic: "erp.in.contracts").first?.data.payload(as: ContractUpserted.self))
        #expect(cancelled.status == .cancelled && cancelled.contractedLitres == nil && cancelled.contractedKilograms == DecimalNumber("20000")
                && cancelled.productLine == .industrialPackaged)
        let typical = example("erp.in.contracts")
        let cases: [(String, String)] = [
            (typical.replacingOccurrences(of: "<ZIEME>TO</ZIEME>", with: "<ZIEME>ST</ZIEME>"), "Z1CONTI 000030: ZIEME ST is not a volume or weight unit"),
            (typical.replacingOccurrences(of: "<GUEEN>20261231</GUEEN>", with: "<GUEEN>20251231</GUEEN>"), "valid from 2026-01-01 is after valid to 2025-12-31"),
            (typical.replacingOccurrences(of: "<GUEBG>20260101</GUEBG>", with: "<GUEBG>2026-01-01</GUEBG>"), "GUEBG 2026-01-01 is not a date"),
            (typical.replacingOccurrences(of: "<VTWEG>10</VTWEG>", with: "<VTWEG>99</VTWEG>"), "VTWEG 99 is not a product line's channel"),
            (typical.replacingOccurrences(of: "<ZMENG>8000</ZMENG>", with: "<ZMENG>0</ZMENG>"), "Z1CONTI 000020: ZMENG 0 is not a target quantity"),
            (typical.replacingOccurrences(of: "<KUNNR>0000100042</KUNNR>", with: ""), "KUNNR (the sold-to customer) is empty"),
            (typical.replacingOccurrences(of: "Z1CONTI", with: "Z1CONTX"), "missing segment Z1CONTI"),
        ]
        for (document, expected) in cases { #expect(reason(document).contains(expected), "\(expected): \(reason(document))") }
    }

    @Test("ZLHFUND01: a budget for a period and a use on a day, by fund and product line; reversed by STORNO; bad kinds, dates, amounts and currencies named")
    func funds() throws {
        let posted = try events(example("erp.in.funds"), topic: "erp.in.funds").compactMap { $0.data.payload(as: FundPosted.self) }
        #expect(posted.count == 2)
        let budget = try #require(posted.first), use = try #require(posted.last)
        #expect(budget.entryId == "5100000311" && budget.dealerId == "D100042" && budget.fund == .marketDevelopment && budget.entry == .budget)
        #expect(budget.productLine == .automotivePackaged && budget.periodFrom == CalendarDate("2026-01-01") && budget.periodTo == CalendarDate("2026-12-31"))
        #expect(budget.amount == DecimalNumber("36500.00") && budget.status == .posted && budget.text == "2026 门头与培训预算")
        #expect(use.fund == .promotion && use.entry == .use && use.productLine == nil && use.periodFrom == CalendarDate("2026-11-15") && use.periodTo == use.periodFrom)
        let reversed = try #require(try events(example("erp.in.funds", 1), topic: "erp.in.funds").first?.data.payload(as: FundPosted.self))
        #expect(reversed.entryId == "5100000412" && reversed.status == .reversed)
        let typical = example("erp.in.funds")
        let cases: [(String, String)] = [
            (typical.replacingOccurrences(of: "<ZFART>MDF</ZFART>", with: "<ZFART>XYZ</ZFART>"), "Z1FUNDE 5100000311: ZFART XYZ is not a fund"),
            (typical.replacingOccurrences(of: "<ZEART>U</ZEART>", with: "<ZEART>Q</ZEART>"), "Z1FUNDE 5100000412: ZEART Q is not an entry kind"),
            (typical.replacingOccurrences(of: "<DATBI>20261231</DATBI>", with: "<DATBI>20251231</DATBI>"), "DATAB 2026-01-01 is after DATBI 2025-12-31"),
            (typical.replacingOccurrences(of: "<BUDAT>20261115</BUDAT>", with: ""), "BUDAT (empty) is not a date (YYYYMMDD), the day the money was used"),
            (typical.replacingOccurrences(of: "<WRBTR>1280.50</WRBTR>", with: "<WRBTR>-5</WRBTR>"), "WRBTR -5 is not an amount"),
            (typical.replacingOccurrences(of: "<WAERS>CNY</WAERS>", with: "<WAERS>USD</WAERS>"), "WAERS USD is not CNY"),
            (typical.replacingOccurrences(of: "<VTWEG>10</VTWEG>", with: "<VTWEG>99</VTWEG>"), "VTWEG 99 is not a product line's channel"),
            (typical.replacingOccurrences(of: "Z1FUNDE", with: "Z1FUNDX"), "missing segment Z1FUNDE"),
        ]
        for (document, expected) in cases { #expect(reason(document).contains(expected), "\(expected): \(reason(document))") }
    }

    @Test("COND_A04: PR00 list prices per customer group and material; negative amounts, reversed validity and other condition types")
    func prices() throws {
        let list = try #require(try events(example("erp.in.prices"), topic: "erp.in.prices").first?.data.payload(as: PriceListUpserted.self))
        #expect(list.priceListId == "PL-A1" && list.customerGroup == "A1" && list.currency == "CNY")
        #expect(list.validFrom.text == "2026-12-01" && list.validTo?.text == "2027-03-31")
        #expect(list.prices == [.init(materialId: "M-SN5W30-4L", unitPrice: DecimalNumber("168.00")!, per: DecimalNumber("1"))])
        #expect((try events(example("erp.in.prices", 1), topic: "erp.in.prices").first?.data.payload(as: PriceListUpserted.self))?.validTo == nil, "99991231 is open-ended")
        let typical = example("erp.in.prices")
        #expect(reason(typical.replacingOccurrences(of: "<KBETR>168.00</KBETR>", with: "<KBETR>168.00-</KBETR>")).contains("KBETR 168.00- is negative"))
        #expect(reason(typical.replacingOccurrences(of: "<DATBI>20270331</DATBI>", with: "<DATBI>20261101</DATBI>")).contains("before DATAB"))
        #expect(reason(typical.replacingOccurrences(of: "<KONWA>CNY</KONWA>", with: "<KONWA>元</KONWA>")).contains("KONWA 元 is not a currency code"))
        #expect(reason(typical.replacingOccurrences(of: "E1KONP", with: "E1KONX")).contains("missing segment E1KONP"))
        let discount = map(typical.replacingOccurrences(of: "<KSCHL>PR00</KSCHL>", with: "<KSCHL>K007</KSCHL>"))
        #expect(discount.events.isEmpty && discount.rejections.isEmpty && discount.skipped != nil, "a discount is not a list price")
    }

    @Test("LOISTD01: one snapshot per plant, location and material, as of the document's time; negative stock refused")
    func stock() throws {
        let twoLines = example("erp.in.stock").replacingOccurrences(of: "</E1LOSTM>", with: """
            </E1LOSTM>
                  <E1LOSTM SEGMENT="1"><MATNR>M-IND-46-200L</MATNR><LGORT>0002</LGORT><LABST>12.5</LABST><MEINS>EA</MEINS></E1LOSTM>
            """)
        let result = map(twoLines, topic: "erp.in.stock")
        #expect(result.events.map(\.key) == ["P1010:M-SN5W30-4L", "P1010:M-IND-46-200L"])
        #expect(result.events.map(\.id) == ["erp.in.stock:0:7:0", "erp.in.stock:0:7:1"], "one id per output, by position")
        let second = try #require(try CanonicalEvent.decode(result.events[1].value).data.payload(as: StockSnapshot.self))
        #expect(second == StockSnapshot(warehouseId: "P1010", locationId: "0002", materialId: "M-IND-46-200L", onHand: DecimalNumber("12.5")!,
                                        asOf: Timestamp(parsing: "2026-11-29T02:15:00Z")!))
        #expect(reason(example("erp.in.stock").replacingOccurrences(of: "<LABST>4820</LABST>", with: "<LABST>5-</LABST>")).contains("negative"))
        #expect(reason(example("erp.in.stock").replacingOccurrences(of: "<CRETIM>101500</CRETIM>", with: "<CRETIM>256000</CRETIM>")).contains("a snapshot needs its time"))
        #expect(reason(example("erp.in.stock").replacingOccurrences(of: "<WERKS>P1010</WERKS>", with: "")).contains("WERKS (the plant) is empty"))
    }

    @Test("DELVRY07/DESADV: allocations per order, the shipment to the ship-to dealer; missing references named")
    func deliveries() throws {
        let twoOrders = example("erp.in.deliveries").replacingOccurrences(of: "<E1EDL18", with: """
            <E1EDL24 SEGMENT="1"><POSNR>000020</POSNR><MATNR>M-IND-46-200L</MATNR><LFIMG>8</LFIMG>
              <E1EDL43 SEGMENT="1"><QUALF>C</QUALF><BELNR>O-2B8N4W1X</BELNR><POSNR>000003</POSNR></E1EDL43></E1EDL24>
            <E1EDL18
            """)
        let all = try events(twoOrders, topic: "erp.in.deliveries")
        #expect(all.map(\.type) == ["order.allocated", "order.allocated", "shipment.created"])
        #expect((all[1].data.payload(as: OrderAllocated.self)) == OrderAllocated(orderId: "O-2B8N4W1X", deliveryNumber: "0080004711",
                                                                     lines: [.init(lineNo: 3, warehouseId: "P1010", quantity: DecimalNumber("8")!)]))
        let shipment = try #require(all[2].data.payload(as: ShipmentCreated.self))
        #expect(shipment.orderIds == ["O-7Q3K9ZP2", "O-2B8N4W1X"] && shipment.carrierId == "CAR-07" && shipment.originWarehouseId == "P1010")
        #expect(shipment.destination.dealerId == "D100042" && shipment.destination.region.province == "上海")
        let typical = example("erp.in.deliveries")
        let cases: [(String, String)] = [
            (typical.replacingOccurrences(of: "<QUALF>C</QUALF>", with: "<QUALF>V</QUALF>"), "missing segment E1EDL43 with QUALF C"),
            (typical.replacingOccurrences(of: "<LFIMG>120</LFIMG>", with: "<LFIMG>0</LFIMG>"), "LFIMG 0 is not a positive quantity"),
            (typical.replacingOccurrences(of: "<REGION>310</REGION>", with: ""), "REGION (empty) is not a Chinese province code"),
            (typical.replacingOccurrences(of: "<TDLNR>CAR-07</TDLNR>", with: ""), "TDLNR (the carrier) is empty"),
            (typical.replacingOccurrences(of: "E1EDL24", with: "E1EDL2X"), "missing segment E1EDL24"),
        ]
        for (document, expected) in cases { #expect(reason(document).contains(expected), "\(expected): \(reason(document))") }
    }

    func orderEvent(_ index: Int) -> RawRecord {
        RawRecord(topic: "hub.orders.events", partition: 1, offset: 90 + Int64(index), value: Self.catalogue["hub.orders.events"]!.examples[index].bytes)
    }

    @Test("ORDERS05 out: what the ERP reads back is the accepted order, the same bytes every time; ORDCHG carries the Chinese reason")
    func outbound() throws {
        let written = mapping.map(orderEvent(0))
        let document = try #require(written.events.first)
        #expect(document.topic == "erp.out.orders" && document.key == "O-7Q3K9ZP2" && document.id == "hub.orders.events:1:90:0")
        #expect(mapping.map(orderEvent(0)) == written, "a replay writes the same document, DOCNUM included")
        let read = try IDocDocument.parse(document.value)
        #expect(read.basicType == "ORDERS05" && read.messageType == "ORDERS" && read.control["CREDAT"] == "20261129" && read.control["CRETIM"] == "101500")
        #expect(read.control["DOCNUM"]?.count == 16)
        #expect(read.segments("E1EDK02").first?["BELNR"] == "O-7Q3K9ZP2" && read.segments("E1EDKA1").first?["PARTN"] == "0000100042")
        #expect(read.segments("E1EDK03").first?["DATUM"] == "20261205")
        let lines = read.segments("E1EDP01")
        #expect(lines.map { $0["POSEX"] } == ["000001", "000002"] && lines.map { $0["PSTYV"] } == ["ZSPT", "ZMTO"])
        #expect(lines.map { $0["MENGE"] } == ["120", "8"] && lines.map { $0.segments("E1EDP19").first?["IDTNR"] } == ["M-SN5W30-4L", "M-IND-46-200L"])

        let cancellation = try IDocDocument.parse(try #require(mapping.map(orderEvent(3)).events.first).value)
        #expect(cancellation.messageType == "ORDCHG" && cancellation.segments("E1EDK01").first?["ACTION"] == "003")
        #expect(cancellation.segments("E1EDKT1").first?.segments("E1EDKT2").first?["TDLINE"] == "客户取消: 重复下单 <急>", "escaped going out, intact coming back")

        #expect(mapping.map(orderEvent(1)).skipped != nil && mapping.map(orderEvent(2)).skipped != nil, "rejections and the ERP's own confirmations are not sent back")
        let foreign = String(decoding: Self.catalogue["hub.orders.events"]!.examples[0].bytes, as: UTF8.self).replacingOccurrences(of: "\"D100042\"", with: "\"DLR-9\"")
        #expect(mapping.map(RawRecord(topic: "hub.orders.events", partition: 0, offset: 1, value: Array(foreign.utf8))).rejections.first?.reason
            .contains("dealer DLR-9 has no SAP customer number") == true)
        #expect(mapping.map(RawRecord(topic: "hub.orders.events", partition: 0, offset: 2, value: Array("{".utf8))).rejections.first?.reason
            .contains("not a canonical order event") == true)
    }

    @Test("values as SAP writes them: trailing minus, YYYYMMDD, UTC+8 both ways, customer numbers")
    func values() {
        #expect(IDocValues.decimal("12.50-") == DecimalNumber("-12.50") && IDocValues.decimal("1,000") == nil)
        #expect(IDocValues.date("20260229") == nil && IDocValues.date("20280229")?.text == "2028-02-29")
        #expect(IDocValues.instant(date: "20261201", time: "073000")?.text == "2026-11-30T23:30:00Z")
        let midnight = OrderDocumentWriter.chinaStandardTime(Timestamp(parsing: "2026-12-31T16:00:00Z")!)
        #expect(midnight.date == "20270101" && midnight.time == "000000")
        #expect(IDocValues.customerNumber("D100042") == "0000100042" && IDocValues.customerNumber("D") == nil && IDocValues.customerNumber("X1") == nil)
        #expect(IDocValues.dealerId("0000100042") == "D100042" && IDocValues.province(region: "44") == "广东" && IDocValues.province(region: "441") == nil)
    }
}
