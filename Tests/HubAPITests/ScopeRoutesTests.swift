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

    @Test("tier-2 orders: to the parent only; accepted, served in two notes within what was ordered, received; others see nothing")
    func tier2Workflow() async throws {
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
            @Sendable func status() async throws -> String? { try await hub.rows("SELECT status FROM tier2_orders WHERE order_id = ?", .text(orderId)).first?.string(0) }
            func awaitStatus(_ wanted: String) async throws {
                try await withDeadline(.seconds(30), "the tier-2 order becomes \(wanted)") {
                    while try await status() != wanted { try await Task.sleep(for: .milliseconds(50)) }
                }
            }
            try await awaitStatus("submitted")
            let supplier = try await client.call(.get, "/v1/tier2-orders/\(orderId)", as: APITestHub.d1, hub: hub)
            #expect(supplier.status == .ok && supplier["supplierDealerId"] as? String == "D1")
            #expect(try await client.call(.get, "/v1/tier2-orders/\(orderId)", as: APITestHub.d3, hub: hub).status == .notFound)
            #expect(try await client.call(.get, "/v1/tier2-orders/\(orderId)", as: APITestHub.northManager, hub: hub).status == .notFound)
            // Only the supplier answers; a rejection needs a reason.
            #expect(try await client.call(.post, "/v1/tier2-orders/\(orderId)/accept", as: APITestHub.d2, hub: hub, body: "{}").status == .notFound)
            let noReason = try await client.call(.post, "/v1/tier2-orders/\(orderId)/reject", as: APITestHub.d1, hub: hub, body: "{}")
            #expect(noReason.status == .unprocessableContent && noReason.text.contains("reason: is required"), "\(noReason.text)")
            #expect(try await client.call(.post, "/v1/tier2-orders/\(orderId)/accept", as: APITestHub.d1, hub: hub, body: "{}").status == .accepted)
            try await awaitStatus("accepted")
            // Stock for the notes: the dealer counts what it has (the shared hub's other tests book D1 too).
            let count = try await client.call(.post, "/v1/books/entries", as: APITestHub.d1, hub: hub,
                                              body: #"{"kind":"stock-count","lines":[{"materialId":"M1","quantity":"1000"}]}"#)
            #expect(count.status == .accepted, "\(count.text)")
            let countId = try #require(count["entryId"] as? String)
            try await withDeadline(.seconds(30), "the count is booked") {
                while try await hub.rows("SELECT 1 FROM book_documents WHERE entry_id = ?", .text(countId)).isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            }
            // Dated years back: recorded at the server's time (the books are not back-dated). The price left out is the order's.
            let first = try await client.call(.post, "/v1/tier2-orders/\(orderId)/delivery-notes", as: APITestHub.d1, hub: hub,
                                              body: #"{"issuedAt":"2020-01-01T00:00:00Z","lines":[{"materialId":"M1","quantity":"4"}]}"#)
            #expect(first.status == .accepted, "\(first.text)")
            let issuedAt = try #require((first["issuedAt"] as? String).flatMap(Timestamp.init(parsing:)))
            #expect(abs(issuedAt.date.timeIntervalSinceNow) < ClientTime.earliest + 60, "\(issuedAt)")
            let foreign = try await client.call(.post, "/v1/tier2-orders/\(orderId)/delivery-notes", as: APITestHub.d3, hub: hub,
                                                body: #"{"lines":[{"materialId":"M1","quantity":"6","unitPrice":"1"}]}"#)
            #expect(foreign.status == .notFound)
            try await awaitStatus("partly-delivered")
            let over = try await client.call(.post, "/v1/tier2-orders/\(orderId)/delivery-notes", as: APITestHub.d1, hub: hub,
                                             body: #"{"lines":[{"materialId":"M1","quantity":"3","unitPrice":"110.00"}]}"#)
            #expect(over.status == .unprocessableContent && over.text.contains("M1: 3 delivered but only 2 ordered and not yet delivered"), "\(over.text)")
            let unitCost = try await client.call(.post, "/v1/tier2-orders/\(orderId)/delivery-notes", as: APITestHub.d1, hub: hub,
                                                 body: #"{"lines":[{"materialId":"M1","quantity":"2","unitCost":"1.00"}]}"#)
            #expect(unitCost.status == .unprocessableContent && unitCost.text.contains("lines[0].unitCost: is not a field here"), "the cost is the books' average, not typed in")
            let second = try await client.call(.post, "/v1/tier2-orders/\(orderId)/delivery-notes", as: APITestHub.d1, hub: hub,
                                               body: #"{"lines":[{"materialId":"M1","quantity":"2","unitPrice":"110.00"}]}"#)
            #expect(second.status == .accepted, "\(second.text)")
            try await awaitStatus("delivered")
            #expect(try await client.call(.post, "/v1/tier2-orders/\(orderId)/cancel", as: APITestHub.d2, hub: hub, body: "{}").status == .conflict)
            // The buyer receives each note: its own books take the goods in at 110.00.
            let read = try await client.call(.get, "/v1/tier2-orders/\(orderId)", as: APITestHub.d2, hub: hub)
            let notes = try #require(read["deliveries"] as? [[String: Any]], "\(read.text)").compactMap { $0["deliveryNoteId"] as? String }
            #expect(notes.count == 2)
            #expect(try await client.call(.post, "/v1/tier2-orders/\(orderId)/delivery-notes/\(notes[0])/receipt", as: APITestHub.d1, hub: hub, body: "{}").status == .notFound)
            for note in notes {
                let receipt = try await client.call(.post, "/v1/tier2-orders/\(orderId)/delivery-notes/\(note)/receipt", as: APITestHub.d2, hub: hub, body: "{}")
                #expect(receipt.status == .accepted, "\(receipt.text)")
            }
            try await awaitStatus("received")
            let bought = try await hub.rows("SELECT SUM(quantity_milli), SUM(cost_fen) FROM book_lines WHERE dealer_id = 'D2' AND entry_id IN (?, ?)",
                                            .text(notes[0] + ":in"), .text(notes[1] + ":in"))
            #expect(bought.first.map { [$0.int64(0), $0.int64(1)] } == [6_000, 66_000])
            // The supplier's books: both notes booked as sales to D2.
            let report = try await client.call(.get, "/v1/ledger?from=2020-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", as: APITestHub.d1, hub: hub)
            let customer = try #require((report["customers"] as? [[String: Any]])?.first { $0["customerId"] as? String == "D2" }, "\(report.text)")
            #expect(customer["kind"] as? String == "tier2-dealer")
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
