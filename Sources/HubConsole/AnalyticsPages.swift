import Foundation
import HubAPI
import HubContracts
import HubDomain
import HubStore
import Hummingbird

/// The figures on screen (R4, R8): the company's dashboard (administrators) or a branch's (its
/// manager) with the trend of taken volume and revenue month by month against the year before;
/// a dealer's figures; the scorecards, sortable, each row leading to what is behind it (a dealer's
/// figures and its orders, a branch's dashboard), with their CSV. The same answers as the API's
/// (``AnalyticsAnswers``), read once per page.
extension Console {
    /// `/analytics`: the company's (admin, or `?branch=` one branch) or the manager's branch's dashboard.
    func dashboard(_ request: Request, _ visitor: ConsoleVisitor) async throws -> Page {
        let principal = visitor.principal
        let query = request.uri.queryParameters
        let scope: (AnalyticsScope, String)
        switch principal.role {
        case .admin:
            scope = query["branch"].map { (.branch, String($0)) } ?? (.company, FigureKey.company)
        case .branchManager:
            guard let branch = principal.branchId else { throw APIProblem.forbidden("a branch manager without a branch") }
            scope = (.branch, branch)
        default:
            throw APIProblem.forbidden("the dashboards are the administrators' and the branch managers'")
        }
        guard RequestFields.isIdentifier(scope.1) else { throw APIProblem.notFound("branch") }
        let period = try period(request)
        let weights = try ScorecardKind.branches.weights(overriding: nil).get()
        // Beside the trends, the demand forecast: the company's by product line, a branch's by province (its dealers').
        let forecastBy: ForecastBreakdown = scope.0 == .company ? .productLine : .province
        let forecastReach: AnalyticsReadModel.Reach = scope.0 == .company ? .all : .dealers(.branch(scope.1))
        let (figures, branches, trends, forecast) = try await services.database.read { reader throws(StoreError) in
            (try AnalyticsAnswers.figures(scope.0, scope.1, name: nil, period: period, in: reader),
             scope.0 == .company ? try AnalyticsAnswers.scorecard(.branches, period: period, reach: .all, weights: weights, sort: "score", descending: true,
                                                                  limit: 50, offset: 0, in: reader) : nil,
             scope.0 == .company ? try reader.analytics.regionalTrends(months: period.months) : [],
             try ForecastAnswers.forecast(by: forecastBy, reach: forecastReach, in: reader))
        }
        let language = visitor.language
        var context = Self.figuresContext(figures, language)
        context["periodForm"] = Self.periodForm(period, path: "/analytics", extra: scope.0 == .branch && principal.role == .admin ? ["branch": scope.1] : [:])
        context["csv"] = scope.0 == .company ? "/v1/analytics/company?\(Self.periodQuery(period))&format=csv"
            : "/v1/analytics/branches/\(scope.1)?\(Self.periodQuery(period))&format=csv"
        context["scorecardLinks"] = ScorecardKind.allCases.map { ["href": "/scorecards/\($0.rawValue)?\(Self.periodQuery(period))", "label": ConsoleText.text("scorecard_\($0.rawValue)", language)] }
        if let branches {
            context["branches"] = branches.rows.map { row -> [String: Any] in
                ["id": row.id, "href": "/analytics?branch=\(row.id)&\(Self.periodQuery(period))", "rank": row.rank, "score": row.score.text ?? "—",
                 "taken": ConsoleFormat.volume(row.figures.takenVolume), "revenue": ConsoleFormat.money(row.figures.revenue),
                 "fulfilment": ConsoleFormat.percent(row.figures.fulfilmentRate.text), "valid": ConsoleFormat.percent(row.figures.validOrderRate.text)]
            }
        }
        context["regions"] = Self.regions(trends, language)
        context["hasRegions"] = !trends.isEmpty
        if !forecast.rows.isEmpty || forecast.tooShort > 0 {
            context["forecast"] = Self.forecastContext(forecast, csv: "/v1/forecasts?by=\(forecastBy.rawValue)&format=csv", language)
        }
        context["hasBranches"] = !(branches?.rows.isEmpty ?? true)
        context["hasScorecardLinks"] = true
        context["hasCharts"] = assets.hasCharts
        let title = scope.0 == .company ? ConsoleText.text("companyDashboard", language) : ConsoleText.text("branchDashboard", language) + " " + scope.1
        return Page(template: "analytics", title: title, context: context)
    }

