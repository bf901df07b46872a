public import Foundation

/// The orders dealers place during a run: a tier-1 dealer of the company, one to three materials
/// of the product lines it buys, spot lines mostly and now and then a made-to-order line booked two
/// weeks ahead; each under its own idempotency key. Pure and seeded.
public struct OrderTraffic: Sendable {
    public struct Order: Sendable, Equatable {
        public var dealerId: String
        public var idempotencyKey: String
        public var body: [UInt8]
        public var madeToOrder: Bool
    }

    private let dealers: [Company.Dealer]
    private let materialsByChannel: [String: [Company.Material]]
    private var random: SeededRandom
    private let run: String
    private var number = 0

    /// `resting`: dealers that place no order (the demo's dormant dealer).
    public init(company: Company, run: String, resting: Set<String> = []) {
        dealers = company.tier1.filter { !resting.contains($0.dealerId) }
        materialsByChannel = Dictionary(grouping: company.materials, by: \.channel)
        random = SeededRandom(seed: company.seed).fork("orders-" + run)
        self.run = run
    }

    struct Body: Encodable {
        struct Line: Encodable {
            var materialId: String
            var quantity: String
            var kind: String
            var requestedDate: String?
        }

        var lines: [Line]
        var note: String?
    }

    public mutating func next(at now: Date) -> Order {
        number += 1
        let dealer = dealers[Int.random(in: 0..<dealers.count, using: &random)]
        var lines: [Body.Line] = []
        var used = Set<String>()
        var madeToOrder = false
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let channel = dealer.channels[Int.random(in: 0..<dealer.channels.count, using: &random)]
            guard let materials = materialsByChannel[channel], !materials.isEmpty else { continue }
            let material = materials[Int.random(in: 0..<materials.count, using: &random)]
            guard used.insert(material.number).inserted else { continue }
            let toOrder = Int.random(in: 0..<10, using: &random) == 0
            madeToOrder = madeToOrder || toOrder
            let quantity = material.unit == "TO" ? Int.random(in: 1...3, using: &random) : Int.random(in: 1...40, using: &random)
            lines.append(Body.Line(materialId: material.number, quantity: String(quantity), kind: toOrder ? "made-to-order" : "spot",
                                   requestedDate: toOrder ? Self.isoDay(now.addingTimeInterval(14 * 86_400)) : nil))
        }
        let body = SimulatorJSON.bytes(Body(lines: lines, note: number % 7 == 0 ? "请尽快发货" : nil))
        return Order(dealerId: dealer.dealerId, idempotencyKey: "sim-\(run)-\(number)", body: body, madeToOrder: madeToOrder)
    }

    static func isoDay(_ date: Date) -> String {
        let p = ChinaTime.parts(date)
        return String(format: "%04d-%02d-%02d", p.year, p.month, p.day)
    }
}
