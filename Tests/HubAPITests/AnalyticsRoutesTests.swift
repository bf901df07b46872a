import Foundation
import HubAPI
import HubDomain
import Hummingbird
import HummingbirdTesting
import Testing

/// The figures and scorecards over HTTP, against the test hub's real core: the fixed fields, the
/// period, CSV, and who reaches what — as a matrix of callers.
@Suite("HTTP API: analytics and scorecards (R4, R8)")
struct AnalyticsRoutesTests {
    static func isDecimal(_ value: Any?) -> Bool {
        guard let text = value as? String else { return false }
        return text.range(of: #"^-?[0-9]+\.[0-9]+$"#, options: .regularExpression) != nil
    }

    @Test("a dealer's figures: the fixed fields as decimal strings, whole months stated, CSV, and reached like the directory")
    func dealerFigures() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let submitted = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub, body: #"{"lines":[{"materialId":"M1","quantity":"1"}]}"#)
            #expect(submitted.status == .created || submitted.status == .accepted, "\(submitted.text)")
            let counted = try await hub.untilCore {
                let figures = try await client.call(.get, "/v1/analytics/dealers/D1", as: APITestHub.d1, hub: hub)
                return (figures["ordersSubmitted"] as? Int ?? (figures["figures"] as? [String: Any])?["ordersSubmitted"] as? Int ?? 0) >= 1
            }
            #expect(counted, "the core counts D1's order this year")
            let figures = try await client.call(.get, "/v1/analytics/dealers/D1", as: APITestHub.d1, hub: hub)
            for field in ["contractedVolume", "takenVolume", "revenue", "grossMargin"] { #expect(Self.isDecimal(figures[field]), "\(field): \(figures.text)") }
            for field in ["fulfilmentRate", "validOrderRate"] {
                #expect(figures[field] is NSNull || Self.isDecimal(figures[field]), "\(field) is a decimal string or null: \(figures.text)")
            }
            #expect(Self.isDecimal(figures["validOrderRate"]), "D1 has submitted orders this year")
            #expect(figures["dealerId"] as? String == "D1" && figures["name"] as? String == "上海一级")
            let inner = try #require(figures["figures"] as? [String: Any])
            for field in ["fundBudget", "fundUsed", "fundRemaining", "contribution", "soldVolume"] { #expect(Self.isDecimal(inner[field]), "\(field): \(figures.text)") }
            let stock = try #require(figures["customerStock"] as? [String: Any], "a dealer's figures carry its own stock: \(figures.text)")
            #expect(stock["windowDays"] as? Int == 90 && Self.isDecimal(stock["volume"]) && stock["materials"] is [Any])
            #expect(figures["signIns"] is Int, "a dealer's figures count its people's sign-ins: \(figures.text)")
            let lines = try #require(figures["byProductLine"] as? [[String: Any]])
            let automotive = try #require(lines.first { $0["productLine"] as? String == "automotive-packaged" }, "\(lines)")
            #expect(automotive["erpClass"] as? String == "A", "the ERP's class in the line beside the hub's score: \(automotive)")
            #expect(automotive["score"] is NSNull || Self.isDecimal(automotive["score"]))

            let widened = try await client.call(.get, "/v1/analytics/dealers/D1?from=2026-01-15&to=2026-02-03", as: APITestHub.eastManager, hub: hub)
            let period = try #require(widened["period"] as? [String: Any], "\(widened.text)")
            #expect(period["from"] as? String == "2026-01-01" && period["to"] as? String == "2026-02-28" && (period["months"] as? [String]) == ["2026-01", "2026-02"])
            #expect((widened["byMonth"] as? [Any])?.count == 2)

            let bad = try await client.call(.get, "/v1/analytics/dealers/D1?from=2026-13-01&to=2026-01-01", as: APITestHub.admin, hub: hub)
            #expect(bad.status == .unprocessableContent && bad.text.contains("from: a date YYYY-MM-DD"), "\(bad.text)")
            let backwards = try await client.call(.get, "/v1/analytics/dealers/D1?from=2026-05-01&to=2026-01-01", as: APITestHub.admin, hub: hub)
            #expect(backwards.status == .unprocessableContent && backwards.text.contains("to: on or after from"))

            let csv = try await client.call(.get, "/v1/analytics/dealers/D1?format=csv", as: APITestHub.d1, hub: hub)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8" && csv.text.hasPrefix("\u{FEFF}\"month\",\"contractedVolume_L\""), "\(csv.text.prefix(80))")
            #expect(csv.headers[.contentDisposition]?.contains("analytics-D1-") == true)

            let reaches: [(Principal, HTTPResponse.Status)] = [
                (APITestHub.d1, .ok), (APITestHub.d2, .notFound), (APITestHub.d3, .notFound), (APITestHub.eastManager, .ok), (APITestHub.northManager, .notFound),
                (APITestHub.shanghaiArea, .ok), (APITestHub.rep1, .ok), (APITestHub.rep2, .notFound), (APITestHub.admin, .ok), (APITestHub.system, .ok),
                (APITestHub.carrier, .forbidden),
            ]
            for (principal, status) in reaches {
                let answer = try await client.call(.get, "/v1/analytics/dealers/D1", as: principal, hub: hub)
                #expect(answer.status == status, "\(principal.subject): \(answer.status) \(answer.text.prefix(200))")
                if status != .ok { #expect(answer.isProblem && !answer.text.contains("上海一级")) }
            }
            for (principal, status) in [(APITestHub.eastManager, HTTPResponse.Status.ok), (APITestHub.northManager, .notFound), (APITestHub.admin, .ok),
                                        (APITestHub.rep1, .forbidden), (APITestHub.d1, .forbidden)] {
                let branch = try await client.call(.get, "/v1/analytics/branches/BR-EAST", as: principal, hub: hub)
                #expect(branch.status == status, "branch as \(principal.subject): \(branch.status)")
            }
            #expect(try await client.call(.get, "/v1/analytics/company", as: APITestHub.eastManager, hub: hub).status == .forbidden)
            let company = try await client.call(.get, "/v1/analytics/company", as: APITestHub.admin, hub: hub)
            #expect(company.status == .ok && company["scope"] as? String == "company" && company["dealerId"] == nil)
        }
    }