    /// The demand forecast's rows, largest next year first (at most 30), errors as percentages.
    static func forecastContext(_ table: ForecastTable, csv: String, _ language: ConsoleLanguage) -> [String: Any] {
        let percent = { (text: DecimalText) in ConsoleFormat.percent(text.text) }
        let rows = table.rows.sorted { (Double($0.nextYear ?? "") ?? 0) > (Double($1.nextYear ?? "") ?? 0) }.prefix(30)
        return [
            "basedOn": table.basedOn, "nextQuarter": table.nextQuarter, "nextYear": table.nextYear, "csv": csv, "tooShort": table.tooShort,
            "rows": rows.map { row -> [String: Any] in
                let amount = { (text: String?) in text.map { ConsoleFormat.whole($0, unit: row.unit) } ?? "—" }
                return ["productLine": ConsoleText.text("line." + row.productLine, language), "province": row.province ?? "—", "lastTwelve": amount(row.lastTwelveMonths),
                        "quarter": amount(row.nextQuarter), "year": amount(row.nextYear),
                        "trend": row.trendPerMonth ?? "—", "mape": row.backtest.map { percent($0.mape) } ?? "—",
                        "naiveMape": row.backtest.map { percent($0.naiveMape) } ?? "—", "better": row.backtest?.beatsNaive == true]
            },
        ]
    }

    /// `/analytics/dealers/{id}`: one dealer's figures, reached like its page.
    func dealerFigures(_ dealerId: String, _ request: Request, _ visitor: ConsoleVisitor) async throws -> Page {
        guard RequestFields.isIdentifier(dealerId) else { throw APIProblem.notFound("dealer") }
        let period = try period(request)
        let visibility = visitor.principal.dealerVisibility
        let figures = try await services.database.read { reader throws(StoreError) -> PeriodFigures? in
            guard try reader.dealers.isVisible(dealerId, to: visibility) else { return nil }
            return try AnalyticsAnswers.figures(.dealer, dealerId, name: try reader.analytics.names(.dealer, ids: [dealerId])[dealerId], period: period, in: reader)
        }
        guard let figures else { throw APIProblem.notFound("dealer \(dealerId)") }
        let language = visitor.language
        var context = Self.figuresContext(figures, language)
        context["periodForm"] = Self.periodForm(period, path: "/analytics/dealers/\(dealerId)", extra: [:])
        context["csv"] = "/v1/analytics/dealers/\(dealerId)?\(Self.periodQuery(period))&format=csv"
        context["hasCharts"] = assets.hasCharts
        context["dealer"] = ["id": dealerId, "name": figures.name ?? dealerId, "page": "/dealers/\(dealerId)", "orders": "/orders?dealerId=\(dealerId)",
                              "contracts": "/dealers/\(dealerId)/contracts"]
        if let stock = figures.customerStock {
            context["stock"] = [
                "volume": ConsoleFormat.volume(stock.volume), "daysOfCover": stock.daysOfCover.text ?? "—", "sold": ConsoleFormat.volume(stock.soldVolume),
                "asOf": ConsoleFormat.time(stock.asOf, language), "empty": stock.materials.isEmpty,
                "materials": stock.materials.prefix(20).map { material -> [String: Any] in
                    ["id": material.materialId, "name": material.name ?? "", "onHand": material.onHand, "volume": ConsoleFormat.volume(material.volume),
                     "sold": ConsoleFormat.volume(material.soldVolume), "days": material.daysOfCover.text ?? "—",
                     "asOf": ConsoleFormat.time(material.asOf, language)]
                },
            ] as [String: Any]
        }
        return Page(template: "analytics", title: "\(figures.name ?? dealerId) · \(ConsoleText.text("figures", language))", context: context)
    }

