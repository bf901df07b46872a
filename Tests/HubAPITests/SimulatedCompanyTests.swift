import Foundation
import HubAPI
@_spi(SQL) import HubStore
import Hummingbird
import HummingbirdTesting
import Kafka
import KafkaTestSupport
import Simulator
import Testing

/// The simulator's company, published as its ERP would, through the real ERP adapter and core:
/// its dealers can use the API — see their catalogue, prices and stock, and order.
@Suite("simulator: a company the hub serves")
struct SimulatedCompanyTests {
    @Test("a small simulated company's tier-1 dealer sees its lines' catalogue and its class's prices, and its order is accepted")
    func simulatedDealerOrders() async throws {
        let hub = try await APITestHub.shared.value
        let company = Company.generate(seed: 5, tier1: 12, tier2: 24, materials: 45)
        var documents = ERPDocuments(company: company)
        let messages = documents.all().map { KafkaProducerMessage(topic: hub.prefix + $0.topic, key: Array($0.key.utf8), value: $0.value) }
        let reports = try await hub.producer.sendBatch(messages)
        #expect(reports.allSatisfy { $0.succeeded })

        let dealer = try #require(company.tier1.first { $0.channels.count == 1 })
        let principal = Principal(subject: "U-\(dealer.dealerId)", role: .dealer, dealerId: dealer.dealerId)
        let granted = company.materials.filter { $0.channel == "10" }
        let material = try #require(granted.first)
        try await hub.application().test(.router) { client in
            try await withDeadline(.seconds(60), "the company's master data through the ERP adapter and the core") {
                while true {
                    let stock = try await client.call(.get, "/v1/stock?materialId=\(material.number)", as: principal, hub: hub)
                    let credit = try await hub.rows("SELECT credit_limit FROM dealers WHERE dealer_id = ?", .text(dealer.dealerId)).first?.string(0)
                    let prices = try await client.call(.get, "/v1/prices", as: principal, hub: hub)
                    if (stock["stock"] as? [Any])?.count == company.branches[dealer.branch].plants.count, credit != nil, credit != "0",
                       (prices["prices"] as? [Any])?.count == granted.count {
                        return
                    }
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            let catalogue = try await client.call(.get, "/v1/catalogue?limit=200", as: principal, hub: hub)
            let numbers = (catalogue["materials"] as? [[String: Any]])?.compactMap { $0["materialId"] as? String } ?? []
            // The automotive line is granted whole: the simulated materials of it, and the shared test company's own (M1, M2).
            #expect(Set(numbers.filter { $0.hasPrefix("M-") }) == Set(granted.map(\.number)), "exactly the automotive line")
            #expect(!numbers.contains { number in company.materials.contains { $0.number == number && $0.channel != "10" } })
            let prices = try await client.call(.get, "/v1/prices?materialId=\(material.number)", as: principal, hub: hub)
            let fen = Company.priceFen(material, customerClass: dealer.customerClass)
            #expect((prices["prices"] as? [[String: Any]])?.first?["unitPrice"] as? String == "\(fen / 100).\(String(format: "%02d", fen % 100))", "\(prices.text)")
            let order = try await client.call(.post, "/v1/orders", as: principal, hub: hub, body: #"{"lines":[{"materialId":"\#(material.number)","quantity":"10"}]}"#)
            #expect(order.status == .created && order["status"] as? String == "accepted", "\(order.text)")
        }
    }
}
