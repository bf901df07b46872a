import HubContracts
import WireFormats
public import Foundation

/// What the field sends: quick-lube centres' service records (the ABS system), anti-counterfeit
/// scans, and tier-1 dealers' own systems (sell-through and stock snapshots) — each as its system
/// writes it, drawn from the company and a seeded random stream. A small share is wrong on purpose
/// (``FieldMessages/malformed(_:random:)``) so the dead-letter path works during a run too.
public struct FieldMessages: Sendable {
    public let company: Company
    private let tier1: [Company.Dealer]
    private let automotive: [Company.Material]
    private var random: SeededRandom
    private var serial = 0

    public init(company: Company, stream: String = "field") {
        self.company = company
        tier1 = company.tier1
        let automotive = company.materials.filter { $0.channel == "10" }
        self.automotive = automotive.isEmpty ? company.materials : automotive
        random = SeededRandom(seed: company.seed).fork(stream)
    }

    private mutating func next() -> Int {
        serial += 1
        return serial
    }

    private static func provinceName(_ code: String) -> String {
        IDocValues.province(region: code) ?? code
    }

    struct ServiceRecord: Encodable {
        var recordNo: String
        var centreCode: String
        var plate: String?
        var materialCode: String
        var litres: String
        var serviceTime: String
        var mileage: Int?
    }

    /// One oil change at a quick-lube centre near a tier-1 dealer.
    public mutating func serviceRecord(at time: Date) -> ERPDocuments.Message {
        let dealer = tier1[Int.random(in: 0..<tier1.count, using: &random)]
        let centre = "QL-\(dealer.province)-\(String(format: "%04d", Int.random(in: 1...400, using: &random)))"
        let material = automotive[Int.random(in: 0..<automotive.count, using: &random)]
        let record = ServiceRecord(recordNo: "ABS-\(company.seed)-\(next())", centreCode: centre,
                                   plate: Int.random(in: 0..<5, using: &random) == 0 ? nil : "沪B·\(Int.random(in: 10_000...99_999, using: &random))",
                                   materialCode: material.number, litres: "\(Int.random(in: 3...5, using: &random)).\(Int.random(in: 0...9, using: &random))",
                                   serviceTime: CarrierMessages.localTime(time), mileage: Int.random(in: 1_000...300_000, using: &random))
        return ERPDocuments.Message(topic: TopicName.ABS.serviceRecords, key: centre, value: SimulatorJSON.bytes(record))
    }

    struct Scan: Encodable {
        var scanId: String
        var code: String
        var materialCode: String?
        var batch: String?
        var result: String
        var province: String
        var city: String
        var scanTime: String
        var dealerCode: String?
    }

    /// One consumer's scan of a can: mostly genuine where its dealer sells, now and then a fake,
    /// now and then a genuine can far outside its dealer's territory (cross-region, 窜货).
    public mutating func scan(at time: Date) -> ERPDocuments.Message {
        let dealer = tier1[Int.random(in: 0..<tier1.count, using: &random)]
        let material = automotive[Int.random(in: 0..<automotive.count, using: &random)]
        let code = String(format: "%08X%08X", UInt32(truncatingIfNeeded: Int.random(in: 0...Int(UInt32.max), using: &random)), UInt32(next()))
        let roll = Int.random(in: 0..<100, using: &random)
        var province = dealer.province
        var city = dealer.city
        if roll < 3 {
            // Shipped to this dealer, scanned in another branch's territory.
            let others = company.branches.enumerated().filter { $0.offset != dealer.branch }.map(\.element)
            let branch = others[Int.random(in: 0..<others.count, using: &random)]
            province = branch.provinces[0]
            city = Company.cities[province]?.first ?? province
        }
        let fake = roll >= 3 && roll < 5
        let scan = Scan(scanId: "SCAN-\(company.seed)-\(next())", code: code, materialCode: fake ? nil : material.number,
                        batch: fake ? nil : "B" + ChinaTime.day(time, plus: -30), result: fake ? "FAKE" : "GENUINE", province: Self.provinceName(province),
                        city: city, scanTime: CarrierMessages.localTime(time), dealerCode: fake ? nil : dealer.customerNumber)
        return ERPDocuments.Message(topic: TopicName.AntiCounterfeit.scans, key: code, value: SimulatorJSON.bytes(scan))
    }