    /// `/scorecards/{kind}`: a scorecard as far as the visitor reaches, sorted by a column's link.
    func scorecard(_ name: String, _ request: Request, _ visitor: ConsoleVisitor) async throws -> Page {
        guard let kind = ScorecardKind(rawValue: name) else { throw APIProblem.notFound("scorecard") }
        guard let reach = AnalyticsAnswers.reach(of: visitor.principal, for: kind.scope), visitor.principal.role != .dealer else {
            throw APIProblem.forbidden("no \(name) scorecard")
        }
        let query = request.uri.queryParameters
        let period = try period(request)
        let sort = query["sort"].map(String.init).flatMap { ScorecardTable.sortKeys.contains($0) || ScorecardMeasure(rawValue: $0) != nil ? $0 : nil } ?? "score"
        let ascending = query["order"] == "asc"
        let offset = max(Int(query["offset"].map(String.init) ?? "") ?? 0, 0)
        let weights = try kind.weights(overriding: nil).get()
        // The dealers' scorecard by kind of customer: key accounts and quick-lube centres ranked among their own kind.
        let customerKind = kind == .dealers ? query["customerKind"].map { DealerTier(rawValue: String($0)) }.flatMap { DealerTier.known.contains($0) ? $0 : nil } : nil
        let table = try await services.database.read { reader throws(StoreError) in
            try AnalyticsAnswers.scorecard(kind, period: period, reach: reach, weights: weights, sort: sort, descending: !ascending, limit: 50, offset: offset,
                                           customerKind: customerKind, in: reader)
        }
        let language = visitor.language
        let periodBase = "/scorecards/\(kind.rawValue)?\(Self.periodQuery(period))"
        let base = periodBase + (customerKind.map { "&customerKind=\($0.rawValue)" } ?? "")
        func sortLink(_ key: String) -> String { "\(base)&sort=\(key)&order=\(sort == key && !ascending ? "asc" : "desc")" }
        let columns = kind.measures.map { measure, weight -> [String: Any] in
            ["label": ConsoleText.text("measure_\(measure.rawValue)", language), "weight": weight, "href": sortLink(measure.rawValue), "sorted": sort == measure.rawValue]
        }
        let rows = table.rows.map { row -> [String: Any] in
            var drill = ""
            switch kind {
            case .dealers: drill = "/analytics/dealers/\(row.id)?\(Self.periodQuery(period))"
            case .branches where visitor.principal.role == .admin: drill = "/analytics?branch=\(row.id)&\(Self.periodQuery(period))"
            default: break
            }
            return ["id": row.id, "name": row.name ?? "", "rank": row.rank,
                    "customerKind": row.customerKind.map { ConsoleText.text("tier.\($0)", language) } ?? "", "score": row.score.text ?? "—", "drill": drill,
                    "measures": kind.measures.map { measure, _ in Self.measureText(measure, row.measures[measure.rawValue]?.text, language) },
                    "taken": ConsoleFormat.volume(row.figures.takenVolume), "revenue": ConsoleFormat.money(row.figures.revenue),
                    "margin": ConsoleFormat.money(row.figures.grossMargin), "contribution": ConsoleFormat.money(row.figures.contribution),
                    "contributionRank": row.contributionRank]
        }
        return Page(template: "scorecard", title: ConsoleText.text("scorecard_\(kind.rawValue)", language), context: [
            "periodForm": Self.periodForm(period, path: "/scorecards/\(kind.rawValue)", extra: [:]),
            "kinds": ScorecardKind.allCases.map { ["href": "/scorecards/\($0.rawValue)?\(Self.periodQuery(period))", "label": ConsoleText.text("scorecard_\($0.rawValue)", language),
                                                   "current": $0 == kind] },
            "customerKinds": kind == .dealers ? Self.customerKindTabs(periodBase, chosen: customerKind, language) : [],
            "byCustomerKind": kind == .dealers,
            "columns": columns, "rows": rows, "empty": rows.isEmpty, "total": table.total,
            "scoreHref": sortLink("score"), "nameHref": sortLink("name"), "takenHref": sortLink("takenVolume"), "revenueHref": sortLink("revenue"),
            "marginHref": sortLink("grossMargin"), "contributionHref": sortLink("contribution"),
            "previous": offset > 0 ? "\(base)&sort=\(sort)&order=\(ascending ? "asc" : "desc")&offset=\(max(0, offset - 50))" : "",
            "next": offset + 50 < table.total ? "\(base)&sort=\(sort)&order=\(ascending ? "asc" : "desc")&offset=\(offset + 50)" : "",
            "csv": "/v1/scorecards/\(kind.rawValue)?\(Self.periodQuery(period))&sort=\(sort)&format=csv" + (customerKind.map { "&customerKind=\($0.rawValue)" } ?? ""),
        ])
    }

