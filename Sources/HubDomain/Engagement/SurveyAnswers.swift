public import HubContracts
import Foundation

/// A survey's answers checked against its questions (R6), and its results worked out from the
/// responses — the same for the API (422 naming the question), the core (a refused response is
/// dead-lettered) and the results staff read.
public enum SurveyAnswers {
    /// What is wrong with `answers` to `questions`, one line per problem naming the question; empty
    /// when they are a valid response.
    public static func problems(_ answers: [SurveyResponded.Answer], to questions: [SurveyPublished.Question]) -> [String] {
        var problems: [String] = []
        let byId = Dictionary(answers.map { ($0.questionId, $0) }, uniquingKeysWith: { first, _ in first })
        if byId.count != answers.count { problems.append("answers: one answer per question") }
        let known = Set(questions.map(\.questionId))
        for answer in answers where !known.contains(answer.questionId) { problems.append("answers.\(answer.questionId): no such question") }
        for question in questions {
            let name = "answers.\(question.questionId)"
            guard let answer = byId[question.questionId], !isEmpty(answer) else {
                if question.required { problems.append("\(name): required") }
                continue
            }
            switch question.kind {
            case .single, .multiple:
                let choices = answer.choices ?? []
                if choices.isEmpty { problems.append("\(name): choose \(question.kind == .single ? "one option" : "one or more options")") }
                if question.kind == .single, choices.count > 1 { problems.append("\(name): one option only") }
                if Set(choices).count != choices.count { problems.append("\(name): an option chosen twice") }
                if choices.contains(where: { !question.options.indices.contains($0) }) { problems.append("\(name): options are 0 to \(question.options.count - 1)") }
                if answer.score != nil || answer.text != nil { problems.append("\(name): a choice question takes choices only") }
            case .scale, .recommend:
                let range = question.kind == .scale ? 1...5 : 0...10
                guard let score = answer.score, range.contains(score) else { problems.append("\(name): a score from \(range.lowerBound) to \(range.upperBound)"); continue }
                if answer.choices != nil || answer.text != nil { problems.append("\(name): a score question takes a score only") }
            case .text:
                guard let text = answer.text, text.count <= 2_000 else { problems.append("\(name): text, at most 2,000 characters"); continue }
                if answer.choices != nil || answer.score != nil { problems.append("\(name): a text question takes text only") }
            default:
                problems.append("\(name): this question's kind (\(question.kind.rawValue)) is not known to this hub")
            }
        }
        return problems
    }

    static func isEmpty(_ answer: SurveyResponded.Answer) -> Bool {
        (answer.choices ?? []).isEmpty && answer.score == nil && (answer.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
}

/// A survey's results: per question, what the responses in one group said.
public struct SurveyResults: Sendable, Equatable {
    /// What results are grouped by.
    public enum Dimension: String, Sendable, CaseIterable {
        case all, branch, tier, productLine = "product-line"
    }

    /// One response as results read it (who gave it is never part of it).
    public struct Response: Sendable, Equatable {
        public var branchId: String
        public var tier: DealerTier
        public var productLines: [ProductLine]
        public var answers: [SurveyResponded.Answer]
        public init(branchId: String, tier: DealerTier, productLines: [ProductLine], answers: [SurveyResponded.Answer]) {
            (self.branchId, self.tier, self.productLines, self.answers) = (branchId, tier, productLines, answers)
        }
    }

    public struct Question: Sendable, Equatable {
        public var questionId: String
        public var answered: Int
        /// Choice questions: how many chose each option, by index.
        public var optionCounts: [Int]
        /// Scale and recommend: how many gave each score (index = score).
        public var scoreCounts: [Int]
        public var mean: Double?
        /// Recommend: % promoters (9–10) − % detractors (0–6).
        public var netPromoterScore: Double?
        /// Text: the answers, in the order given.
        public var texts: [String]
    }

    public struct Group: Sendable, Equatable {
        /// `all`, a branch id, a tier or a product line.
        public var key: String
        public var responses: Int
        public var questions: [Question]
    }

    public var dimension: Dimension
    public var groups: [Group]
    /// Groups left out because too few responded to keep an anonymous survey anonymous.
    public var suppressed: Int

    /// The fewest responses an anonymous survey's group may show: below it, a branch's one or two
    /// respondents could be told apart.
    public static let anonymousMinimum = 3

    public static func of(_ questions: [SurveyPublished.Question], _ responses: [Response], by dimension: Dimension, anonymous: Bool) -> SurveyResults {
        var grouped: [String: [Response]] = [:]
        for response in responses {
            let keys: [String] = switch dimension {
            case .all: ["all"]
            case .branch: [response.branchId]
            case .tier: [response.tier.rawValue]
            case .productLine: response.productLines.isEmpty ? ["none"] : response.productLines.map(\.rawValue)
            }
            for key in keys { grouped[key, default: []].append(response) }
        }
        var suppressed = 0
        var groups: [Group] = []
        for (key, members) in grouped.sorted(by: { $0.key < $1.key }) {
            if anonymous, dimension != .all, members.count < anonymousMinimum { suppressed += 1; continue }
            groups.append(Group(key: key, responses: members.count, questions: questions.map { summary(of: $0, in: members) }))
        }
        return SurveyResults(dimension: dimension, groups: groups, suppressed: suppressed)
    }

    static func summary(of question: SurveyPublished.Question, in responses: [Response]) -> Question {
        let answers = responses.compactMap { response in response.answers.first { $0.questionId == question.questionId } }.filter { !SurveyAnswers.isEmpty($0) }
        var result = Question(questionId: question.questionId, answered: answers.count, optionCounts: [], scoreCounts: [], mean: nil, netPromoterScore: nil, texts: [])
        switch question.kind {
        case .single, .multiple:
            result.optionCounts = question.options.indices.map { index in answers.filter { ($0.choices ?? []).contains(index) }.count }
        case .scale, .recommend:
            let top = question.kind == .scale ? 5 : 10
            let scores = answers.compactMap(\.score).filter { (0...top).contains($0) }
            result.scoreCounts = (0...top).map { score in scores.filter { $0 == score }.count }
            if !scores.isEmpty {
                result.mean = Double(scores.reduce(0, +)) / Double(scores.count)
                if question.kind == .recommend {
                    let promoters = scores.filter { $0 >= 9 }.count, detractors = scores.filter { $0 <= 6 }.count
                    result.netPromoterScore = (Double(promoters) - Double(detractors)) * 100 / Double(scores.count)
                }
            }
        default:
            result.texts = answers.compactMap(\.text)
        }
        return result
    }
}
