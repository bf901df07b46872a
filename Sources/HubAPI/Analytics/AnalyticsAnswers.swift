public import HubContracts
public import HubDomain
public import HubStore
public import Foundation

/// The analytics answers (R4, R8) read from the figures the core keeps, for the API and the console
/// alike: a scope's figures over a period, a scorecard. Each is one read.
public enum AnalyticsAnswers {
    /// A scope's figures over `period`, the same months a year before, and month by month.
    public static func figures(_ scope: AnalyticsScope, _ id: String, name: String?, period: AnalyticsPeriod, now: Date = Date(),
                               in reader: StoreReader) throws(StoreError) -> PeriodFigures {
        let analytics = reader.analytics
        let lines = try analytics.everyId(scope, months: period.months, reach: .only(id))[id] ?? [:]
        let yearBefore = try analytics.everyId(scope, months: period.yearBefore, reach: .only(id))[id] ?? [:]
        let months = try analytics.byMonth(scope, id, months: period.months)
        let company = try analytics.total(.company, FigureKey.company, months: period.months)
        let stock = scope == .dealer ? try reader.customerStock.stock(of: id, at: now) : try reader.customerStock.total(scope, id, at: now)
        let lastSignIn = scope == .dealer ? try reader.signIns.lastDay(of: id) : nil
        let classes = scope == .dealer ? try analytics.customerClasses(of: id) : [:]
        return PeriodFigures(scope: scope, id: id, name: name, period: period, lines: lines, yearBefore: yearBefore, months: months, company: company,
                             customerStock: stock, lastSignIn: lastSignIn, customerClasses: classes)
    }

    /// A scorecard of every id of `kind` within `reach`; the dealers' of one kind of customer only when `customerKind` is
    /// named (ranked among their kind: key accounts and quick-lube centres are not measured against distributors).
    public static func scorecard(_ kind: ScorecardKind, period: AnalyticsPeriod, reach: AnalyticsReadModel.Reach, weights: [ScorecardMeasure: Int],
                                 sort: String, descending: Bool, limit: Int, offset: Int, customerKind: DealerTier? = nil,
                                 in reader: StoreReader) throws(StoreError) -> ScorecardTable {
        let analytics = reader.analytics
        let now = try analytics.everyId(kind.scope, months: period.months, reach: reach)
        let before = try analytics.everyId(kind.scope, months: period.yearBefore, reach: reach)
        let dealers = kind == .salesReps ? try analytics.salesRepDealers(months: period.months) : [:]
        let service = kind == .branches ? try serviceFigures(period, reader) : [:]
        let activity = kind == .salesReps ? try reader.activities.salesRepActivity(from: start(period.months.lowerBound), to: start(period.months.upperBound.adding(months: 1))) : [:]
        var inputs: [String: ScorecardTable.Input] = [:]
        for id in Set(now.keys).union(before.keys) {
            inputs[id] = ScorecardTable.Input(lines: now[id] ?? [:], yearBefore: before[id]?[FigureKey.allLines] ?? AnalyticsMeasures(), dealers: dealers[id],
                                              service: service[id], activity: activity[id])
        }
        var kinds: [String: String] = [:]
        if kind == .dealers {
            let tiers = try analytics.dealerTiers(ids: inputs.keys.sorted())
            if let customerKind { inputs = inputs.filter { tiers[$0.key] == customerKind } }
            kinds = tiers.mapValues(\.rawValue)
        }
        let names = try analytics.names(kind.scope, ids: inputs.keys.sorted())
        let company = try analytics.total(.company, FigureKey.company, months: period.months)
        return ScorecardTable(kind: kind, period: period, weights: weights, inputs: inputs, names: names, customerKinds: kinds, company: company, sort: sort,
                              descending: descending, limit: limit, offset: offset)
    }

    /// Each branch's dealers' tickets opened in the period's months (China time), overdue counted now.
    static func serviceFigures(_ period: AnalyticsPeriod, _ reader: StoreReader) throws(StoreError) -> [String: ServiceFigures] {
        let rows = try reader.tickets.figures(.dealers(.everyone), from: start(period.months.lowerBound), to: start(period.months.upperBound.adding(months: 1)),
                                              at: Timestamp(Date()))
        return Dictionary(uniqueKeysWithValues: rows.map {
            ($0.branchId, ServiceFigures(opened: $0.opened, meanFirstResponseHours: $0.meanFirstResponseHours, overdue: $0.overdue, meanRating: $0.meanRating))
        })
    }

    /// The instant a month begins in China.
    static func start(_ month: FigureMonth) -> Timestamp {
        Timestamp(Date(timeIntervalSince1970: TimeInterval(month.firstDay * 86_400 - CivilCalendar.chinaStandardTimeOffset)))
    }

    /// Which ids of a scope `principal` reaches; nil when its role has no such figures.
    public static func reach(of principal: Principal, for scope: AnalyticsScope) -> AnalyticsReadModel.Reach? {
        switch principal.role {
        case .admin, .system: return .all
        case .carrier: return scope == .carrier ? principal.carrierId.map { .only($0) } : nil
        case .dealer: return scope == .dealer ? .dealers(principal.dealerVisibility) : nil
        case .branchManager, .areaManager, .productLineManager, .salesRep:
            return .dealers(principal.dealerVisibility)
        }
    }
}
