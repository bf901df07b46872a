import Foundation
import HubAPI
import HubContracts
import HubDomain
import HubStore
import Hummingbird

/// The sales force in the console (sales management): a rep's day on a phone-sized page — today's
/// plan, the next steps due, its dealers gone quiet, a form to log what it did or plans — and a
/// manager's team: each person's week (planned, done, plan kept, dealers contacted, overdue next
/// steps, quiet dealers) and the latest activities with their dealers. One activity's page lets its
/// owner carry out a plan (outcome, next step). Dealers never see these pages.
extension Console {
    /// `/activities`.
    func activityHome(_ request: Request, _ visitor: ConsoleVisitor) async throws -> Page {
        let principal = visitor.principal
        guard let scope = ActivityAccess.scope(of: principal) else { throw APIProblem.forbidden("activities are the sales force's") }
        let language = visitor.language
        let now = Timestamp(Date())
        let today = FigureMonth.localDay(now.date)
        let monday = today - ((today + 3) % 7)
        let (start, end) = (DayPeriod.midnight(today), DayPeriod.midnight(today + 1))
        guard let todayDate = CalendarDate(BookDay.date(of: Int64(today))) else { throw APIProblem.unavailable("the server's clock gives no date") }
        let quietSince = DayPeriod.midnight(today - Self.quietDays + 1)
        var plan = ActivityReadModel.Filter()
        (plan.status, plan.from, plan.to, plan.ownerId) = (.planned, start, end, principal.role == .salesRep ? principal.subject : nil)
        var latest = ActivityReadModel.Filter()
        latest.limit = 30
        let isRep = principal.role == .salesRep
        let (today_, toDo, quiet, recent, team, changed) = try await services.database.read { [plan, latest] reader throws(StoreError) in
            let activities = reader.activities
            return (try activities.activities(in: scope, plan), try activities.openNextSteps(in: scope, dueBy: todayDate),
                    isRep ? try activities.quietDealers(ofOwner: principal.subject, quietSince: quietSince) : [],
                    try activities.activities(in: scope, latest),
                    isRep ? [] : try activities.workload(in: scope, from: DayPeriod.midnight(monday), to: DayPeriod.midnight(monday + 7), today: todayDate, quietSince: quietSince),
                    isRep ? try activities.sinceLastVisit(ofOwner: principal.subject) : [])
        }
        let atRisk = try await ActivityRoutes.atRisk(principal, services)
        // Why (no) performance, this year so far: the rep's own dealers, or the rep a manager asks for.
        let asked = request.uri.queryParameters["salesRepId"].map(String.init).flatMap { RequestFields.isIdentifier($0) ? $0 : nil }
        let performanceRep = isRep ? principal.salesRepId : asked
        let thisMonth = FigureMonth(now.date)
        let yearToDate = AnalyticsPeriod(months: (FigureMonth(year: thisMonth.year, month: 1) ?? thisMonth)...thisMonth)
        let visibility = principal.dealerVisibility
        var performance: PerformanceTable?
        if let performanceRep {
            performance = try await services.database.read { reader throws(StoreError) in
                try PerformanceAnswers.table(salesRepId: performanceRep, period: yearToDate, visibleTo: visibility, in: reader)
            }
        }
        let row = { (record: ActivityRecord) in Self.activityRow(record, language) }
        return Page(template: "activities", title: ConsoleText.text(isRep ? "myDay" : "teamActivities", language), context: [
            "isRep": isRep, "today": today_.map(row), "noPlan": today_.isEmpty, "toDo": toDo.map(row), "hasToDo": !toDo.isEmpty,
            "quiet": quiet.map { ["dealerId": $0.dealerId, "name": $0.name ?? $0.dealerId, "lastDone": $0.lastDone.map { ConsoleFormat.time($0, language) } ?? ConsoleText.text("never", language)] },
            "hasQuiet": !quiet.isEmpty, "quietDays": Self.quietDays,
            "changed": changed.map { dealer -> [String: Any] in
                ["dealerId": dealer.dealerId, "name": dealer.name ?? dealer.dealerId, "lastVisit": ConsoleFormat.time(dealer.lastVisit, language),
                 "orders": dealer.orders, "refused": dealer.refused, "tickets": dealer.tickets, "hasRefused": dealer.refused > 0, "hasTickets": dealer.tickets > 0]
            },
            "hasChanged": !changed.isEmpty,
            "recent": recent.map(row), "hasRecent": !recent.isEmpty,
            "atRisk": atRisk.prefix(50).map { dealer -> [String: Any] in
                ["dealerId": dealer.dealerId, "name": dealer.name ?? dealer.dealerId, "evidence": dealer.evidence,
                 "followUp": dealer.followUp?.activityId ?? "", "followUpStatus": dealer.followUp.map { ConsoleText.text("activityStatus.\($0.status)", language) } ?? ""]
            },
            "hasAtRisk": !atRisk.isEmpty, "atRiskCount": atRisk.count,
            "team": team.map { Self.workloadRow($0, language) },
            "performance": performance.map { Self.performanceContext($0, language) } ?? false,
            "askRep": !isRep, "askedRep": asked ?? "",
            "teamTotal": Self.workloadRow(.total(team, as: ConsoleText.text("teamTotal", language)), language),
            "hasTeam": !team.isEmpty, "week": "\(BookDay.date(of: Int64(monday))) – \(BookDay.date(of: Int64(monday + 6)))",
            "kinds": ActivityKind.known.filter { $0 != .followUp }.map { ["value": $0.rawValue, "label": ConsoleText.text("activityKind.\($0.rawValue)", language)] },
        ])
    }