    /// The dealers' scorecard's tabs: every kind, then each kind of customer.
    static func customerKindTabs(_ base: String, chosen: DealerTier?, _ language: ConsoleLanguage) -> [[String: Any]] {
        let tiers: [DealerTier?] = [nil] + DealerTier.known.map { Optional($0) }
        return tiers.map { tier -> [String: Any] in
            let href = base + (tier.map { "&customerKind=\($0.rawValue)" } ?? "")
            let label = ConsoleText.text(tier.map { "tier.\($0.rawValue)" } ?? "everyKind", language)
            return ["href": href, "label": label, "current": tier == chosen]
        }
    }

    func period(_ request: Request) throws -> AnalyticsPeriod {
        let query = request.uri.queryParameters
        return try AnalyticsPeriod.parse(from: query["from"].map(String.init), to: query["to"].map(String.init)).get()
    }

    static func periodQuery(_ period: AnalyticsPeriod) -> String {
        "from=\(period.stated.from)&to=\(period.stated.to)"
    }

    static func periodForm(_ period: AnalyticsPeriod, path: String, extra: [String: String]) -> [String: Any] {
        ["action": path, "from": period.stated.from, "to": period.stated.to, "hidden": extra.map { ["name": $0.key, "value": $0.value] }]
    }

    static func measureText(_ measure: ScorecardMeasure, _ value: String?, _ language: ConsoleLanguage) -> String {
        guard let value else { return "—" }
        switch measure {
        case .receiptSpeed, .productQuality, .dispatchSpeed, .serviceQuality: return value
        case .confirmToDispatchHours, .ticketFirstResponseHours: return value + " h"
        case .etaErrorMinutes: return value + " min"
        case .newDealers, .ticketsOpened, .ticketSatisfaction: return value
        default: return ConsoleFormat.percent(value)
        }
    }