    struct SellThrough: Encodable {
        struct Record: Encodable {
            var recordId: String
            var materialId: String
            var quantity: String
            var soldAt: String
            var customerKind: String
            var customerId: String?
            var province: String
            var city: String
            var unitPrice: String
        }

        var dealerId: String
        var records: [Record]
    }

    struct StockSnapshot: Encodable {
        struct Line: Encodable {
            var materialId: String
            var onHand: String
        }

        var dealerId: String
        var asOf: String
        var lines: [Line]
    }

    /// A tier-1 dealer's system reporting what it sold (流向) — to tier-2 shops and end customers.
    public mutating func sellThrough(at time: Date) -> ERPDocuments.Message {
        let dealer = tier1[Int.random(in: 0..<tier1.count, using: &random)]
        let records = (0..<Int.random(in: 1...5, using: &random)).map { _ -> SellThrough.Record in
            let material = automotive[Int.random(in: 0..<automotive.count, using: &random)]
            let fen = Company.priceFen(material, customerClass: dealer.customerClass) * 115 / 100
            return SellThrough.Record(recordId: "\(dealer.dealerId)-ST-\(next())", materialId: material.number, quantity: String(Int.random(in: 1...24, using: &random)),
                                      soldAt: CarrierMessages.localTime(time), customerKind: Int.random(in: 0..<2, using: &random) == 0 ? "tier2" : "end-customer",
                                      customerId: nil, province: Self.provinceName(dealer.province), city: dealer.city,
                                      unitPrice: "\(fen / 100).\(String(format: "%02d", fen % 100))")
        }
        return ERPDocuments.Message(topic: TopicName.Dealer.sellThrough, key: dealer.dealerId, value: SimulatorJSON.bytes(SellThrough(dealerId: dealer.dealerId, records: records)))
    }

    /// A tier-1 dealer's system reporting its own stock of a few materials.
    public mutating func stockSnapshot(at time: Date) -> ERPDocuments.Message {
        let dealer = tier1[Int.random(in: 0..<tier1.count, using: &random)]
        var seen = Set<String>()
        let lines = (0..<Int.random(in: 1...8, using: &random)).compactMap { _ -> StockSnapshot.Line? in
            let material = automotive[Int.random(in: 0..<automotive.count, using: &random)]
            guard seen.insert(material.number).inserted else { return nil }
            return StockSnapshot.Line(materialId: material.number, onHand: String(Int.random(in: 0...200, using: &random)))
        }
        return ERPDocuments.Message(topic: TopicName.Dealer.stockSnapshots, key: dealer.dealerId,
                                    value: SimulatorJSON.bytes(StockSnapshot(dealerId: dealer.dealerId, asOf: CarrierMessages.localTime(time), lines: lines)))
    }

    /// A message of the same topic that its adapter must refuse (and dead-letter): a field out of
    /// its range, a time nobody can read, a cut-off document, a JT/T 808 frame with a bad check code.
    public static func malformed(_ message: ERPDocuments.Message, kind: Int) -> ERPDocuments.Message {
        var broken = message
        switch (message.topic, kind % 3) {
        case (TopicName.Carrier.jt808, _):
            // Flip a body byte: the check code no longer matches.
            if broken.value.count > 20 { broken.value[18] ^= 0x01; if broken.value[18] == 0x7E || broken.value[18] == 0x7D { broken.value[18] ^= 0x03 } }
        case (_, 0):
            broken.value = Array(broken.value.prefix(max(1, broken.value.count / 2)))
        case (_, 1):
            let text = String(decoding: broken.value, as: UTF8.self)
            broken.value = Array(text.replacingOccurrences(of: "\"20", with: "\"yesterday 20").utf8)
        default:
            broken.value = Array("{\"note\": \"not what this topic carries\"}".utf8)
        }
        return broken
    }
}
