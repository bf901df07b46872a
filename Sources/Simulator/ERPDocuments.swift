import WireFormats
import Foundation
import HubContracts

/// The company's master data as its ERP sends it: SAP IDoc-XML on the `erp.in.*` topics
/// (customers DEBMAS07, credit limits ZLHCRED01, materials MATMAS05, list prices COND_A04, stock
/// LOISTD01), plus what has no ERP document — warehouses and permission groups — as canonical
/// events on `hub.warehouses` and `hub.permission-groups`. Each item is a Kafka key and value.
public struct ERPDocuments: Sendable {
    public struct Message: Sendable, Equatable {
        public var topic: String
        public var key: String
        public var value: [UInt8]
    }

    public let company: Company
    /// The creation date and time the documents carry (CREDAT, CRETIM), China Standard Time.
    public var created: (date: String, time: String) = ("20261201", "080000")
    private var writer = IDocWriter(firstNumber: 1)

    public init(company: Company) {
        self.company = company
    }

    /// Every message in the order a hub must get them: what others refer to first.
    public mutating func all() -> [Message] {
        warehouses() + permissionGroups() + materials() + prices() + customers() + creditLimits() + stock()
    }

    public func warehouses() -> [Message] {
        company.branches.flatMap { branch in
            branch.plants.map { plant in
                let province = IDocValues.province(region: branch.provinces[0]) ?? "上海"
                let event = CanonicalEvent(id: "sim:\(company.seed):wh:\(plant)", source: "simulator", occurredAt: Self.epoch, subject: plant,
                                           data: .warehouseUpserted(WarehouseUpserted(warehouseId: plant, name: "\(branch.name) \(plant) 仓", plantId: plant,
                                                                                      region: Region(province: province), stockLocations: [])))
                return Message(topic: TopicName.warehouses, key: plant, value: (try? event.encoded()) ?? [])
            }
        }
    }

    /// One group per branch, product line and customer class: the line's catalogue, the class's
    /// price list, the branch's plants; its tier-1 members see their tier-2 dealers' sell-through.
    public func permissionGroups() -> [Message] {
        var messages: [Message] = []
        for branch in company.branches {
            for channel in Company.channels {
                for customerClass in Company.customerClasses {
                    let code = Company.groupCode(branch: branch, channel: channel, customerClass: customerClass)
                    let line: ProductLine = channel == "10" ? .automotivePackaged : channel == "20" ? .industrialPackaged : .bulk
                    let group = PermissionGroupUpserted(groupId: "PG-" + code, name: "\(branch.name) \(line.rawValue) \(customerClass)", dealerIds: [],
                                                        catalogue: .init(productLines: [line], materialIds: []),
                                                        priceListId: Company.priceList(customerClass: customerClass),
                                                        stockLocations: branch.plants.map { .init(warehouseId: $0) }, flows: .init(reach: .ownAndTier2))
                    let event = CanonicalEvent(id: "sim:\(company.seed):pg:\(code)", source: "simulator", occurredAt: Self.epoch,
                                               subject: "PG-" + code, data: .permissionGroupUpserted(group))
                    messages.append(Message(topic: TopicName.permissionGroups, key: "PG-" + code, value: (try? event.encoded()) ?? []))
                }
            }
        }
        return messages
    }

    public mutating func customers() -> [Message] {
        company.dealers.map { dealer in
            let branch = company.branches[dealer.branch]
            var areas = ""
            for channel in dealer.channels {
                areas += "<E1KNVVM SEGMENT=\"1\"><VKORG>1000</VKORG><VTWEG>\(channel)</VTWEG><SPART>01</SPART><VKBUR>\(branch.id)</VKBUR>"
                areas += "<KDGRP>\(dealer.customerClass)</KDGRP><KVGR1>\(Company.groupCode(branch: branch, channel: channel, customerClass: dealer.customerClass))</KVGR1>"
                areas += "<E1KNVPM SEGMENT=\"1\"><PARVW>ZR</PARVW><PERNR>\(dealer.salesRep)</PERNR></E1KNVPM>"
                if let parent = dealer.parentCustomerNumber { areas += "<E1KNVPM SEGMENT=\"1\"><PARVW>ZH</PARVW><KUNN2>\(parent)</KUNN2></E1KNVPM>" }
                areas += "</E1KNVVM>"
            }
            let body = """
                <E1KNA1M SEGMENT="1"><MSGFN>005</MSGFN><KUNNR>\(dealer.customerNumber)</KUNNR><NAME1>\(IDocWriter.escape(dealer.name))</NAME1>\
                <ORT01>\(IDocWriter.escape(dealer.city))</ORT01><REGIO>\(dealer.province)0</REGIO><LAND1>CN</LAND1><AUFSD></AUFSD>\
                <KTOKD>\(dealer.tier == .tier1 ? "Z001" : "Z002")</KTOKD>\(areas)</E1KNA1M>
                """
            return Message(topic: TopicName.ERP.customers, key: dealer.customerNumber, value: document("DEBMAS07", "DEBMAS", body))
        }
    }

    public mutating func creditLimits() -> [Message] {
        company.dealers.filter { $0.tier == .tier1 }.map { dealer in
            let body = """
                <Z1CREDIT SEGMENT="1"><KUNNR>\(dealer.customerNumber)</KUNNR><KKBER>1000</KKBER><KLIMK>\(dealer.creditLimit).00</KLIMK>\
                <WAERS>CNY</WAERS><DATAB>20261201</DATAB></Z1CREDIT>
                """
            return Message(topic: TopicName.ERP.creditLimits, key: dealer.customerNumber, value: document("ZLHCRED01", "ZLHCRED", body))
        }
    }

