public import HubContracts
public import HubStore

/// Who sees which survey (R6), as the API and the console both ask: a dealer one open that reaches
/// it; staff as announcements — administrators all, staff of a branch the company's and their
/// branch's, other staff the company's. And the response id that makes "once per respondent" hold
/// without the hub keeping who responded to an anonymous survey.
public enum SurveyAccess {
    public static func visible(_ surveyId: String, to principal: Principal, at now: Timestamp, _ reader: StoreReader) throws(StoreError) -> StoredSurvey? {
        guard let survey = try reader.surveys.survey(surveyId) else { return nil }
        if principal.role == .dealer {
            guard let dealerId = principal.dealerId, survey.isOpen(at: now), let member = try reader.announcements.audienceMember(dealerId),
                  survey.published.audience.reaches(member) else { return nil }
            return survey
        }
        guard principal.role.isStaff else { return nil }
        let branch = AnnouncementAccess.staffBranch(principal)
        guard branch == nil || survey.published.branchId == nil || survey.published.branchId == branch else { return nil }
        return survey
    }

    /// The same for every response of one respondent to one survey — the dealer, or its user when
    /// the survey takes one per user — keyed with the hub's secret, so it says nothing of who.
    public static func responseId(_ survey: SurveyPublished, dealerId: String, userId: String, _ services: APIServices) -> String {
        services.identifier("SR", seed: "survey-response|\(survey.surveyId)|" + (survey.perUser ? "user:\(userId)" : "dealer:\(dealerId)"))
    }
}
