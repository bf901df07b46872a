import HubContracts
import HubDomain
import HubStore
import Hummingbird
import HTTPTypes
import Foundation

/// The figures and scorecards (R4, R8), read from what the core keeps:
/// - `GET /v1/analytics/dealers/{dealerId}?from=YYYY-MM-DD&to=YYYY-MM-DD` — a dealer's figures
///   (staff in scope, the dealer itself, systems); `GET /v1/analytics/branches/{branchId}` and
///   `GET /v1/analytics/company` the same for a branch (its manager, admin) and the company (admin).
/// - `GET /v1/scorecards/{kind}` with kind `dealers|plants|branches|sales-reps|carriers`, `from`,
///   `to`, `sort` (a measure, `score`, `id`, `name`, `takenVolume`, `revenue`, `grossMargin`,
///   `contribution`, `fundUsed`, `ordersSubmitted`), `order` (`desc`|`asc`), `limit`, `offset`, `weights` (`measure:weight,…`);
///   the dealers' also `customerKind` (`tier1`, `tier2`, `key-account`, `quick-lube`): that kind only, ranked among itself.
/// Every answer is CSV with `format=csv` or `Accept: text/csv` (a scorecard: all its rows).
enum AnalyticsRoutes {
    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.get("analytics/dealers/:dealerId") { request, context in
            let principal = try context.caller()
            let dealerId = context.parameters.get("dealerId") ?? ""
            let period = try period(request)
            guard RequestFields.isIdentifier(dealerId) else { throw APIProblem.notFound("dealer \(dealerId)") }
            let visibility = principal.dealerVisibility
            let answer = try await services.database.read { reader throws(StoreError) -> PeriodFigures? in
                guard try reader.dealers.isVisible(dealerId, to: visibility) else { return nil }
                let name = try reader.analytics.names(.dealer, ids: [dealerId])[dealerId]
                return try AnalyticsAnswers.figures(.dealer, dealerId, name: name, period: period, in: reader)
            }
            guard let answer else { throw APIProblem.notFound("dealer \(dealerId)") }
            return respond(request, answer, csv: answer.csv, file: "analytics-\(dealerId)-\(answer.period.from)-\(answer.period.to)")
        }
        router.get("analytics/branches/:branchId") { request, context in
            let principal = try context.caller()
            let branchId = context.parameters.get("branchId") ?? ""
            let period = try period(request)
            guard RequestFields.isIdentifier(branchId), principal.role == .admin || principal.role == .system || principal.branchId == branchId else {
                throw APIProblem.notFound("branch \(branchId)")
            }
            let answer = try await services.database.read { reader throws(StoreError) in
                try AnalyticsAnswers.figures(.branch, branchId, name: nil, period: period, in: reader)
            }
            return respond(request, answer, csv: answer.csv, file: "analytics-\(branchId)-\(answer.period.from)-\(answer.period.to)")
        }
        router.get("analytics/company") { request, _ in
            let period = try period(request)
            let answer = try await services.database.read { reader throws(StoreError) in
                try AnalyticsAnswers.figures(.company, FigureKey.company, name: nil, period: period, in: reader)
            }
            return respond(request, answer, csv: answer.csv, file: "analytics-company-\(answer.period.from)-\(answer.period.to)")
        }
        router.get("scorecards/:kind") { request, context in
            let principal = try context.caller()
            let name = context.parameters.get("kind") ?? ""
            guard let kind = ScorecardKind(rawValue: name) else {
                throw APIProblem.notFound("scorecard \(name) (the scorecards: \(ScorecardKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let reach = AnalyticsAnswers.reach(of: principal, for: kind.scope) else {
                throw APIProblem.forbidden("a \(principal.role.rawValue) has no \(kind.rawValue) scorecard")
            }
            let query = request.uri.queryParameters
            let period = try period(request)
            var issues: [String] = []
            var weights: [ScorecardMeasure: Int] = [:]
            switch kind.weights(overriding: query["weights"].map(String.init)) {
            case .success(let chosen): weights = chosen
            case .failure(let problem): issues.append("weights: \(problem)")
            }
            let sort = query["sort"].map(String.init) ?? "score"
            if !ScorecardTable.sortKeys.contains(sort) && !kind.measures.contains(where: { $0.0.rawValue == sort }) {
                issues.append("sort: one of \((ScorecardTable.sortKeys + kind.measures.map(\.0.rawValue)).joined(separator: ", "))")
            }
            let order = query["order"].map(String.init) ?? (sort == "id" || sort == "name" ? "asc" : "desc")
            if !["asc", "desc"].contains(order) { issues.append("order: asc or desc") }
            let customerKind = query["customerKind"].map { DealerTier(rawValue: String($0)) }
            if let customerKind, kind != .dealers || !DealerTier.known.contains(customerKind) {
                issues.append("customerKind: only on the dealers' scorecard, one of \(DealerTier.known.map(\.rawValue).joined(separator: ", "))")
            }
            if !issues.isEmpty { throw APIProblem.unprocessable("the scorecard's query is not valid", issues: issues) }
            let wantsCSV = wantsCSV(request)
            let limit = wantsCSV ? Int.max : min(max(Int(query["limit"].map(String.init) ?? "") ?? 50, 1), 1_000)
            let offset = wantsCSV ? 0 : max(Int(query["offset"].map(String.init) ?? "") ?? 0, 0)
            let table = try await services.database.read { [weights] reader throws(StoreError) in
                try AnalyticsAnswers.scorecard(kind, period: period, reach: reach, weights: weights, sort: sort, descending: order == "desc",
                                               limit: limit, offset: offset, customerKind: customerKind, in: reader)
            }
            return respond(request, table, csv: table.csv, file: "scorecard-\(kind.rawValue)-\(table.period.from)-\(table.period.to)")
        }
    }

