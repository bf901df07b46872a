public import HubContracts

/// Surveys (R6) as published, and their responses. An anonymous survey's responses are kept
/// without dealer or user: the event carries neither, and nothing here could add them.
public struct SurveyTable {
    let db: any SQLDatabase

    /// A survey as the hub holds it, and when it was closed early; nil when unknown.
    public func survey(_ surveyId: String) throws(StoreError) -> StoredSurvey? {
        try db.first("SELECT document, closed_at, closed_by FROM surveys WHERE survey_id = ?", .text(surveyId)).flatMap(StoredSurvey.init(row:))
    }

    /// Keeps a survey as published (a second publication of the same id is applied as nothing by the rules).
    public func publish(_ survey: SurveyPublished) throws(StoreError) {
        try db.execute("""
            INSERT INTO surveys (survey_id, kind, title, opens_at, closes_at, anonymous, branch_id, published_by, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, .text(survey.surveyId), .text(survey.kind.rawValue), .text(survey.title), .text(survey.opensAt.text), .text(survey.closesAt.text),
            .integer(survey.anonymous ? 1 : 0), SQLValue(survey.branchId), .text(survey.publishedBy), .text(StoredJSON.encode(survey)))
    }

    public func close(_ closed: SurveyClosed, at: Timestamp) throws(StoreError) {
        try db.execute("UPDATE surveys SET closed_at = ?, closed_by = ? WHERE survey_id = ? AND closed_at IS NULL",
                       .text(at.text), .text(closed.closedBy), .text(closed.surveyId))
    }

    /// Keeps a response unless the respondent had responded; whether it was its first.
    @discardableResult
    public func respond(_ response: SurveyResponded, at: Timestamp) throws(StoreError) -> Bool {
        try db.execute("""
            INSERT INTO survey_responses (survey_id, response_id, dealer_id, user_id, branch_id, tier, product_lines, answers, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """, .text(response.surveyId), .text(response.responseId), SQLValue(response.dealerId), SQLValue(response.userId), .text(response.branchId),
            .text(response.tier.rawValue), .text(response.productLines.map(\.rawValue).joined(separator: ",")), .text(StoredJSON.encode(response.answers)),
            .text(at.text)) > 0
    }
}

/// A survey as last published, and its early close if it was closed.
public struct StoredSurvey: Sendable, Equatable {
    public var published: SurveyPublished
    public var closedAt: Timestamp?
    public var closedBy: String?

    init?(row: SQLRow) {
        guard let published = StoredJSON.decode(SurveyPublished.self, row.string(0)) else { return nil }
        (self.published, self.closedAt, self.closedBy) = (published, row.string(1).flatMap(Timestamp.init(parsing:)), row.string(2))
    }

    /// Whether responses count at `moment`: opened, not past its close, not closed early.
    public func isOpen(at moment: Timestamp) -> Bool {
        published.opensAt <= moment && moment < published.closesAt && (closedAt.map { moment < $0 } ?? true)
    }
}
