import Foundation
import HubAPI
import HubContracts
import HubDomain
import HubStore
import Hummingbird

/// Surveys (R6) in the console: a dealer's open surveys and the form to answer one (once); staff
/// the surveys of their reach, each one's results by group — counts, means, NPS and the free-text
/// answers, an anonymous survey's small groups left out — with the CSV; administrators and branch
/// managers write one in a form.
extension Console {
    /// `/surveys`.
    func surveyList(_ visitor: ConsoleVisitor) async throws -> Page {
        let principal = visitor.principal
        guard principal.role == .dealer || principal.role.isStaff else { throw APIProblem.forbidden("surveys are for dealers and staff") }
        let language = visitor.language
        let now = Timestamp(Date())
        let api = services  // its identifier secret makes response ids
        let rows = try await services.database.read { reader throws(StoreError) -> [(StoredSurvey, Bool)] in
            guard principal.role == .dealer else {
                return try reader.surveys.all(branchId: AnnouncementAccess.staffBranch(principal), limit: 200).map { ($0, false) }
            }
            guard let dealerId = principal.dealerId, let member = try reader.announcements.audienceMember(dealerId) else { return [] }
            let open = try reader.surveys.open(at: now).filter { $0.published.audience.reaches(member) }
            let answered = try reader.surveys.responded(open.map {
                ($0.published.surveyId, SurveyAccess.responseId($0.published, dealerId: dealerId, userId: principal.subject, api))
            })
            return open.map { ($0, answered.contains($0.published.surveyId)) }
        }
        return Page(template: "surveys", title: ConsoleText.text("surveys", language), context: [
            "surveys": rows.map { survey, responded -> [String: Any] in
                let s = survey.published
                return ["surveyId": s.surveyId, "title": s.title, "kind": ConsoleText.text("surveyKind.\(s.kind.rawValue)", language),
                        "closesAt": ConsoleFormat.time(s.closesAt, language), "open": survey.isOpen(at: now), "responded": responded,
                        "anonymous": s.anonymous, "from": s.branchId ?? ConsoleText.text("company", language)]
            },
            "empty": rows.isEmpty, "isDealer": visitor.isDealer, "mayPublish": (try? MasterDataReach.of(principal)) != nil,
        ])
    }

    /// `/surveys/new`: administrators (the company's) and branch managers (their branch's).
    func surveyForm(_ visitor: ConsoleVisitor) throws -> Page {
        let reach = try MasterDataReach.of(visitor.principal)
        let language = visitor.language
        return Page(template: "survey-form", title: ConsoleText.text("newSurvey", language), context: Self.audienceChoices(reach, language).merging([
            "kinds": SurveyKind.known.map { ["value": $0.rawValue, "label": ConsoleText.text("surveyKind.\($0.rawValue)", language)] },
        ]) { $1 })
    }

    /// `/surveys/{id}`: a dealer answers it (once); staff read its results (`by` groups them).
    func surveyPage(_ id: String, _ request: Request, _ visitor: ConsoleVisitor) async throws -> Page {
        let principal = visitor.principal
        guard principal.role == .dealer || principal.role.isStaff else { throw APIProblem.forbidden("surveys are for dealers and staff") }
        guard RequestFields.isIdentifier(id) else { throw APIProblem.notFound("survey") }
        let language = visitor.language
        let now = Timestamp(Date())
        let api = services  // its identifier secret makes response ids
        let by = request.uri.queryParameters["by"].flatMap { SurveyResults.Dimension(rawValue: String($0)) } ?? .all
        let read = try await services.database.read { reader throws(StoreError) -> (StoredSurvey, Bool, [SurveyResults.Response])? in
            guard let survey = try SurveyAccess.visible(id, to: principal, at: now, reader) else { return nil }
            if principal.role == .dealer, let dealerId = principal.dealerId {
                let responseId = SurveyAccess.responseId(survey.published, dealerId: dealerId, userId: principal.subject, api)
                return (survey, !(try reader.surveys.responded([(id, responseId)]).isEmpty), [])
            }
            return (survey, false, try reader.surveys.responses(to: id))
        }
        guard let (stored, responded, responses) = read else { throw APIProblem.notFound("survey \(id)") }
        let s = stored.published
        var context: [String: Any] = [
            "surveyId": id, "title": s.title, "intro": s.intro, "kind": ConsoleText.text("surveyKind.\(s.kind.rawValue)", language),
            "closesAt": ConsoleFormat.time(s.closesAt, language), "anonymous": s.anonymous, "isDealer": visitor.isDealer, "responded": responded,
            "open": stored.isOpen(at: now),
        ]
        if visitor.isDealer {
            context["questions"] = s.questions.map { question -> [String: Any] in
                let scores: [Int] = question.kind == .scale ? Array(1...5) : question.kind == .recommend ? Array(0...10) : []
                return ["questionId": question.questionId, "text": question.text, "kind": question.kind.rawValue, "required": question.required,
                        "single": question.kind == .single, "multiple": question.kind == .multiple, "isText": question.kind == .text,
                        "options": question.options.enumerated().map { ["index": $0.offset, "label": $0.element] },
                        "scores": scores.map { ["score": $0] }, "isRecommend": question.kind == .recommend]
            }
        } else {
            let results = SurveyResults.of(s.questions, responses, by: by, anonymous: s.anonymous)
            context["dimensions"] = SurveyResults.Dimension.allCases.map {
                ["href": "/surveys/\(id)?by=\($0.rawValue)", "label": ConsoleText.text("surveyBy.\($0.rawValue)", language), "current": $0 == by, "value": $0.rawValue]
            }
            context["by"] = by.rawValue
            context["responses"] = responses.count
            context["suppressed"] = results.suppressed
            context["hasSuppressed"] = results.suppressed > 0
            context["groups"] = results.groups.map { group -> [String: Any] in
                ["key": Self.groupLabel(group.key, by, language), "responses": group.responses,
                 "questions": zip(s.questions, group.questions).map { question, summary -> [String: Any] in
                     var row: [String: Any] = ["text": question.text, "answered": summary.answered]
                     row["options"] = question.options.enumerated().map { index, label -> [String: Any] in
                         let count = index < summary.optionCounts.count ? summary.optionCounts[index] : 0
                         return ["label": label, "count": count, "share": summary.answered > 0 ? Int((Double(count) * 100 / Double(summary.answered)).rounded()) : 0]
                     }
                     row["mean"] = summary.mean.map { String(format: "%.2f", $0) } ?? ""
                     row["nps"] = summary.netPromoterScore.map { String(format: "%.1f", $0) } ?? ""
                     row["texts"] = summary.texts.map { ["text": $0] }
                     row["hasTexts"] = !summary.texts.isEmpty
                     row["hasOptions"] = !question.options.isEmpty
                     return row
                 }]
            }
            context["mayClose"] = stored.isOpen(at: now) && (try? MasterDataReach.of(principal)).map { $0.branch == nil || $0.branch == s.branchId } == true
        }
        return Page(template: "survey", title: s.title, context: context)
    }

    static func groupLabel(_ key: String, _ by: SurveyResults.Dimension, _ language: ConsoleLanguage) -> String {
        switch by {
        case .all: ConsoleText.text("allResponses", language)
        case .branch: key
        case .tier: ConsoleText.text("tier.\(key)", language)
        case .productLine: key == "none" ? "—" : ConsoleText.text("line.\(key)", language)
        }
    }
}
