import Foundation
import HTTPTypes
import HubAPI
import HubContracts
@_spi(SQL) import HubStore
import Hummingbird
import HummingbirdTesting
import KafkaTestSupport
import Testing

/// A dealer's own books through the API: what it writes is checked against its stock and booked by
/// the core; it reads its documents, its stock and its month as JSON or CSV; staff read dealers in
/// their scope only. D3 (BR-NORTH) keeps these books, apart from the other suites' D1; one test at a
/// time, as one allows D3 negative stock for a while.
@Suite("dealer books over the API: entries, stock check, report, CSV, scope", .serialized)
struct BookRoutesTests {
    static let d3Admin = Principal(subject: "U-D3-ADMIN", role: .dealer, dealerId: "D3", dealerAdmin: true)

    func booked(_ entryId: String, _ hub: APITestHub) async throws -> String {
        try await withDeadline(.seconds(30), "the core books \(entryId)") {
            while true {
                if let status = try await hub.rows("SELECT status FROM book_documents WHERE entry_id = ?", .text(entryId)).first?.string(0) { return status }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    @Test("a count, a sale within stock, one beyond it refused (409 naming the material), a payment; the month as JSON and CSV")
    func entriesAndReport() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            func post(_ body: String, as principal: Principal = APITestHub.d3) async throws -> APIAnswer { try await client.bookEntry(body, as: principal, hub: hub) }
            let count = try await post(#"{"kind":"stock-count","lines":[{"materialId":"M2","quantity":"10"}]}"#)
            #expect(count.status == .accepted, "\(count.text)")
            #expect(try await booked(try #require(count["entryId"] as? String), hub) == "booked")
            let beyond = try await post(#"{"kind":"sale","customer":{"customerId":"QL-9","name":"快修九号","kind":"quick-lube"},"lines":[{"materialId":"M2","quantity":"11","unitPrice":"99.50"}]}"#)
            #expect(beyond.status == .conflict && beyond.text.contains("M2: 11 asked, 10 on hand"), "\(beyond.text)")
            let sale = try await post(#"{"kind":"sale","reference":"XS-001","customer":{"customerId":"QL-9","name":"快修九号","kind":"quick-lube"},"lines":[{"materialId":"M2","quantity":"4","unitPrice":"99.50"}]}"#)
            #expect(sale.status == .accepted, "\(sale.text)")
            let saleId = try #require(sale["entryId"] as? String)
            #expect(try await booked(saleId, hub) == "booked")
            let payment = try await post(#"{"kind":"payment","customer":{"customerId":"QL-9","kind":"quick-lube"},"amount":"100.00"}"#)
            #expect(payment.status == .accepted, "\(payment.text)")
            #expect(try await booked(try #require(payment["entryId"] as? String), hub) == "booked")

            let document = try await client.call(.get, "/v1/books/entries/\(saleId)", as: APITestHub.d3, hub: hub)
            #expect(document.status == .ok && document["status"] as? String == "booked" && document["reference"] as? String == "XS-001", "\(document.text)")
            let stock = try await client.call(.get, "/v1/books/stock", as: APITestHub.d3, hub: hub)
            let m2 = try #require((stock["materials"] as? [[String: Any]])?.first { $0["materialId"] as? String == "M2" }, "\(stock.text)")
            #expect(m2["onHand"] as? String == "6" && stock["allowNegativeStock"] as? Bool == false, "\(stock.text)")
            let entries = try await client.call(.get, "/v1/books/entries?kind=sale&limit=5", as: APITestHub.d3, hub: hub)
            #expect((entries["entries"] as? [[String: Any]])?.first?["entryId"] as? String == saleId, "\(entries.text)")

            // All time (a month's edge could fall between the sale and the question); the month form is read too.
            #expect(try await client.call(.get, "/v1/ledger?month=2026-11", as: APITestHub.d3, hub: hub).status == .ok)
            let period = "from=2020-01-01T00:00:00Z&to=2100-01-01T00:00:00Z"
            let report = try await client.call(.get, "/v1/ledger?\(period)", as: APITestHub.d3, hub: hub)
            #expect(report.status == .ok, "\(report.text)")
            let customer = try #require((report["customers"] as? [[String: Any]])?.first { $0["customerId"] as? String == "QL-9" }, "\(report.text)")
            #expect(customer["sales"] as? String == "398.00" && customer["payments"] as? String == "100.00" && customer["receivable"] as? String == "298.00"
                    && customer["name"] as? String == "快修九号", "\(customer)")
            let csv = try await client.call(.get, "/v1/ledger?\(period)&format=csv", as: APITestHub.d3, hub: hub)
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.hasPrefix("\u{FEFF}\"section\",\"materialId\"") && csv.text.contains("\"customer\",\"QL-9\",\"快修九号\",\"quick-lube\",\"398.00\""), "\(csv.text)")
            #expect(try await client.call(.get, "/v1/ledger?month=2026-13", as: APITestHub.d3, hub: hub).status == .unprocessableContent)
        }
    }

    @Test("bad entries are 422 naming the field; purchases are the hub's; only the dealer's administrator allows negative stock")
    func refusalsAndSettings() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            func post(_ body: String, as principal: Principal = APITestHub.d3) async throws -> APIAnswer { try await client.bookEntry(body, as: principal, hub: hub) }
            let cases: [(String, String)] = [
                (#"{"kind":"purchase","lines":[{"materialId":"M2","quantity":"1"}]}"#, "kind: must be sale, customer-return, return-to-company, stock-count, payment"),
                (#"{"kind":"sale","lines":[{"materialId":"M2","quantity":"1","unitPrice":"1"}]}"#, "customer: is required for a sale"),
                (#"{"kind":"sale","customer":{"customerId":"X","kind":"friend"},"lines":[{"materialId":"M2","quantity":"1","unitPrice":"1"}]}"#, "customer.kind: must be"),
                (#"{"kind":"sale","customer":{"customerId":"X","kind":"end-customer"},"lines":[{"materialId":"M2","quantity":"1"}]}"#, "lines[0].unitPrice: is required"),
                (#"{"kind":"return-to-company","lines":[{"materialId":"M2","quantity":"0.0001"}]}"#, "lines[0].quantity: has more than 3 decimals"),
                (#"{"kind":"payment","customer":{"customerId":"X","kind":"end-customer"},"amount":"1.00","lines":[]}"#, "lines: a payment has no lines"),
                (#"{"kind":"stock-count","lines":[{"materialId":"M404","quantity":"1"}]}"#, "lines[0].materialId: M404 is not a material"),
                (#"{"kind":"sale","customer":{"customerId":"X","kind":"end-customer"},"lines":[{"materialId":"M2","quantity":"99999999","unitPrice":"1"}]}"#,
                 "lines[0].quantity: must be at most 10000000"),
                (#"{"kind":"payment","customer":{"customerId":"X","kind":"end-customer"},"amount":"99999999999"}"#, "amount: must be at most 10000000000"),
            ]
            for (body, problem) in cases {
                let answer = try await post(body)
                #expect(answer.status == .unprocessableContent && answer.text.contains(problem), "\(body) → \(answer.text)")
            }
            #expect(try await post(#"{"kind":"stock-count","lines":[{"materialId":"M1","quantity":"1"}]}"#, as: APITestHub.northManager).status == .forbidden)
            #expect(try await client.call(.put, "/v1/books/settings", as: APITestHub.d3, hub: hub, body: #"{"allowNegativeStock":true}"#).status == .forbidden)
            let set = try await client.call(.put, "/v1/books/settings", as: Self.d3Admin, hub: hub, body: #"{"allowNegativeStock":true}"#)
            #expect(set.status == .accepted, "\(set.text)")
            try await withDeadline(.seconds(30), "the setting is kept") {
                while try await hub.rows("SELECT allow_negative_stock FROM book_dealers WHERE dealer_id = 'D3'").first?.int64(0) != 1 {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            // With negative stock allowed, a return of more M3 than the books hold goes through (M3 is booked by no other test).
            let beyond = try await post(#"{"kind":"return-to-company","lines":[{"materialId":"M3","quantity":"2"}]}"#)
            #expect(beyond.status == .accepted, "\(beyond.text)")
            #expect(try await booked(try #require(beyond["entryId"] as? String), hub) == "booked")
            let unset = try await client.call(.put, "/v1/books/settings", as: Self.d3Admin, hub: hub, body: #"{"allowNegativeStock":false}"#)
            #expect(unset.status == .accepted)
            try await withDeadline(.seconds(30), "the setting is kept") {
                while try await hub.rows("SELECT allow_negative_stock FROM book_dealers WHERE dealer_id = 'D3'").first?.int64(0) != 0 {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
        }
    }

    @Test("selling prices: the administrator sets a list price and a customer's; a sale without a price takes the customer's, else the list price, else 422 naming the line")
    func sellingPrices() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            func put(_ body: String, as principal: Principal = Self.d3Admin) async throws -> APIAnswer {
                try await client.call(.put, "/v1/books/prices", as: principal, hub: hub, body: body)
            }
            func pricesKept(_ count: Int) async throws {
                try await withDeadline(.seconds(30), "the core keeps \(count) prices of M1") {
                    while try await hub.rows("SELECT COUNT(*) FROM book_prices WHERE dealer_id = 'D3' AND material_id = 'M1'").first?.int64(0) != Int64(count) {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }
            }
            /// Sells 1 of `material` to `customer` (with `price` when given) and answers the price it was booked at.
            func sell(_ customer: String, _ material: String = "M1", price: String? = nil) async throws -> (APIAnswer, String?) {
                let priced = price.map { #","unitPrice":"\#($0)""# } ?? ""
                let answer = try await client.bookEntry(#"{"kind":"sale","customer":{"customerId":"\#(customer)","kind":"quick-lube"},"lines":[{"materialId":"\#(material)","quantity":"1"\#(priced)}]}"#,
                                                        as: APITestHub.d3, hub: hub)
                guard answer.status == .accepted, let entryId = answer["entryId"] as? String else { return (answer, nil) }
                #expect(try await booked(entryId, hub) == "booked")
                let document = try await client.call(.get, "/v1/books/entries/\(entryId)", as: APITestHub.d3, hub: hub)
                return (answer, (document["lines"] as? [[String: Any]])?.first?["unitPrice"] as? String)
            }
            #expect(try await put(#"{"prices":[{"materialId":"M1","unitPrice":"1"}]}"#, as: APITestHub.d3).status == .forbidden, "only the administrator")
            let negative = try await put(#"{"prices":[{"materialId":"M1","unitPrice":"-1"}]}"#)
            #expect(negative.status == .unprocessableContent && negative.text.contains("prices[0].unitPrice: must be 0 to"), "\(negative.text)")
            let unknown = try await put(#"{"prices":[{"materialId":"M404","unitPrice":"1"}]}"#)
            #expect(unknown.status == .unprocessableContent && unknown.text.contains("prices[0].materialId: M404 is not a material"), "\(unknown.text)")
            let twice = try await put(#"{"prices":[{"materialId":"M1","unitPrice":"1"},{"materialId":"M1","unitPrice":"2"}]}"#)
            #expect(twice.status == .unprocessableContent && twice.text.contains("prices[1].materialId: M1 is priced twice"), "\(twice.text)")

            let set = try await put(#"{"prices":[{"materialId":"M1","unitPrice":"120.00"},{"customerId":"QL-7","materialId":"M1","unitPrice":"110.00"}]}"#)
            #expect(set.status == .accepted, "\(set.text)")
            try await pricesKept(2)
            let listed = try await client.call(.get, "/v1/books/prices", as: APITestHub.d3, hub: hub)
            let lines = (listed["prices"] as? [[String: Any]])?.filter { $0["materialId"] as? String == "M1" } ?? []
            #expect(lines.map { "\($0["customerId"] as? String ?? "list") \($0["unitPrice"] as? String ?? "")" } == ["list 120.00", "QL-7 110.00"], "\(listed.text)")
            let oneCustomer = try await client.call(.get, "/v1/books/prices?customerId=QL-8", as: APITestHub.d3, hub: hub)
            #expect((oneCustomer["prices"] as? [[String: Any]])?.contains { $0["customerId"] as? String == "QL-7" } == false, "\(oneCustomer.text)")

            let count = try await client.bookEntry(#"{"kind":"stock-count","lines":[{"materialId":"M1","quantity":"20"}]}"#, as: APITestHub.d3, hub: hub)
            #expect(try await booked(try #require(count["entryId"] as? String), hub) == "booked")
            #expect(try await sell("QL-7").1 == "110.00", "the customer's own price")
            #expect(try await sell("QL-8").1 == "120.00", "the list price")
            #expect(try await sell("QL-7", price: "99.00").1 == "99.00", "a price written wins")
            // The customer's price removed: it takes the list price again.
            #expect(try await put(#"{"prices":[{"customerId":"QL-7","materialId":"M1","unitPrice":null}]}"#).status == .accepted)
            try await pricesKept(1)
            #expect(try await sell("QL-7").1 == "120.00")
            let unpriced = try await sell("QL-7", "M3").0
            #expect(unpriced.status == .unprocessableContent && unpriced.text.contains("lines[0].unitPrice: is required: no price for M3 for QL-7"), "\(unpriced.text)")
        }
    }

    @Test("who reads a dealer's books: the dealer its own, staff in scope (others 404), a carrier never", arguments: [
        (APITestHub.d3, "", HTTPResponse.Status.ok), (APITestHub.northManager, "?dealerId=D3", .ok), (APITestHub.admin, "?dealerId=D3", .ok),
        (APITestHub.eastManager, "?dealerId=D3", .notFound), (APITestHub.rep1, "?dealerId=D3", .notFound), (APITestHub.carrier, "?dealerId=D3", .forbidden),
        (APITestHub.northManager, "", .unprocessableContent),
    ])
    func readScope(principal: Principal, query: String, expected: HTTPResponse.Status) async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            for path in ["/v1/books/stock", "/v1/books/entries", "/v1/books/prices"] {
                let answer = try await client.call(.get, path + query, as: principal, hub: hub)
                #expect(answer.status == expected, "\(principal.subject) \(path)\(query) → \(answer.text)")
            }
        }
    }
}

extension TestClientProtocol {
    /// `POST /v1/books/entries` with `body`, as `principal`.
    func bookEntry(_ body: String, as principal: Principal, hub: APITestHub) async throws -> APIAnswer {
        try await call(.post, "/v1/books/entries", as: principal, hub: hub, body: body)
    }
}
