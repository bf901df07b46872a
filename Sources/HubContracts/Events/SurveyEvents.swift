/// What a survey asks about (R6).
public struct SurveyKind: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Satisfaction (满意度调查).
    public static let satisfaction = SurveyKind(rawValue: "satisfaction")
    /// Product demand (产品需求调查).
    public static let productDemand = SurveyKind(rawValue: "product-demand")
    public static let known: [SurveyKind] = [.satisfaction, .productDemand]
}

/// How a question is answered.
public struct QuestionKind: OpenEnumeration {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    /// One of the options.
    public static let single = QuestionKind(rawValue: "single")
    /// Any of the options.
    public static let multiple = QuestionKind(rawValue: "multiple")
    /// 1 (worst) to 5 (best).
    public static let scale = QuestionKind(rawValue: "scale")
    /// 0 to 10: how likely the dealer is to recommend (NPS).
    public static let recommend = QuestionKind(rawValue: "recommend")
    /// Free text.
    public static let text = QuestionKind(rawValue: "text")
    public static let known: [QuestionKind] = [.single, .multiple, .scale, .recommend, .text]
}

/// `survey.published` on `hub.surveys`: a survey to an audience, open from `opensAt` until
/// `closesAt` (or until closed). One response per dealer, or per user when `perUser`. When
/// `anonymous`, no response carries who gave it — not the dealer, not the user — only the branch,
/// tier and product lines its results are grouped by.
public struct SurveyPublished: Sendable, Hashable, Codable {
    public struct Question: Sendable, Hashable, Codable {
        public var questionId: String
        public var kind: QuestionKind
        public var text: String
        /// Single and multiple choice only.
        public var options: [String]
        public var required: Bool

        public init(questionId: String, kind: QuestionKind, text: String, options: [String] = [], required: Bool = true) {
            (self.questionId, self.kind, self.text, self.options, self.required) = (questionId, kind, text, options, required)
        }
    }

    public var surveyId: String
    public var kind: SurveyKind
    public var title: String
    public var intro: String
    public var questions: [Question]
    public var audience: Audience
    public var opensAt: Timestamp
    public var closesAt: Timestamp
    public var perUser: Bool
    public var anonymous: Bool
    public var publishedBy: String
    /// The branch whose staff published it; absent for the company's own.
    public var branchId: String?

    public init(surveyId: String, kind: SurveyKind, title: String, intro: String = "", questions: [Question], audience: Audience, opensAt: Timestamp,
                closesAt: Timestamp, perUser: Bool = false, anonymous: Bool = false, publishedBy: String, branchId: String? = nil) {
        (self.surveyId, self.kind, self.title, self.intro, self.questions, self.audience) = (surveyId, kind, title, intro, questions, audience)
        (self.opensAt, self.closesAt, self.perUser, self.anonymous, self.publishedBy, self.branchId) = (opensAt, closesAt, perUser, anonymous, publishedBy, branchId)
    }
}

/// `survey.closed` on `hub.surveys`: closed before its time; no response counts after it.
public struct SurveyClosed: Sendable, Hashable, Codable {
    public var surveyId: String
    public var closedBy: String

    public init(surveyId: String, closedBy: String) { (self.surveyId, self.closedBy) = (surveyId, closedBy) }
}

/// `survey.responded` on `hub.survey-responses`: one dealer's (or user's) answers. `responseId` is
/// the same for every response of the same respondent to the same survey (a keyed hash the hub
/// makes), so a second response is the same event and counts once — and for an anonymous survey it
/// says nothing of who responded: `dealerId` and `userId` are absent.
public struct SurveyResponded: Sendable, Hashable, Codable {
    public struct Answer: Sendable, Hashable, Codable {
        public var questionId: String
        /// Single and multiple choice: the options chosen, by index from 0.
        public var choices: [Int]?
        /// Scale (1–5) and recommend (0–10).
        public var score: Int?
        public var text: String?

        public init(questionId: String, choices: [Int]? = nil, score: Int? = nil, text: String? = nil) {
            (self.questionId, self.choices, self.score, self.text) = (questionId, choices, score, text)
        }
    }

    public var surveyId: String
    public var responseId: String
    /// Absent when the survey is anonymous.
    public var dealerId: String?
    public var userId: String?
    /// What results are grouped by, taken when the response was given.
    public var branchId: String
    public var tier: DealerTier
    public var productLines: [ProductLine]
    public var answers: [Answer]

    public init(surveyId: String, responseId: String, dealerId: String? = nil, userId: String? = nil, branchId: String, tier: DealerTier,
                productLines: [ProductLine], answers: [Answer]) {
        (self.surveyId, self.responseId, self.dealerId, self.userId) = (surveyId, responseId, dealerId, userId)
        (self.branchId, self.tier, self.productLines, self.answers) = (branchId, tier, productLines, answers)
    }
}