    /// `/activities/{id}`: the activity; its owner carries out a plan or changes it.
    func activityPage(_ activityId: String, _ visitor: ConsoleVisitor) async throws -> Page {
        guard let scope = ActivityAccess.scope(of: visitor.principal) else { throw APIProblem.forbidden("activities are the sales force's") }
        guard RequestFields.isIdentifier(activityId),
              let record = try await services.database.read({ reader throws(StoreError) in try reader.activities.activity(activityId, in: scope) }) else {
            throw APIProblem.notFound("activity \(activityId)")
        }
        let language = visitor.language
        var context = Self.activityRow(record, language)
        context["version"] = record.version
        context["mine"] = record.ownerId == visitor.principal.subject
        context["planned"] = record.status == ActivityStatus.planned.rawValue
        context["place"] = record.place.map { place in "\(place.name.map { "\($0) · " } ?? "")\(String(format: "%.5f, %.5f", place.lat, place.lon))" } ?? ""
        context["notes"] = record.notes ?? ""
        return Page(template: "activity", title: "\(ConsoleText.text("salesActivity", language)) · \(record.dealerName ?? record.dealerId)", context: context)
    }

    static let quietDays = 30

    static func workloadRow(_ person: ActivityWorkload, _ language: ConsoleLanguage) -> [String: Any] {
        ["ownerId": person.ownerId, "name": person.name ?? person.ownerId, "planned": person.planned, "plannedDone": person.plannedDone,
         "planKept": person.planned == 0 ? "—" : ConsoleFormat.percent(FigureRatios.text(Decimal(person.plannedDone) / Decimal(person.planned), places: 4)),
         "done": person.done, "contacted": person.dealersContacted, "overdue": person.overdueNextSteps, "late": person.overdueNextSteps > 0,
         "assigned": person.assignedDealers, "notContacted": person.dealersNotContacted]
    }

    /// The rep's dealers this year: the neglected (short of contract, nobody went) first, at most 30.
    static func performanceContext(_ table: PerformanceTable, _ language: ConsoleLanguage) -> [String: Any] {
        [
            "salesRepId": table.salesRepId, "from": table.period.from, "to": table.period.to,
            "fulfilment": ConsoleFormat.percent(table.fulfilmentRate.text), "growth": ConsoleFormat.percent(table.growth.text),
            "taken": ConsoleFormat.volume(table.takenVolume), "contracted": ConsoleFormat.volume(table.contractedVolume),
            "contacted": table.dealersContacted, "dealers": table.rows.count, "activities": table.activitiesDone,
            "rows": table.rows.prefix(30).map { row -> [String: Any] in
                ["dealerId": row.dealerId, "name": row.name ?? row.dealerId, "contracted": ConsoleFormat.volume(row.contractedVolume),
                 "taken": ConsoleFormat.volume(row.takenVolume), "fulfilment": ConsoleFormat.percent(row.fulfilmentRate.text),
                 "growth": ConsoleFormat.percent(row.growth.text), "done": row.activitiesDone, "neglected": row.neglected,
                 "last": row.lastActivityAt.map { ConsoleFormat.time($0, language) } ?? ConsoleText.text("never", language)]
            },
        ]
    }

    static func activityRow(_ record: ActivityRecord, _ language: ConsoleLanguage) -> [String: Any] {
        ["activityId": record.activityId, "dealerId": record.dealerId, "dealer": record.dealerName ?? record.dealerId, "owner": record.ownerId,
         "kind": ConsoleText.text("activityKind.\(record.kind)", language), "status": ConsoleText.text("activityStatus.\(record.status)", language),
         "statusCode": record.status, "when": (record.doneAt ?? record.plannedFor).map { ConsoleFormat.time($0, language) } ?? "—",
         "outcome": record.outcome ?? "", "next": record.nextStep.map { "\($0.action)（\($0.due.text)）" } ?? ""]
    }
}
