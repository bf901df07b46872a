import Foundation
import HubAPI
import HubContracts
import HubServer
import Kafka
@_spi(SQL) import HubStore
import Hummingbird
import HummingbirdTesting
import KafkaTestSupport
import Testing

/// Orders through the API, in process, against the real broker and the real core deciding them.
@Suite("HTTP API: orders")
struct OrderRoutesTests {
    static let spotOrder = #"{"lines":[{"materialId":"M1","quantity":"10","kind":"spot"},{"materialId":"M2","quantity":"4","kind":"made-to-order","requestedDate":"2026-12-20"}]}"#

    @Test("a dealer's submit answers with the core's decision: accepted, priced, stock reserved")
    func submitAccepted() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let before = HistogramSnapshot(prometheusText: hub.metrics.text())
            let answer = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub, body: Self.spotOrder)
            #expect(answer.status == .created, "\(answer.text)")
            // Its time was recorded by stage (other tests share the hub: at least this submit's).
            let timed = HistogramSnapshot(prometheusText: hub.metrics.text()).since(before)
            for stage in SubmitTimers.Stage.allCases {
                #expect(timed.count(.init("lubehub_api_submit_seconds", ["stage": stage.rawValue])) >= 1, "\(stage)")
            }
            let orderId = try #require(answer["orderId"] as? String)
            #expect(orderId.hasPrefix("O-") && orderId.count == 18)
            #expect(answer["status"] as? String == "accepted")
            #expect((answer["total"] as? [String: Any])?["amount"] as? String == "1320")
            #expect(answer.headers[.location] == "/v1/orders/\(orderId)")
            let reserved = try await hub.rows("SELECT quantity FROM order_reservations WHERE order_id = ?", .text(orderId))
            #expect(reserved.map { $0.string(0) } == ["10"])
            let read = try await client.call(.get, "/v1/orders/\(orderId)", as: APITestHub.d1, hub: hub)
            #expect(read.status == .ok && read["status"] as? String == "accepted" && (read["lines"] as? [Any])?.count == 2)
        }
    }

    @Test("the core's rejection comes back with its per-line reasons")
    func submitRejected() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            // 600 spot of M1: only 500 on hand at the granted warehouse.
            let answer = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub,
                                               body: #"{"lines":[{"materialId":"M1","quantity":"100000","kind":"spot"}]}"#)
            #expect(answer.status == .created, "\(answer.text)")
            #expect(answer["status"] as? String == "rejected")
            let reasons = try #require(answer["rejections"] as? [[String: Any]])
            #expect(reasons.contains { $0["lineNo"] as? Int == 1 }, "\(reasons)")
        }
    }

    @Test("Idempotency-Key: a retry answers the first decision and creates nothing; the key with another request (other lines, or only another note) is refused naming the key")
    func idempotentSubmit() async throws {
        let hub = try await APITestHub.shared.value
        let key = "retry-\(UUID().uuidString)"
        try await hub.application().test(.router) { client in
            let first = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub, body: Self.spotOrder, headers: [.init("Idempotency-Key")!: key])
            #expect(first.status == .created, "\(first.text)")
            let retry = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub, body: Self.spotOrder, headers: [.init("Idempotency-Key")!: key])
            #expect(retry.status == .ok && retry.headers[.init("Idempotent-Replayed")!] == "true")
            #expect(retry["orderId"] as? String == first["orderId"] as? String && retry["status"] as? String == first["status"] as? String)
            #expect(retry["version"] as? Int == first["version"] as? Int)
            let other = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub,
                                              body: #"{"lines":[{"materialId":"M1","quantity":"11"}]}"#, headers: [.init("Idempotency-Key")!: key])
            #expect(other.status == .unprocessableContent && other.isProblem && (other["detail"] as? String)?.contains("Idempotency-Key \(key)") == true, "\(other.text)")
            // The same lines with a note added: another request all the same.
            var noted = try #require(JSONSerialization.jsonObject(with: Data(Self.spotOrder.utf8)) as? [String: Any])
            noted["note"] = "deliver to the back gate"
            let notedBody = String(decoding: try JSONSerialization.data(withJSONObject: noted), as: UTF8.self)
            let withNote = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub, body: notedBody, headers: [.init("Idempotency-Key")!: key])
            #expect(withNote.status == .unprocessableContent && (withNote["detail"] as? String)?.contains("another request") == true, "\(withNote.text)")
            // The same request laid out otherwise is the same request.
            let parsed = try JSONSerialization.jsonObject(with: Data(Self.spotOrder.utf8))
            let relaidBody = String(decoding: try JSONSerialization.data(withJSONObject: parsed, options: [.prettyPrinted]), as: UTF8.self)
            let relaid = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub, body: relaidBody, headers: [.init("Idempotency-Key")!: key])
            #expect(relaid.status == .ok && relaid["orderId"] as? String == first["orderId"] as? String, "\(relaid.text)")
        }
    }

    @Test("concurrent retries under one Idempotency-Key make one order, and all answer it")
    func concurrentRetries() async throws {
        let hub = try await APITestHub.shared.value
        let key = "storm-\(UUID().uuidString)"
        try await hub.application().test(.router) { client in
            let answers = try await withThrowingTaskGroup(of: APIAnswer.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub, body: Self.spotOrder, headers: [.init("Idempotency-Key")!: key]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.status == .created || $0.status == .ok }, "\(answers.map(\.status))")
            let ids = Set(answers.compactMap { $0["orderId"] as? String })
            #expect(ids.count == 1)
            let orderId = try #require(ids.first)
            #expect(try await hub.rows("SELECT COUNT(*) FROM orders WHERE order_id = ?", .text(orderId)).first?.int(0) == 1)
            #expect(try await hub.rows("SELECT COUNT(*) FROM order_lines WHERE order_id = ?", .text(orderId)).first?.int(0) == 2)
        }
    }

    @Test("bad input gets a 4xx saying why, as problem+json; never a 5xx",
          arguments: [
            ("{not json", HTTPResponse.Status.badRequest, "not JSON"),
            (#"[1,2]"#, .badRequest, "JSON object"),
            (#"{"lines":[]}"#, .unprocessableContent, "lines"),
            (#"{"lines":[{"materialId":"M1","quantity":"-3"}]}"#, .unprocessableContent, "quantity"),
            (#"{"lines":[{"materialId":"M1","quantity":"0"}]}"#, .unprocessableContent, "greater than 0"),
            (#"{"lines":[{"materialId":"M1","quantity":12.5}]}"#, .unprocessableContent, "string"),
            (#"{"lines":[{"materialId":"NOPE","quantity":"1"}]}"#, .unprocessableContent, "not in your catalogue"),
            (#"{"lines":[{"materialId":"M3","quantity":"1"}]}"#, .unprocessableContent, "not in your catalogue"),
            (#"{"lines":[{"materialId":"M1","quantity":"1","kind":"barter"}]}"#, .unprocessableContent, "spot or made-to-order"),
            (#"{"lines":[{"materialId":"M1","quantity":"1"}],"extra":1}"#, .unprocessableContent, "not a field"),
            (#"{"lines":[{"materialId":"M1","quantity":"1"}],"dealerId":"D3"}"#, .unprocessableContent, "own dealer"),
            (#"{"lines":[{"materialId":"M1","quantity":"1"}],"note":"\#(String(repeating: "长", count: 2001))"}"#, .unprocessableContent, "longer than 2000"),
          ])
    func badInput(body: String, status: HTTPResponse.Status, says: String) async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let answer = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub, body: body)
            #expect(answer.status == status, "\(answer.text)")
            #expect(answer.isProblem, "\(answer.headers) \(answer.text)")
            #expect(answer.text.contains(says), "\(answer.text)")
        }
    }

    @Test("who may submit: a tier-2 dealer is sent to its tier-1 dealer, a carrier is refused, staff order for a dealer in scope only")
    func whoMaySubmit() async throws {
        let hub = try await APITestHub.shared.value
        let line = #"{"lines":[{"materialId":"M1","quantity":"1"}]"#
        try await hub.application().test(.router) { client in
            let tier2 = try await client.call(.post, "/v1/orders", as: APITestHub.d2, hub: hub, body: line + "}")
            #expect(tier2.status == .forbidden && tier2.text.contains("tier2-orders"))
            let carrier = try await client.call(.post, "/v1/orders", as: APITestHub.carrier, hub: hub, body: line + "}")
            #expect(carrier.status == .forbidden)
            let none = try await client.call(.post, "/v1/orders", as: nil, hub: hub, body: line + "}")
            #expect(none.status == .unauthorized && none.isProblem && none.headers[.wwwAuthenticate] != nil)
            let staff = try await client.call(.post, "/v1/orders", as: APITestHub.eastManager, hub: hub, body: line + #","dealerId":"D1"}"#)
            #expect(staff.status == .created && staff["dealerId"] as? String == "D1", "\(staff.text)")
            let outside = try await client.call(.post, "/v1/orders", as: APITestHub.northManager, hub: hub, body: line + #","dealerId":"D1"}"#)
            #expect(outside.status == .notFound)
        }
    }

    @Test("cancel moves the order and frees its stock; a second cancel is a 409; rating before delivery is a 409")
    func cancelAndRate() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let submitted = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub, body: Self.spotOrder)
            let orderId = try #require(submitted["orderId"] as? String)
            let early = try await client.call(.post, "/v1/orders/\(orderId)/rating", as: APITestHub.d1, hub: hub,
                                              body: #"{"productQuality":5,"dispatchSpeed":4,"serviceQuality":5}"#)
            #expect(early.status == .conflict && early.isProblem, "\(early.text)")
            let badRating = try await client.call(.post, "/v1/orders/\(orderId)/rating", as: APITestHub.d1, hub: hub,
                                                  body: #"{"productQuality":9,"dispatchSpeed":4,"serviceQuality":5}"#)
            #expect(badRating.status == .unprocessableContent && badRating.text.contains("1 to 5"))
            let cancelled = try await client.call(.post, "/v1/orders/\(orderId)/cancel", as: APITestHub.d1, hub: hub, body: #"{"reason":"重复下单"}"#)
            #expect(cancelled.status == .ok && cancelled["status"] as? String == "cancelled", "\(cancelled.text)")
            #expect(try await hub.rows("SELECT COUNT(*) FROM order_reservations WHERE order_id = ?", .text(orderId)).first?.int(0) == 0)
            let again = try await client.call(.post, "/v1/orders/\(orderId)/cancel", as: APITestHub.d1, hub: hub, body: #"{"reason":"again"}"#)
            #expect(again.status == .conflict && again.text.contains("already cancelled"))
        }
    }

    @Test("list: filters, cursor pagination without repeats or gaps, bounds on limit")
    func listPages() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            for _ in 0..<5 { _ = try await client.call(.post, "/v1/orders", as: APITestHub.d3, hub: hub, body: #"{"lines":[{"materialId":"M3","quantity":"1"}]}"#) }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await client.call(.get, "/v1/orders?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), as: APITestHub.d3, hub: hub)
                #expect(page.status == .ok, "\(page.text)")
                let orders = try #require(page["orders"] as? [[String: Any]])
                #expect(orders.count <= 2)
                #expect(orders.allSatisfy { $0["dealerId"] as? String == "D3" })
                seen += orders.compactMap { $0["orderId"] as? String }
                cursor = page["nextCursor"] as? String
            } while cursor != nil
            let all = try await hub.rows("SELECT order_id FROM orders WHERE dealer_id = 'D3' ORDER BY submitted_at DESC, order_id DESC").compactMap { $0.string(0) }
            #expect(seen == all && seen.count >= 5)
            let accepted = try await client.call(.get, "/v1/orders?status=accepted&limit=200", as: APITestHub.d3, hub: hub)
            #expect((accepted["orders"] as? [[String: Any]])?.allSatisfy { $0["status"] as? String == "accepted" } == true)
            for query in ["limit=0", "limit=201", "status=lost", "cursor=abc", "submittedFrom=yesterday"] {
                let bad = try await client.call(.get, "/v1/orders?\(query)", as: APITestHub.d3, hub: hub)
                #expect(bad.status == .unprocessableContent && bad.isProblem, "\(query): \(bad.text)")
            }
        }
    }

    @Test("after the ERP's confirmation, allocation, dispatch and delivery: the dealer confirms receipt (goods in on its ledger), then rates the order")
    func receiptAndRating() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let submitted = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub, body: #"{"lines":[{"materialId":"M1","quantity":"7"}]}"#)
            let orderId = try #require(submitted["orderId"] as? String)
            let now = Timestamp(Date())
            let steps: [EventData] = [
                .orderConfirmed(OrderConfirmed(orderId: orderId, erpOrderNumber: "0010999999", promisedDate: CalendarDate("2026-12-20"),
                                               lines: [.init(lineNo: 1, confirmedQuantity: DecimalNumber("7")!)])),
                .orderAllocated(OrderAllocated(orderId: orderId, deliveryNumber: "0080009999", lines: [.init(lineNo: 1, warehouseId: "WH1", quantity: DecimalNumber("7")!)])),
                .orderDispatched(OrderDispatched(orderId: orderId, shipmentId: "SH-R-\(orderId)", dispatchedAt: now)),
                .orderDelivered(OrderDelivered(orderId: orderId, shipmentId: "SH-R-\(orderId)", deliveredAt: now)),
            ]
            for data in steps {
                let event = CanonicalEvent(id: "erp:\(data.type):\(orderId)", source: "adapter-erp", occurredAt: now, subject: orderId, data: data)
                try await hub.producer.send(KafkaProducerMessage(topic: hub.prefix + "hub.orders.events", key: Array(orderId.utf8), value: try event.encoded()))
            }
            try await withDeadline(.seconds(30), "the order delivered") {
                while try await client.call(.get, "/v1/orders/\(orderId)", as: APITestHub.d1, hub: hub)["status"] as? String != "delivered" {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            let unreceived = try await client.call(.post, "/v1/orders/\(orderId)/rating", as: APITestHub.d1, hub: hub,
                                                   body: #"{"productQuality":5,"dispatchSpeed":2,"serviceQuality":4}"#)
            #expect(unreceived.status == .conflict && unreceived.text.contains("must be received first"), "\(unreceived.text)")
            let staffReceipt = try await client.call(.post, "/v1/orders/\(orderId)/receipt", as: APITestHub.eastManager, hub: hub, body: "{}")
            #expect(staffReceipt.status == .forbidden)
            let received = try await client.call(.post, "/v1/orders/\(orderId)/receipt", as: APITestHub.d1, hub: hub, body: #"{"receivedAt":"2026-12-04T02:00:00Z"}"#)
            #expect(received.status == .ok && received["status"] as? String == "received", "\(received.text)")
            let books = try await hub.rows("SELECT kind, quantity_milli, cost_fen FROM book_lines WHERE entry_id = ?", .text(orderId + ":in"))
            #expect(books.map { "\($0.string(0) ?? "") \($0.int64(1)) \($0.int64(2))" } == ["purchase 7000 70000"], "7 at 100.00 in the dealer's books")
            let rated = try await client.call(.post, "/v1/orders/\(orderId)/rating", as: APITestHub.d1, hub: hub,
                                              body: #"{"productQuality":5,"dispatchSpeed":2,"serviceQuality":4,"comment":"司机很准时"}"#)
            #expect(rated.status == .ok && rated["status"] as? String == "rated", "\(rated.text)")
            let stored = try await hub.rows("SELECT rating FROM orders WHERE order_id = ?", .text(orderId)).first?.string(0) ?? ""
            #expect(stored.contains(#""dispatchSpeed":2"#) && stored.contains("司机很准时"))
            let again = try await client.call(.post, "/v1/orders/\(orderId)/rating", as: APITestHub.d1, hub: hub,
                                              body: #"{"productQuality":1,"dispatchSpeed":1,"serviceQuality":1}"#)
            #expect(again.status == .conflict)
        }
    }
}
