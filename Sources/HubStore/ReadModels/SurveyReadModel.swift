public import HubContracts
public import HubDomain

/// Surveys as dealers and staff read them (R6): those open, one survey, whether a respondent has
/// responded, and the responses as results read them — never with who gave them.
public struct SurveyReadModel {
    let db: any SQLDatabase

    /// The surveys open at `now`, newest first; their audiences are matched by the caller.
    public func open(at now: Timestamp) throws(StoreError) -> [StoredSurvey] {
        try db.query("""
            SELECT document, closed_at, closed_by FROM surveys WHERE closed_at IS NULL AND opens_at <= ? AND closes_at > ? ORDER BY opens_at DESC, survey_id
            """, .text(now.text), .text(now.text)).compactMap(StoredSurvey.init(row:))
    }

    /// Every survey, newest first; `branchId` limits them to the company's and that branch's (nil: all).
    public func all(branchId: String?, limit: Int) throws(StoreError) -> [StoredSurvey] {
        let (condition, binds): (String, [SQLValue]) = branchId.map { ("branch_id IS NULL OR branch_id = ?", [.text($0)]) } ?? ("1 = 1", [])
        return try db.query("SELECT document, closed_at, closed_by FROM surveys WHERE \(condition) ORDER BY opens_at DESC, survey_id LIMIT ?",
                            binds + [.integer(Int64(limit))]).compactMap(StoredSurvey.init(row:))
    }

    public func survey(_ surveyId: String) throws(StoreError) -> StoredSurvey? {
        try SurveyTable(db: db).survey(surveyId)
    }

    /// Of these (survey, response id) pairs, the surveys a response with that id was kept for.
    public func responded(_ pairs: [(surveyId: String, responseId: String)]) throws(StoreError) -> Set<String> {
        var answered = Set<String>()
        for pair in pairs where try db.first("SELECT 1 FROM survey_responses WHERE survey_id = ? AND response_id = ?",
                                             .text(pair.surveyId), .text(pair.responseId)) != nil {
            answered.insert(pair.surveyId)
        }
        return answered
    }

    /// The responses to a survey as results read them: what they were grouped by and the answers —
    /// no dealer, no user, whatever the survey.
    public func responses(to surveyId: String) throws(StoreError) -> [SurveyResults.Response] {
        try db.query("SELECT branch_id, tier, product_lines, answers FROM survey_responses WHERE survey_id = ? ORDER BY at, response_id", .text(surveyId)).map {
            SurveyResults.Response(branchId: $0.string(0) ?? "", tier: DealerTier(rawValue: $0.string(1) ?? ""),
                                   productLines: ($0.string(2) ?? "").split(separator: ",").map { ProductLine(rawValue: String($0)) },
                                   answers: StoredJSON.decode([SurveyResponded.Answer].self, $0.string(3)) ?? [])
        }
    }
}
