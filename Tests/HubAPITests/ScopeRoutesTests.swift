import Foundation
import HubAPI
import HubContracts
@_spi(SQL) import HubStore
import Hummingbird
import HummingbirdTesting
import Kafka
import KafkaTestSupport
import Testing

/// What each party sees (R2): its own grants and orders, and nothing of another party — by list,
/// by id, by tracking, by command — with another party's object answered exactly like a missing one.
@Suite("HTTP API: permission groups and tenants")
struct ScopeRoutesTests {
    @Test("catalogue, prices and stock are exactly what the dealer's groups grant")
    func grants() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let d1 = try await client.call(.get, "/v1/catalogue", as: APITestHub.d1, hub: hub)
            #expect((d1["materials"] as? [[String: Any]])?.compactMap { $0["materialId"] as? String } == ["M1", "M2"], "\(d1.text)")
            let m1 = (d1["materials"] as? [[String: Any]])?.first
            #expect(m1?["grade"] as? String == "SN 5W-30" && m1?["category"] as? String == "engine-oil" && m1?["unitOfMeasure"] as? String == "EA",
                    "the material master's grade and package are kept: \(d1.text)")
            #expect((m1?["packageSize"] as? [String: Any]).map { "\($0["value"] ?? "") \($0["unit"] ?? "")" } == "4 L")
            let d3 = try await client.call(.get, "/v1/catalogue", as: APITestHub.d3, hub: hub)
            #expect((d3["materials"] as? [[String: Any]])?.compactMap { $0["materialId"] as? String } == ["M3"])
            let prices = try await client.call(.get, "/v1/prices", as: APITestHub.d1, hub: hub)
            #expect((prices["prices"] as? [[String: Any]])?.map { "\($0["materialId"] ?? "")=\($0["unitPrice"] ?? "")" } == ["M1=100.00", "M2=80.00"])
            let stock = try await client.call(.get, "/v1/stock?materialId=M3", as: APITestHub.d1, hub: hub)
            #expect((stock["stock"] as? [Any])?.isEmpty == true, "M3 is not D1's: \(stock.text)")
            let own = try await client.call(.get, "/v1/stock", as: APITestHub.d3, hub: hub)
            let rows = try #require(own["stock"] as? [[String: Any]])
            #expect(rows.count == 1 && rows[0]["warehouseId"] as? String == "WH2" && rows[0]["materialId"] as? String == "M3")
            let other = try await client.call(.get, "/v1/catalogue?dealerId=D3", as: APITestHub.d1, hub: hub)
            #expect(other.status == .notFound && other.isProblem)
            let staff = try await client.call(.get, "/v1/prices?dealerId=D1", as: APITestHub.eastManager, hub: hub)
            #expect(staff.status == .ok && (staff["prices"] as? [Any])?.count == 2)
            let staffOutside = try await client.call(.get, "/v1/prices?dealerId=D1", as: APITestHub.northManager, hub: hub)
            #expect(staffOutside.status == .notFound)
        }
    }

    @Test("for each pair of parties, one's order is invisible to the other by id, list, tracking and command")
    func crossTenant() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let submitted = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub, body: #"{"lines":[{"materialId":"M1","quantity":"2"}]}"#)
            let orderId = try #require(submitted["orderId"] as? String)
            let sees: [(Principal, Bool)] = [
                (APITestHub.d1, true), (APITestHub.eastManager, true), (APITestHub.shanghaiArea, true), (APITestHub.rep1, true),
                (APITestHub.admin, true), (APITestHub.system, true),
                (APITestHub.d2, false), (APITestHub.d3, false), (APITestHub.northManager, false), (APITestHub.rep2, false), (APITestHub.carrier, false),
            ]
            for (principal, visible) in sees {
                let byId = try await client.call(.get, "/v1/orders/\(orderId)", as: principal, hub: hub)
                let tracking = try await client.call(.get, "/v1/orders/\(orderId)/tracking", as: principal, hub: hub)
                let list = try await client.call(.get, "/v1/orders?limit=200", as: principal, hub: hub)
                let listed = (list["orders"] as? [[String: Any]] ?? []).contains { $0["orderId"] as? String == orderId }
                if visible {
                    #expect(byId.status == .ok && tracking.status == .ok, "\(principal.subject): \(byId.status) \(tracking.status)")
                } else {
                    #expect(byId.status == .notFound && tracking.status == .notFound && byId.isProblem, "\(principal.subject): \(byId.status)")
                    // The order id is random and may itself contain "D1": only the rest of the answer counts.
                    let answer = byId.text.replacingOccurrences(of: orderId, with: "")
                    #expect(!answer.contains("D1") && !answer.contains("\"lines\""))
                    #expect(!listed, "\(principal.subject) lists \(orderId)")
                }
                let missing = try await client.call(.get, "/v1/orders/O-0000000000000000", as: principal, hub: hub)
                if !visible { #expect(missing.status == byId.status && (missing["detail"] as? String)?.replacingOccurrences(of: "O-0000000000000000", with: orderId) == byId["detail"] as? String) }
            }
            for principal in [APITestHub.d3, APITestHub.d2] {
                let cancel = try await client.call(.post, "/v1/orders/\(orderId)/cancel", as: principal, hub: hub, body: #"{"reason":"not mine"}"#)
                #expect(cancel.status == .notFound, "\(principal.subject): \(cancel.text)")
            }
            let still = try await hub.rows("SELECT status FROM orders WHERE order_id = ?", .text(orderId))
            #expect(still.first?.string(0) == "accepted")
        }
    }

    @Test("tier-2 orders: to the parent only; the parent sees them and issues a delivery note that moves its ledger; others see nothing")
    func tier2AndLedger() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let wrong = try await client.call(.post, "/v1/tier2-orders", as: APITestHub.d2, hub: hub,
                                              body: #"{"supplierDealerId":"D3","lines":[{"materialId":"M1","quantity":"6","unitPrice":"110.00"}]}"#)
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("not from D3"), "\(wrong.text)")
            let fromTier1 = try await client.call(.post, "/v1/tier2-orders", as: APITestHub.d1, hub: hub, body: #"{"lines":[{"materialId":"M1","quantity":"6"}]}"#)
            #expect(fromTier1.status == .forbidden)
            let placed = try await client.call(.post, "/v1/tier2-orders", as: APITestHub.d2, hub: hub,
                                               body: #"{"lines":[{"materialId":"M1","quantity":"6","unitPrice":"110.00"}]}"#)
            #expect(placed.status == .accepted, "\(placed.text)")
            let orderId = try #require(placed["orderId"] as? String)
            try await withDeadline(.seconds(30), "the core records the tier-2 order") {
                while try await hub.rows("SELECT 1 FROM tier2_orders WHERE order_id = ?", .text(orderId)).isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            }
            let supplier = try await client.call(.get, "/v1/tier2-orders/\(orderId)", as: APITestHub.d1, hub: hub)
            #expect(supplier.status == .ok && supplier["supplierDealerId"] as? String == "D1")
            #expect(try await client.call(.get, "/v1/tier2-orders/\(orderId)", as: APITestHub.d3, hub: hub).status == .notFound)
            #expect(try await client.call(.get, "/v1/tier2-orders/\(orderId)", as: APITestHub.northManager, hub: hub).status == .notFound)
            // Dated years back: recorded at the server's time (the ledger is not back-dated).
            let note = try await client.call(.post, "/v1/tier2-orders/\(orderId)/delivery-notes", as: APITestHub.d1, hub: hub,
                                             body: #"{"issuedAt":"2020-01-01T00:00:00Z","lines":[{"materialId":"M1","quantity":"6","unitPrice":"110.00","unitCost":"100.00"}]}"#)
            #expect(note.status == .accepted, "\(note.text)")
            let issuedAt = try #require((note["issuedAt"] as? String).flatMap(Timestamp.init(parsing:)))
            #expect(abs(issuedAt.date.timeIntervalSinceNow) < ClientTime.earliest + 60, "\(issuedAt)")
            let foreign = try await client.call(.post, "/v1/tier2-orders/\(orderId)/delivery-notes", as: APITestHub.d3, hub: hub,
                                                body: #"{"lines":[{"materialId":"M1","quantity":"6","unitPrice":"1"}]}"#)
            #expect(foreign.status == .notFound)
            try await withDeadline(.seconds(30), "the core applies the delivery note") {
                while try await hub.rows("SELECT status FROM tier2_orders WHERE order_id = ?", .text(orderId)).first?.string(0) != "delivered" {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            let ledger = try await client.call(.get, "/v1/ledger?from=2020-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", as: APITestHub.d1, hub: hub)
            let line = try #require((ledger["lines"] as? [[String: Any]])?.first { $0["materialId"] as? String == "M1" }, "\(ledger.text)")
            #expect(line["quantityOut"] as? String == "6" && line["sales"] as? String == "660" && line["grossMargin"] as? String == "60", "\(line)")
            let badPeriod = try await client.call(.get, "/v1/ledger?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", as: APITestHub.d1, hub: hub)
            #expect(badPeriod.status == .unprocessableContent)
        }
    }

    @Test("tier-2 orders under an Idempotency-Key: a retry answers the same order; the key with another request is 422 naming it")
    func tier2Idempotency() async throws {
        let hub = try await APITestHub.shared.value
        let key: HTTPFields = [.init("Idempotency-Key")!: "t2-\(UUID().uuidString)"]
        let body = #"{"lines":[{"materialId":"M1","quantity":"2","unitPrice":"110.00"}]}"#
        try await hub.application().test(.router) { client in
            let placed = try await client.call(.post, "/v1/tier2-orders", as: APITestHub.d2, hub: hub, body: body, headers: key)
            #expect(placed.status == .accepted, "\(placed.text)")
            let orderId = try #require(placed["orderId"] as? String)
            try await withDeadline(.seconds(30), "the core records the tier-2 order") {
                while try await hub.rows("SELECT 1 FROM tier2_orders WHERE order_id = ?", .text(orderId)).isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            }
            let retry = try await client.call(.post, "/v1/tier2-orders", as: APITestHub.d2, hub: hub, body: body, headers: key)
            #expect(retry.status == .ok && retry["orderId"] as? String == orderId, "\(retry.text)")
            let other = try await client.call(.post, "/v1/tier2-orders", as: APITestHub.d2, hub: hub,
                                              body: #"{"lines":[{"materialId":"M1","quantity":"2","unitPrice":"90.00"}]}"#, headers: key)
            #expect(other.status == .unprocessableContent && other.text.contains("Idempotency-Key \(key[.init("Idempotency-Key")!] ?? "")"), "\(other.text)")
        }
    }

    @Test("carriers upload positions and events onto the carriers' raw topic, their own only, all or nothing")
    func carrierUploads() async throws {
        let hub = try await APITestHub.shared.value
        let topic = hub.prefix + "carrier.in.shipment-events"
        try await hub.application().test(.router) { client in
            let key: HTTPFields = [.init("X-API-Key")!: "carrier-07-key"]
            let positions = #"{"positions":[{"vehicleId":"V-CAR07-0042","time":"2026-12-03T00:40:00Z","lat":31.2,"lon":121.5,"speedKmh":62.5}]}"#
            let taken = try await client.call(.post, "/v1/carrier/positions", as: nil, hub: hub, body: positions, headers: key)
            #expect(taken.status == .accepted && taken["accepted"] as? Int == 1, "\(taken.text)")
            let mixed = #"{"events":[{"eventId":"E1","carrierId":"CAR-07","type":"shipment.dispatched","shipmentId":"SH-1","time":"2026-12-03 08:40:00"},{"eventId":"E2","carrierId":"CAR-09","type":"shipment.dispatched","shipmentId":"SH-2","time":"2026-12-03 08:40:00"},{"carrierId":"CAR-07","type":"teleported"}]}"#
            let refused = try await client.call(.post, "/v1/carrier/events", as: nil, hub: hub, body: mixed, headers: key)
            #expect(refused.status == .unprocessableContent && refused.isProblem, "\(refused.text)")
            let issues = refused["issues"] as? [String] ?? []
            #expect(issues.contains { $0.hasPrefix("[1].carrierId") } && issues.contains { $0.hasPrefix("[2]") } && !issues.contains { $0.hasPrefix("[0]") }, "\(issues)")
            // The attack: CAR-07's own key, a fix dated 2099 (it would pin the truck there for good).
            let future = #"{"positions":[{"vehicleId":"V-CAR07-0042","time":"2099-01-01T00:00:00Z","lat":31.2,"lon":121.5}]}"#
            let fromTheFuture = try await client.call(.post, "/v1/carrier/positions", as: nil, hub: hub, body: future, headers: key)
            #expect(fromTheFuture.status == .unprocessableContent && fromTheFuture.text.contains("time") && fromTheFuture.text.contains("future"), "\(fromTheFuture.text)")
            let wrongKey = try await client.call(.post, "/v1/carrier/positions", as: nil, hub: hub, body: positions, headers: [.init("X-API-Key")!: "guess"])
            #expect(wrongKey.status == .unauthorized)
            let dealer = try await client.call(.post, "/v1/carrier/positions", as: APITestHub.d1, hub: hub, body: positions)
            #expect(dealer.status == .forbidden)
            var bogusBearer = key
            bogusBearer[.authorization] = "Bearer not.a.token"
            let withBogus = try await client.call(.post, "/v1/carrier/positions", as: nil, hub: hub, body: positions, headers: bogusBearer)
            #expect(withBogus.status == .unauthorized && withBogus.text.contains("bearer token"), "a bad token beside a good key: \(withBogus.text)")
            let bogusKey = try await client.call(.get, "/v1/orders", as: APITestHub.d1, hub: hub, headers: [.init("X-API-Key")!: "bogus"])
            #expect(bogusKey.status == .unauthorized && bogusKey.text.contains("API key"), "a bad key beside a good token: \(bogusKey.text)")
            let twoCallers = try await client.call(.post, "/v1/carrier/positions", as: APITestHub.d1, hub: hub, body: positions, headers: key)
            #expect(twoCallers.status == .unauthorized && twoCallers.text.contains("two different callers"))
        }
        // The topic is the test hub's, which other tests' carriers write too: this test's upload is the one of its vehicle.
        let consumer = try TestBroker.consumer(topics: [topic])
        let found = try await withDeadline(.seconds(30), "the upload of V-CAR07-0042 on \(topic)") { () -> KafkaConsumerMessage? in
            for try await batch in consumer.batches {
                if let message = batch.first(where: { $0.keyString == "V-CAR07-0042" }) { return message }
            }
            return nil
        }
        await consumer.close()
        let upload = try #require(found)
        let value = String(decoding: upload.value ?? [], as: UTF8.self)
        #expect(value.contains(#""type":"vehicle.position""#) && value.contains(#""carrierId":"CAR-07""#), "\(value)")
    }
}