    @Test("scorecards: each kind's rows as far as the caller reaches, sorting, weights and CSV; bad queries named")
    func scorecards() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            _ = try await client.call(.post, "/v1/orders", as: APITestHub.d1, hub: hub, body: #"{"lines":[{"materialId":"M1","quantity":"1"}]}"#)
            _ = try await client.call(.post, "/v1/orders", as: APITestHub.d3, hub: hub, body: #"{"lines":[{"materialId":"M3","quantity":"1"}]}"#)
            func ids(_ kind: String, as principal: Principal) async throws -> Set<String> {
                let table = try await client.call(.get, "/v1/scorecards/\(kind)", as: principal, hub: hub)
                #expect(table.status == .ok, "\(kind) as \(principal.subject): \(table.text.prefix(200))")
                return Set((table["rows"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
            }
            #expect(try await hub.untilCore { try await ids("dealers", as: APITestHub.admin).isSuperset(of: ["D1", "D3"]) })
            // Other suites add dealers to the shared hub: the east manager's rows are D1 and whatever else is its branch's, never D3.
            let east = try await ids("dealers", as: APITestHub.eastManager)
            #expect(east.contains("D1") && !east.contains("D3"), "\(east)")
            for id in east {
                #expect(try await client.call(.get, "/v1/dealers/\(id)", as: APITestHub.eastManager, hub: hub).status == .ok, "\(id) is the east branch's")
            }
            let north = try await ids("dealers", as: APITestHub.northManager)
            #expect(north.contains("D3") && !north.contains("D1") && !north.contains("D2"), "\(north)")
            let rep1 = try await ids("dealers", as: APITestHub.rep1)
            #expect(rep1.contains("D1") && !rep1.contains("D3"), "\(rep1)")
            #expect(try await ids("branches", as: APITestHub.eastManager) == ["BR-EAST"])
            #expect(try await ids("branches", as: APITestHub.admin).isSuperset(of: ["BR-EAST", "BR-NORTH"]))
            #expect(try await ids("sales-reps", as: APITestHub.rep2) == ["R2"])
            #expect(try await ids("carriers", as: APITestHub.carrier).isSubset(of: ["CAR-07"]))
            _ = try await ids("plants", as: APITestHub.eastManager)
            for (kind, principal, status) in [("dealers", APITestHub.carrier, HTTPResponse.Status.forbidden), ("dealers", APITestHub.d1, .forbidden),
                                              ("plants", APITestHub.carrier, .forbidden), ("regions", APITestHub.admin, .notFound)] {
                let answer = try await client.call(.get, "/v1/scorecards/\(kind)", as: principal, hub: hub)
                #expect(answer.status == status && answer.isProblem, "\(kind) as \(principal.subject): \(answer.status)")
            }
            let table = try await client.call(.get, "/v1/scorecards/dealers?weights=validOrderRate:100,fulfilmentRate:0&sort=validOrderRate", as: APITestHub.admin, hub: hub)
            let measures = try #require(table["measures"] as? [[String: Any]])
            #expect(measures.first { $0["name"] as? String == "validOrderRate" }?["weight"] as? Int == 100)
            let rows = try #require(table["rows"] as? [[String: Any]])
            #expect(rows.map { $0["rank"] as? Int ?? 0 }.allSatisfy { $0 >= 1 })
            // By kind of customer: each dealer's row names its kind; the kinds split the dealers between them, each ranked 1… among itself.
            let every = try await client.call(.get, "/v1/scorecards/dealers?limit=1000", as: APITestHub.admin, hub: hub)
            let everyRows = try #require(every["rows"] as? [[String: Any]])
            #expect(everyRows.first { $0["id"] as? String == "D1" }?["customerKind"] as? String == "tier1", "\(every.text.prefix(300))")
            var split = 0
            for kind in ["tier1", "tier2", "key-account", "quick-lube"] {
                let one = try await client.call(.get, "/v1/scorecards/dealers?limit=1000&customerKind=\(kind)", as: APITestHub.admin, hub: hub)
                let oneRows = try #require(one["rows"] as? [[String: Any]], "\(one.text)")
                #expect(Set(oneRows.compactMap { $0["id"] as? String }) == Set(everyRows.filter { $0["customerKind"] as? String == kind }.compactMap { $0["id"] as? String }), "\(kind)")
                #expect(oneRows.compactMap { $0["rank"] as? Int }.sorted() == Array((0..<oneRows.count).map { $0 + 1 }), "\(kind)")
                split += oneRows.count
            }
            #expect(split == everyRows.count)
            let wrongKind = try await client.call(.get, "/v1/scorecards/branches?customerKind=tier1", as: APITestHub.admin, hub: hub)
            #expect(wrongKind.status == .unprocessableContent && wrongKind.text.contains("customerKind: only on the dealers' scorecard"), "\(wrongKind.text)")
            let bad = try await client.call(.get, "/v1/scorecards/dealers?weights=speed:9&sort=colour&order=up", as: APITestHub.admin, hub: hub)
            #expect(bad.status == .unprocessableContent, "\(bad.text)")
            for field in ["weights:", "sort:", "order:"] { #expect(bad.text.contains(field), "names \(field): \(bad.text)") }
            let csv = try await client.call(.get, "/v1/scorecards/branches", as: APITestHub.admin, hub: hub, headers: [.accept: "text/csv"])
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8" && csv.text.contains("\"fulfilmentRate\",\"growth\",\"validOrderRate\""), "\(csv.text.prefix(200))")
        }
    }

    @Test("the demand forecast: its horizon and method stated, CSV; by product line for readers of the whole company, by province and dealer in scope; a bad query named")
    func forecasts() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let company = try await client.call(.get, "/v1/forecasts", as: APITestHub.admin, hub: hub)
            #expect(company.status == .ok && company["by"] as? String == "product-line", "\(company.text)")
            let basedOn = try #require(company["basedOn"] as? String)
            #expect(basedOn.range(of: #"^[0-9]{4}-[0-9]{2}$"#, options: .regularExpression) != nil)
            #expect((company["nextQuarter"] as? String)?.contains("-Q") == true && (company["nextQuarterMonths"] as? [String])?.count == 3)
            #expect((company["method"] as? String)?.contains("naive") == true && company["rows"] is [Any] && company["byProductLine"] is [Any])
            let reaches: [(Principal, String, HTTPResponse.Status)] = [
                (APITestHub.eastManager, "product-line", .forbidden), (APITestHub.eastManager, "province", .ok), (APITestHub.rep1, "dealer", .ok),
                (APITestHub.d1, "dealer", .ok), (APITestHub.d1, "province", .forbidden), (APITestHub.d1, "product-line", .forbidden),
                (APITestHub.carrier, "dealer", .forbidden), (APITestHub.system, "product-line", .ok),
            ]
            for (principal, by, status) in reaches {
                let answer = try await client.call(.get, "/v1/forecasts?by=\(by)", as: principal, hub: hub)
                #expect(answer.status == status, "\(principal.subject) by \(by): \(answer.status) \(answer.text.prefix(200))")
            }
            let refused = try await client.call(.get, "/v1/forecasts", as: APITestHub.eastManager, hub: hub)
            #expect(refused.text.contains("by=province"), "the refusal says what to ask for instead: \(refused.text)")
            let bad = try await client.call(.get, "/v1/forecasts?by=city", as: APITestHub.admin, hub: hub)
            #expect(bad.status == .unprocessableContent && bad.text.contains("by: one of product-line, province, dealer"), "\(bad.text)")
            let csv = try await client.call(.get, "/v1/forecasts?by=province&format=csv", as: APITestHub.admin, hub: hub)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8" && csv.text.hasPrefix("\u{FEFF}\"id\",\"productLine\",\"province\""), "\(csv.text.prefix(120))")
        }
    }
}
