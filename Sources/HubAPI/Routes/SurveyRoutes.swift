import Foundation
import HubContracts
import HubDomain
import HubStore
import Hummingbird

/// Surveys (R6): staff ask dealers about satisfaction or product demand; a dealer (or each of its
/// users) answers once while the survey is open; staff read the results grouped by branch, tier or
/// product line, free-text answers listed, and export them as CSV. An anonymous survey's responses
/// carry no dealer and no user — not in the event, not in the store — so no route can show who gave
/// one; groups of fewer than three responses are left out of its results.
/// - `POST /v1/surveys` — administrators for the company, a branch manager for its branch (the
///   audience stays inside it), on `hub.surveys`.
/// - `GET /v1/surveys` — a dealer: those open that reach it, each with `responded`; staff: those
///   of their reach (as announcements).
/// - `GET /v1/surveys/{id}` — as the list; `POST …/{id}/responses` — a dealer's user, on
///   `hub.survey-responses` (202); `GET …/{id}/response` — 200 once the caller's response is kept,
///   404 until then; `POST …/{id}/close` — who could publish it.
/// - `GET /v1/surveys/{id}/results?by=all|branch|tier|product-line` — staff who see it; CSV with `format=csv`.
enum SurveyRoutes {
    static func add(to router: RouterGroup<APIRequestContext>, _ services: APIServices) {
        router.get("surveys") { _, context in try await list(context, services) }
        router.post("surveys") { request, context in try await publish(request, context, services) }
        router.get("surveys/:surveyId") { _, context in
            let principal = try context.caller()
            let (survey, responded) = try await visible(try MasterDataRoutes.pathId(context, "surveyId"), principal, services)
            return APIResponse.json(.ok, encoding: SurveyJSON(survey, responded: responded, at: services.now(), forDealer: principal.role == .dealer))
        }
        router.post("surveys/:surveyId/responses") { request, context in try await respond(request, context, services) }
        router.get("surveys/:surveyId/response") { _, context in
            // Whether the caller's response has been kept (404 until it is): what a client waits on after the 202.
            let principal = try context.caller()
            guard principal.role == .dealer else { throw APIProblem.forbidden("a dealer's users answer surveys") }
            let id = try MasterDataRoutes.pathId(context, "surveyId")
            let (_, responded) = try await visible(id, principal, services)
            guard responded else { throw APIProblem.notFound("no response of yours to survey \(id) yet") }
            return APIResponse.json(.ok, ["surveyId": id, "responded": true])
        }
        router.post("surveys/:surveyId/close") { _, context in try await close(context, services) }
        router.get("surveys/:surveyId/results") { request, context in
            let (survey, results) = try await results(request, context, services)
            guard request.uri.queryParameters["format"] == "csv" || (request.headers[.accept]?.contains("text/csv") ?? false) else {
                return APIResponse.json(.ok, encoding: ResultsJSON(survey.published, results))
            }
            let name = "\(survey.published.surveyId)-\(results.dimension.rawValue)"
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name).csv\""],
                            body: .init(byteBuffer: ByteBuffer(string: SurveyCSV.text(survey.published, results))))
        }
    }

    // MARK: - Who sees what

    /// The survey the principal sees (`SurveyAccess`), and whether the dealer (or its user) has responded; 404 otherwise.
    static func visible(_ id: String, _ principal: Principal, _ services: APIServices) async throws -> (StoredSurvey, Bool) {
        let now = services.now()
        let found = try await services.database.read { reader throws(StoreError) -> (StoredSurvey, Bool)? in
            guard let survey = try SurveyAccess.visible(id, to: principal, at: now, reader) else { return nil }
            guard principal.role == .dealer, let dealerId = principal.dealerId else { return (survey, false) }
            return (survey, !(try reader.surveys.responded([(id, SurveyAccess.responseId(survey.published, dealerId: dealerId, userId: principal.subject, services))]).isEmpty))
        }
        guard let found else { throw APIProblem.notFound("survey \(id)") }
        return found
    }

    static func list(_ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        guard principal.role == .dealer || principal.role.isStaff else { throw APIProblem.forbidden("surveys are for dealers and staff") }
        let now = services.now()
        let rows = try await services.database.read { reader throws(StoreError) -> [SurveyJSON] in
            if principal.role == .dealer {
                guard let dealerId = principal.dealerId, let member = try reader.announcements.audienceMember(dealerId) else { return [] }
                let open = try reader.surveys.open(at: now).filter { $0.published.audience.reaches(member) }
                let answered = try reader.surveys.responded(open.map { ($0.published.surveyId, SurveyAccess.responseId($0.published, dealerId: dealerId, userId: principal.subject, services)) })
                return open.map { SurveyJSON($0, responded: answered.contains($0.published.surveyId), at: now, forDealer: true) }
            }
            return try reader.surveys.all(branchId: AnnouncementAccess.staffBranch(principal), limit: 200).map { SurveyJSON($0, responded: false, at: now, forDealer: false) }
        }
        return APIResponse.json(.ok, encoding: ["surveys": rows])
    }

    // MARK: - Publishing and closing

    static func publish(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let branch: String?
        do { branch = try AnnouncementRoutes.publisherBranch(principal) } catch { throw APIProblem.forbidden("only administrators and branch managers publish surveys") }
        var fields = RequestFields(try await RequestFields.body(of: request, context: context, limits: AnnouncementRoutes.limits))
        fields.allowOnly(["kind", "title", "intro", "questions", "audience", "opensAt", "closesAt", "perUser", "anonymous"])
        let kind = fields.string("kind", required: true, maxLength: 20).map(SurveyKind.init(rawValue:))
        if let kind, !SurveyKind.known.contains(kind) { fields.fail("kind", "satisfaction or product-demand") }
        let title = fields.string("title", required: true, maxLength: 120)
        let intro = fields.string("intro", maxLength: 2_000) ?? ""
        var questions: [SurveyPublished.Question] = []
        for (index, item) in fields.objects("questions", required: true, count: 1...50).enumerated() {
            var item = item
            item.allowOnly(["kind", "text", "options", "required"])
            let questionKind = item.string("kind", required: true, maxLength: 20).map(QuestionKind.init(rawValue:))
            if let questionKind, !QuestionKind.known.contains(questionKind) { item.fail("kind", "single, multiple, scale, recommend or text") }
            let text = item.string("text", required: true, maxLength: 500)
            let options = item.strings("options", count: 0...20, maxLength: 200) ?? []
            if let questionKind, [.single, .multiple].contains(questionKind), options.count < 2 { item.fail("options", "a choice question offers 2 to 20 options") }
            if let questionKind, ![.single, .multiple].contains(questionKind), !options.isEmpty { item.fail("options", "only a choice question has options") }
            let required = item.boolean("required") ?? true
            fields.absorb(item)
            if let questionKind, let text { questions.append(.init(questionId: "q\(index + 1)", kind: questionKind, text: text, options: options, required: required)) }
        }
        var audience = AnnouncementDraft.audience(&fields)
        let now = services.now()
        let opensAt = fields.timestamp("opensAt") ?? now
        let closesAt = fields.timestamp("closesAt", required: true)
        if let closesAt, closesAt <= opensAt { fields.fail("closesAt", "after opensAt (\(opensAt.text))") }
        if let closesAt, closesAt <= now { fields.fail("closesAt", "in the future") }
        let perUser = fields.boolean("perUser") ?? false
        let anonymous = fields.boolean("anonymous") ?? false
        try fields.check("survey")
        guard let kind, let title, let closesAt else { throw APIProblem.unprocessable("the survey is not complete") }
        if let branch { audience = try await AnnouncementRoutes.confine(audience, to: branch, services) }
        let id = services.identifier("SV")
        let survey = SurveyPublished(surveyId: id, kind: kind, title: title, intro: intro, questions: questions, audience: audience, opensAt: opensAt,
                                     closesAt: closesAt, perUser: perUser, anonymous: anonymous, publishedBy: principal.subject, branchId: branch)
        try await MasterDataRoutes.publishAndWait(.surveyPublished(survey), subject: id, kind: "survey", topic: services.commands.topics.surveys,
                                                  catalogueTopic: TopicName.surveys, services: services)
        let stored = try await services.database.read { reader throws(StoreError) in try reader.surveys.survey(id) }
        guard let stored else { return APIResponse.json(.accepted, ["surveyId": id, "status": "pending"]) }
        return APIResponse.json(.created, encoding: SurveyJSON(stored, responded: false, at: now, forDealer: false))
    }

    static func close(_ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        let id = try MasterDataRoutes.pathId(context, "surveyId")
        let branch: String?
        do { branch = try AnnouncementRoutes.publisherBranch(principal) } catch { throw APIProblem.forbidden("only administrators and branch managers close surveys") }
        let stored = try await services.database.read { reader throws(StoreError) in try reader.surveys.survey(id) }
        guard let stored, branch == nil || stored.published.branchId == branch else { throw APIProblem.notFound("survey \(id)") }
        guard stored.closedAt == nil, stored.published.closesAt > services.now() else { throw APIProblem.conflict("survey \(id) is closed already") }
        try await MasterDataRoutes.publishAndWait(.surveyClosed(SurveyClosed(surveyId: id, closedBy: principal.subject)), subject: id, kind: "survey",
                                                  topic: services.commands.topics.surveys, catalogueTopic: TopicName.surveys, services: services)
        let after = try await services.database.read { reader throws(StoreError) in try reader.surveys.survey(id) }
        guard let after, after.closedAt != nil else { return APIResponse.json(.accepted, ["surveyId": id, "status": "pending"]) }
        return APIResponse.json(.ok, encoding: SurveyJSON(after, responded: false, at: services.now(), forDealer: false))
    }

    // MARK: - Responding

    static func respond(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> Response {
        let principal = try context.caller()
        guard principal.role == .dealer, let dealerId = principal.dealerId else { throw APIProblem.forbidden("a dealer's users answer surveys") }
        let id = try MasterDataRoutes.pathId(context, "surveyId")
        let (stored, responded) = try await visible(id, principal, services)
        let survey = stored.published
        guard !responded else {
            throw APIProblem.conflict(survey.perUser ? "you answered this survey already" : "your dealer answered this survey already (one response per dealer)")
        }
        var fields = RequestFields(try await RequestFields.body(of: request, context: context))
        fields.allowOnly(["answers"])
        var answers: [SurveyResponded.Answer] = []
        for item in fields.objects("answers", required: true, count: 0...50) {
            var item = item
            item.allowOnly(["questionId", "choices", "score", "text"])
            let questionId = item.string("questionId", required: true, maxLength: 20)
            let choices = item.integers("choices", count: 0...20, range: 0...19)
            let score = item.integer("score", range: 0...10)
            let text = item.string("text", maxLength: 2_000)
            fields.absorb(item)
            if let questionId { answers.append(.init(questionId: questionId, choices: choices, score: score, text: text)) }
        }
        try fields.check("response")
        let problems = SurveyAnswers.problems(answers, to: survey.questions)
        guard problems.isEmpty else { throw APIProblem.unprocessable("the response does not answer the survey", issues: problems) }
        let member = try await services.database.read { reader throws(StoreError) in try reader.announcements.audienceMember(dealerId) }
        guard let member else { throw APIProblem.notFound("survey \(id)") }
        let response = SurveyResponded(surveyId: id, responseId: SurveyAccess.responseId(survey, dealerId: dealerId, userId: principal.subject, services),
                                       dealerId: survey.anonymous ? nil : dealerId, userId: survey.anonymous ? nil : principal.subject,
                                       branchId: member.branchId, tier: member.tier, productLines: member.lines.map(\.productLine), answers: answers)
        // The event id is the response id: a second response from the same respondent is the same event.
        let event = CanonicalEvent(id: response.responseId, source: "api", occurredAt: services.now(), subject: id, data: .surveyResponded(response))
        try await services.commands.publish(event, topic: services.commands.topics.surveyResponses, key: id, catalogueTopic: TopicName.surveyResponses)
        return APIResponse.json(.accepted, ["surveyId": id, "responded": true])
    }

    // MARK: - Results

    static func results(_ request: Request, _ context: APIRequestContext, _ services: APIServices) async throws -> (StoredSurvey, SurveyResults) {
        let principal = try context.caller()
        guard principal.role.isStaff else { throw APIProblem.forbidden("staff read a survey's results") }
        let id = try MasterDataRoutes.pathId(context, "surveyId")
        let by = request.uri.queryParameters["by"].map(String.init) ?? "all"
        guard let dimension = SurveyResults.Dimension(rawValue: by) else {
            throw APIProblem.unprocessable("the results' query is not valid", issues: ["by: all, branch, tier or product-line"])
        }
        let (survey, _) = try await visible(id, principal, services)
        let responses = try await services.database.read { reader throws(StoreError) in try reader.surveys.responses(to: id) }
        return (survey, SurveyResults.of(survey.published.questions, responses, by: dimension, anonymous: survey.published.anonymous))
    }

    struct SurveyJSON: Encodable {
        var surveyId: String, kind: String, title: String, intro: String
        var questions: [SurveyPublished.Question]
        var opensAt: String, closesAt: String, open: Bool, closedAt: String?
        var perUser: Bool, anonymous: Bool
        var audience: Audience?, publishedBy: String?, branchId: String?
        var responded: Bool?

        /// A dealer sees neither the audience nor who published it.
        init(_ stored: StoredSurvey, responded: Bool, at now: Timestamp, forDealer: Bool) {
            let s = stored.published
            (surveyId, kind, title, intro, questions) = (s.surveyId, s.kind.rawValue, s.title, s.intro, s.questions)
            (opensAt, closesAt, open, closedAt) = (s.opensAt.text, s.closesAt.text, stored.isOpen(at: now), stored.closedAt?.text)
            (perUser, anonymous) = (s.perUser, s.anonymous)
            (audience, publishedBy, branchId) = forDealer ? (nil, nil, nil) : (s.audience, s.publishedBy, s.branchId)
            self.responded = forDealer ? responded : nil
        }
    }

    struct ResultsJSON: Encodable {
        struct Question: Encodable {
            var questionId: String, answered: Int, optionCounts: [Int]?, scoreCounts: [Int]?, mean: Double?, netPromoterScore: Double?, texts: [String]?
        }
        struct Group: Encodable { var key: String, responses: Int, questions: [Question] }
        var surveyId: String, by: String, anonymous: Bool, suppressedGroups: Int
        var groups: [Group]

        init(_ survey: SurveyPublished, _ results: SurveyResults) {
            (surveyId, by, anonymous, suppressedGroups) = (survey.surveyId, results.dimension.rawValue, survey.anonymous, results.suppressed)
            groups = results.groups.map { group in
                Group(key: group.key, responses: group.responses, questions: group.questions.map {
                    Question(questionId: $0.questionId, answered: $0.answered, optionCounts: $0.optionCounts.isEmpty ? nil : $0.optionCounts,
                             scoreCounts: $0.scoreCounts.isEmpty ? nil : $0.scoreCounts, mean: $0.mean.map { ($0 * 100).rounded() / 100 },
                             netPromoterScore: $0.netPromoterScore.map { ($0 * 10).rounded() / 10 }, texts: $0.texts.isEmpty ? nil : $0.texts)
                })
            }
        }
    }
}

/// A survey's results as CSV (`SpreadsheetCSV`: formula-safe, for spreadsheets), one row per
/// group, question and answer — an option's count, a score's count, the mean, the NPS, each text.
enum SurveyCSV {
    static func text(_ survey: SurveyPublished, _ results: SurveyResults) -> String {
        var rows: [[String]] = []
        for group in results.groups {
            for (question, summary) in zip(survey.questions, group.questions) {
                let head = [group.key, String(group.responses), question.questionId, question.text]
                for (index, option) in question.options.enumerated() where index < summary.optionCounts.count {
                    rows.append(head + [option, String(summary.optionCounts[index])])
                }
                for (score, count) in summary.scoreCounts.enumerated() where count > 0 { rows.append(head + ["score \(score)", String(count)]) }
                if let mean = summary.mean { rows.append(head + ["mean", String(format: "%.2f", mean)]) }
                if let nps = summary.netPromoterScore { rows.append(head + ["NPS", String(format: "%.1f", nps)]) }
                for text in summary.texts { rows.append(head + ["text", text]) }
            }
        }
        return SpreadsheetCSV.document(header: ["group", "responses", "question", "question_text", "answer", "count_or_value"], rows: rows)
    }
}
