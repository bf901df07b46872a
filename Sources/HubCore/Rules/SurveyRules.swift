import HubContracts
import HubDomain
import HubStore

/// Surveys (R6): kept as published, closed early by staff, and each respondent's first response
/// counted — while the survey is open, answering its questions (`SurveyAnswers`), from a dealer it
/// reaches. An anonymous survey's response must name no one; a named one must name its dealer.
/// Publishing and closing are audited.
enum SurveyRules {
    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let surveys = context.tables.surveys
        let at = min(context.event.occurredAt, context.now)
        switch context.event.data {
        case .surveyPublished(let survey):
            guard try surveys.survey(survey.surveyId) == nil else { return .applied }  // published once: a survey is not changed under its respondents
            try surveys.publish(survey)
            try audit(context, by: survey.publishedBy, action: "survey.published", survey.surveyId,
                      ["title": survey.title, "questions": String(survey.questions.count), "anonymous": String(survey.anonymous),
                       "audience": EngagementRules.audienceText(survey.audience), "closesAt": survey.closesAt.text], at: at)
            return .applied
        case .surveyClosed(let closed):
            guard let held = try surveys.survey(closed.surveyId) else { return .unknownReference("survey \(closed.surveyId)") }
            guard held.closedAt == nil else { return .applied }
            try surveys.close(closed, at: at)
            try audit(context, by: closed.closedBy, action: "survey.closed", closed.surveyId, ["closedAt": at.text], at: at)
            return .applied
        case .surveyResponded(let response):
            guard let held = try surveys.survey(response.surveyId) else { return .unknownReference("survey \(response.surveyId)") }
            if let refused = try check(response, held, at: at, context) { return refused }
            try surveys.respond(response, at: at)
            return .applied
        default:
            return .notHandled
        }
    }

    private static func check(_ response: SurveyResponded, _ held: StoredSurvey, at: Timestamp, _ context: RuleContext) throws(StoreError) -> ApplyOutcome? {
        let survey = held.published
        guard held.isOpen(at: at) else { return .refused("survey \(survey.surveyId) is not open at \(at.text) (\(survey.opensAt.text) to \(survey.closesAt.text))") }
        if survey.anonymous {
            guard response.dealerId == nil, response.userId == nil else {
                return .refused("survey \(survey.surveyId) is anonymous: a response names no dealer and no user")
            }
        } else {
            guard let dealerId = response.dealerId else { return .refused("survey \(survey.surveyId) is not anonymous: a response names its dealer") }
            guard let member = try context.tables.masterData.audienceMember(dealerId) else { return .unknownReference("dealer \(dealerId)") }
            guard survey.audience.reaches(member) else { return .refused("survey \(survey.surveyId) does not reach dealer \(dealerId)") }
        }
        let problems = SurveyAnswers.problems(response.answers, to: survey.questions)
        guard problems.isEmpty else { return .refused("survey \(survey.surveyId): \(problems.joined(separator: "; "))") }
        return nil
    }

    private static func audit(_ context: RuleContext, by person: String, action: String, _ id: String, _ after: [String: String], at: Timestamp) throws(StoreError) {
        try context.tables.audit.record(ChangeActor(id: person, source: context.event.source, traceParent: context.trace), action: action,
                                        kind: "survey", id: id, before: nil, after: after, at: at, topic: context.topics.audit)
    }
}