    /// The page's figures: the headline, the months (table and chart data), the product lines.
    static func figuresContext(_ figures: PeriodFigures, _ language: ConsoleLanguage) -> [String: Any] {
        let f = figures.figures
        let lastYear = figures.yearBefore
        let months = figures.byMonth
        let chart: [String: Any] = [
            "labels": months.map(\.month),
            "series": [["label": ConsoleText.text("takenVolumeL", language), "values": months.map { Double($0.figures.takenVolume) ?? 0 }],
                       ["label": ConsoleText.text("revenueYuan", language), "values": months.map { Double($0.figures.revenue) ?? 0 }, "axis": "right"]],
        ]
        let chartJSON = (try? JSONSerialization.data(withJSONObject: chart, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return [
            "period": "\(figures.period.from) — \(figures.period.to)",
            "kpis": [
                ["label": ConsoleText.text("measure_contractedVolume", language), "value": ConsoleFormat.volume(f.contractedVolume)],
                ["label": ConsoleText.text("measure_takenVolume", language), "value": ConsoleFormat.volume(f.takenVolume),
                 "note": ConsoleText.text("yearBefore", language) + " " + ConsoleFormat.volume(lastYear.takenVolume)],
                ["label": ConsoleText.text("measure_fulfilmentRate", language), "value": ConsoleFormat.percent(f.fulfilmentRate.text)],
                ["label": ConsoleText.text("measure_validOrderRate", language), "value": ConsoleFormat.percent(f.validOrderRate.text),
                 "note": "\(f.ordersValid) / \(f.ordersSubmitted)"],
                ["label": ConsoleText.text("measure_revenue", language), "value": ConsoleFormat.money(f.revenue),
                 "note": ConsoleText.text("yearBefore", language) + " " + ConsoleFormat.money(lastYear.revenue)],
                ["label": ConsoleText.text("measure_grossMargin", language), "value": ConsoleFormat.money(f.grossMargin),
                 "note": ConsoleFormat.percent(f.grossMarginRate.text)],
                ["label": ConsoleText.text("measure_funds", language), "value": ConsoleFormat.money(f.fundUsed) + " / " + ConsoleFormat.money(f.fundBudget),
                 "note": ConsoleText.text("fundsNote", language) + " " + ConsoleFormat.money(f.fundRemaining)],
                ["label": ConsoleText.text("measure_contribution", language), "value": ConsoleFormat.money(f.contribution),
                 "note": ConsoleText.text("contributionNote", language) + " " + ConsoleFormat.percent(figures.shareOfCompanyMargin.text)],
                ["label": ConsoleText.text("measure_soldVolume", language), "value": ConsoleFormat.volume(f.soldVolume),
                 "note": ConsoleText.text("yearBefore", language) + " " + ConsoleFormat.volume(lastYear.soldVolume)],
                // Many dealers' stock added up (a dealer's own has a section of its own).
                figures.customerStock.flatMap { stock -> [String: Any]? in
                    figures.scope == AnalyticsScope.dealer.rawValue ? nil
                        : ["label": ConsoleText.text("customerStock", language), "value": ConsoleFormat.volume(stock.volume),
                           "note": ConsoleText.text("daysOfCover", language) + " " + (stock.daysOfCover.text ?? "—")]
                },
                // How often the dealers' people signed in; a dealer's last day too.
                figures.signIns.map { count -> [String: Any] in
                    ["label": ConsoleText.text("measure_signIns", language), "value": String(count),
                     "note": figures.scope == AnalyticsScope.dealer.rawValue ? ConsoleText.text("lastSignIn", language) + " " + (figures.lastSignIn ?? "—") : ""]
                },
                ["label": ConsoleText.text("measure_growth", language), "value": ConsoleFormat.percent(figures.growth.text)],
                ["label": ConsoleText.text("measure_ratings", language),
                 "value": [f.ratings.productQuality, f.ratings.dispatchSpeed, f.ratings.serviceQuality, f.ratings.receiptSpeed].map { $0.text ?? "—" }.joined(separator: " / "),
                 "note": ConsoleText.text("ratingsNote", language)],
            ].compactMap { $0 },
            "uncosted": f.uncostedRevenue != "0.00" ? ConsoleFormat.money(f.uncostedRevenue) : "",
            "chart": chartJSON,
            "months": months.map { month -> [String: Any] in
                ["month": month.month, "contracted": ConsoleFormat.volume(month.figures.contractedVolume), "taken": ConsoleFormat.volume(month.figures.takenVolume),
                 "fulfilment": ConsoleFormat.percent(month.figures.fulfilmentRate.text), "submitted": month.figures.ordersSubmitted,
                 "valid": ConsoleFormat.percent(month.figures.validOrderRate.text),
                 "revenue": ConsoleFormat.money(month.figures.revenue), "margin": ConsoleFormat.money(month.figures.grossMargin)]
            },
            "lines": figures.byProductLine.map { line -> [String: Any] in
                // A line contracted by weight (bulk, greases) is shown in kilograms, as its fulfilment is counted.
                let byWeight = Decimal(string: line.figures.contractedVolume) == 0 && Decimal(string: line.figures.contractedWeight) != 0
                return ["line": ConsoleText.text("line." + line.productLine, language),
                 "contracted": byWeight ? ConsoleFormat.weight(line.figures.contractedWeight) : ConsoleFormat.volume(line.figures.contractedVolume),
                 "taken": byWeight ? ConsoleFormat.weight(line.figures.takenWeight) : ConsoleFormat.volume(line.figures.takenVolume),
                 "fulfilment": ConsoleFormat.percent(line.figures.fulfilmentRate.text),
                 "revenue": ConsoleFormat.money(line.figures.revenue), "margin": ConsoleFormat.money(line.figures.grossMargin),
                 "rating": line.score.map { score in (line.erpClass.map { ConsoleText.text("erpClass", language) + " " + $0 + " · " } ?? "")
                     + ConsoleText.text("score", language) + " " + (score.text ?? "—") } ?? ""]
            },
        ]
    }

    /// Regional trends: each province's taken volume per product line over the period, largest first.
    static func regions(_ trends: [(province: String, productLine: String, month: FigureMonth, takenMl: Int64, revenueFen: Int64)],
                        _ language: ConsoleLanguage) -> [[String: Any]] {
        var totals: [String: (ml: Int64, fen: Int64, lines: [String: Int64])] = [:]
        for trend in trends {
            var total = totals[trend.province] ?? (0, 0, [:])
            total.ml += trend.takenMl
            total.fen += trend.revenueFen
            total.lines[trend.productLine, default: 0] += trend.takenMl
            totals[trend.province] = total
        }
        return totals.sorted { $0.value.ml > $1.value.ml }.map { province, total in
            ["province": province, "taken": ConsoleFormat.volume(MinorUnits.text(total.ml, scale: 3)), "revenue": ConsoleFormat.money(MinorUnits.text(total.fen, scale: 2)),
             "lines": total.lines.sorted { $0.key < $1.key }.map { "\(ConsoleText.text("line." + $0.key, language)) \(ConsoleFormat.volume(MinorUnits.text($0.value, scale: 3)))" }
                .joined(separator: " · ")]
        }
    }
}