    public mutating func materials() -> [Message] {
        company.materials.map { material in
            let body = """
                <E1MARAM SEGMENT="1"><MSGFN>005</MSGFN><MATNR>\(material.number)</MATNR><MTART>FERT</MTART>\
                <MATKL>\(material.lineCode)-\(material.category)</MATKL><MEINS>\(material.unit)</MEINS><GROES>\(material.packageSize)</GROES><LVORM></LVORM>\
                <E1MAKTM SEGMENT="1"><SPRAS_ISO>ZH</SPRAS_ISO><MAKTX>\(IDocWriter.escape(material.name))</MAKTX></E1MAKTM>\
                <E1MVKEM SEGMENT="1"><VKORG>1000</VKORG><VTWEG>\(material.channel)</VTWEG><PRODH>\(material.lineCode)\(material.grade)</PRODH></E1MVKEM>\
                \(Self.weight(material))\(valuations(material))</E1MARAM>
                """
            return Message(topic: TopicName.ERP.materials, key: material.number, value: document("MATMAS05", "MATMAS", body))
        }
    }

    /// Net weight: oil at 0.87 kg a litre; a tonne of bulk 1,000 kg.
    static func weight(_ material: Company.Material) -> String {
        let size = Double(material.packageSize.split(separator: " ").first.flatMap { Double($0) } ?? 1)
        let kilograms = material.unit == "TO" ? 1_000 : size * 0.87
        return "<NTGEW>\(String(format: "%.3f", kilograms))</NTGEW><GEWEI>KG</GEWEI>"
    }

    /// The material's standard cost at each plant (E1MBEWM): 55–75 % of its list price, a little
    /// more at some plants; bulk per tonne.
    func valuations(_ material: Company.Material) -> String {
        let share = 55 + Int(SeededRandom.stableHash("cost-" + material.number) % 21)
        return company.plants.enumerated().map { index, plant in
            let fen = material.basePrice * (share + index % 3)
            return "<E1MBEWM SEGMENT=\"1\"><BWKEY>\(plant)</BWKEY><VPRSV>S</VPRSV><STPRS>\(fen / 100).\(String(format: "%02d", fen % 100))</STPRS><PEINH>1</PEINH></E1MBEWM>"
        }.joined()
    }

    /// The list prices of every material for every customer class, 200 conditions per document.
    public mutating func prices() -> [Message] {
        var messages: [Message] = []
        for customerClass in Company.customerClasses {
            for start in stride(from: 0, to: company.materials.count, by: 200) {
                var body = ""
                for material in company.materials[start..<min(start + 200, company.materials.count)] {
                    let fen = Company.priceFen(material, customerClass: customerClass)
                    body += """
                        <E1KOMG SEGMENT="1"><KVEWE>A</KVEWE><KOTABNR>305</KOTABNR><KAPPL>V</KAPPL><KSCHL>PR00</KSCHL><VKORG>1000</VKORG>\
                        <VTWEG>\(material.channel)</VTWEG><KDGRP>\(customerClass)</KDGRP><MATNR>\(material.number)</MATNR>\
                        <E1KONH SEGMENT="1"><DATAB>20260101</DATAB><DATBI>99991231</DATBI><E1KONP SEGMENT="1"><KSCHL>PR00</KSCHL>\
                        <KBETR>\(fen / 100).\(String(format: "%02d", fen % 100))</KBETR><KONWA>CNY</KONWA><KPEIN>1</KPEIN><KMEIN>\(material.unit)</KMEIN></E1KONP></E1KONH></E1KOMG>
                        """
                }
                messages.append(Message(topic: TopicName.ERP.prices, key: customerClass, value: document("COND_A04", "COND_A", body)))
            }
        }
        return messages
    }

    /// Stock on hand of every material in every plant (location 0001), 500 materials per document.
    public mutating func stock() -> [Message] {
        var random = SeededRandom(seed: company.seed).fork("stock")
        var messages: [Message] = []
        for plant in company.plants {
            for start in stride(from: 0, to: company.materials.count, by: 500) {
                var lines = ""
                for material in company.materials[start..<min(start + 500, company.materials.count)] {
                    let onHand = material.unit == "TO" ? Int.random(in: 20...400, using: &random) : Int.random(in: 200...20_000, using: &random)
                    lines += "<E1LOSTM SEGMENT=\"1\"><MATNR>\(material.number)</MATNR><LGORT>0001</LGORT><LABST>\(onHand)</LABST><MEINS>\(material.unit)</MEINS></E1LOSTM>"
                }
                messages.append(Message(topic: TopicName.ERP.stock, key: plant, value: document("LOISTD01", "LOISTD", "<E1MBEWM SEGMENT=\"1\"><WERKS>\(plant)</WERKS>\(lines)</E1MBEWM>")))
            }
        }
        return messages
    }

    static let epoch = Timestamp(parsing: "2026-12-01T00:00:00Z")!

    mutating func document(_ type: String, _ messageType: String, _ body: String) -> [UInt8] {
        writer.document(type, messageType, body, created: created)
    }
}