    /// `GET /v1/forecasts?by=product-line|province|dealer[&productLine=]`: next quarter's and next
    /// year's volume (``ForecastAnswers``). The company's product lines are the administrators'
    /// (and systems'); by province and by dealer, staff see their territory and a dealer itself.
    static func addForecasts(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.get("forecasts") { request, context in
            let principal = try context.caller()
            let query = request.uri.queryParameters
            let byText = query["by"].map(String.init) ?? ForecastBreakdown.productLine.rawValue
            guard let by = ForecastBreakdown(rawValue: byText) else {
                throw APIProblem.unprocessable("the forecast's query is not valid",
                                               issues: ["by: one of \(ForecastBreakdown.allCases.map(\.rawValue).joined(separator: ", "))"])
            }
            let productLine = query["productLine"].map(String.init)
            if let productLine, !RequestFields.isIdentifier(productLine) {
                throw APIProblem.unprocessable("the forecast's query is not valid", issues: ["productLine: a product line's id, e.g. automotive-packaged"])
            }
            guard let reach = AnalyticsAnswers.reach(of: principal, for: by.scope), by != .productLine || principal.dealerVisibility == .everyone else {
                throw APIProblem.forbidden(by == .productLine && principal.role != .dealer
                    ? "the company's forecast by product line is for readers of the whole company; ask for by=province or by=dealer"
                    : "a \(principal.role.rawValue) has no forecast by \(by.rawValue)")
            }
            let table = try await services.database.read { reader throws(StoreError) in
                try ForecastAnswers.forecast(by: by, reach: reach, productLine: productLine, in: reader)
            }
            return respond(request, table, csv: table.csv, file: "forecast-\(by.rawValue)-\(table.basedOn)")
        }
    }

    static func period(_ request: Request) throws(APIProblem) -> AnalyticsPeriod {
        let query = request.uri.queryParameters
        return try AnalyticsPeriod.parse(from: query["from"].map(String.init), to: query["to"].map(String.init)).get()
    }

    static func wantsCSV(_ request: Request) -> Bool {
        request.uri.queryParameters["format"] == "csv" || (request.headers[.accept]?.contains("text/csv") ?? false)
    }

    static func respond(_ request: Request, _ value: some Encodable, csv: @autoclosure () -> String, file: String) -> Response {
        guard wantsCSV(request) else { return APIResponse.json(.ok, encoding: value) }
        let safeName = String(file.unicodeScalars.filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) })
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(safeName).csv\""],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: csv())))
    }
}
