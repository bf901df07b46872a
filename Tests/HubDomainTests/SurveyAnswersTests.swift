import HubContracts
import HubDomain
import Testing

/// A survey's answers checked against its questions, and its results: counts, means, NPS, texts,
/// grouped, and an anonymous survey's small groups left out.
@Suite("survey answers and results")
struct SurveyAnswersTests {
    typealias A = SurveyResponded.Answer
    let questions: [SurveyPublished.Question] = [
        .init(questionId: "q1", kind: .single, text: "主要客户类型", options: ["车队", "修理厂", "零售"]),
        .init(questionId: "q2", kind: .multiple, text: "希望增加的产品", options: ["全合成", "液压油", "齿轮油"], required: false),
        .init(questionId: "q3", kind: .scale, text: "发货速度"),
        .init(questionId: "q4", kind: .recommend, text: "推荐意愿"),
        .init(questionId: "q5", kind: .text, text: "其他建议", required: false),
    ]

    func valid(_ q1: Int = 0, q3: Int = 4, q4: Int = 9, text: String? = nil) -> [A] {
        [A(questionId: "q1", choices: [q1]), A(questionId: "q3", score: q3), A(questionId: "q4", score: q4)] + (text.map { [A(questionId: "q5", text: $0)] } ?? [])
    }

    @Test("a valid response has no problems; each wrong answer is named by its question")
    func problems() {
        #expect(SurveyAnswers.problems(valid(), to: questions).isEmpty)
        let cases: [([A], String)] = [
            ([A(questionId: "q3", score: 4), A(questionId: "q4", score: 9)], "answers.q1: required"),
            ([A(questionId: "q1", choices: [0, 1]), A(questionId: "q3", score: 4), A(questionId: "q4", score: 9)], "answers.q1: one option only"),
            ([A(questionId: "q1", choices: [3]), A(questionId: "q3", score: 4), A(questionId: "q4", score: 9)], "answers.q1: options are 0 to 2"),
            ([A(questionId: "q1", choices: [0]), A(questionId: "q3", score: 0), A(questionId: "q4", score: 9)], "answers.q3: a score from 1 to 5"),
            ([A(questionId: "q1", choices: [0]), A(questionId: "q3", score: 4), A(questionId: "q4", score: 11)], "answers.q4: a score from 0 to 10"),
            (valid() + [A(questionId: "q9", text: "x")], "answers.q9: no such question"),
            (valid() + [A(questionId: "q2", choices: [1, 1])], "answers.q2: an option chosen twice"),
            (valid() + [A(questionId: "q5", score: 3)], "answers.q5: text, at most 2,000 characters"),
            (valid() + [A(questionId: "q1", choices: [1])], "answers: one answer per question"),
        ]
        for (answers, problem) in cases {
            #expect(SurveyAnswers.problems(answers, to: questions).contains(problem), "\(problem): \(SurveyAnswers.problems(answers, to: questions))")
        }
    }

    func response(_ branch: String, _ tier: DealerTier, _ answers: [A]) -> SurveyResults.Response {
        SurveyResults.Response(branchId: branch, tier: tier, productLines: [.automotivePackaged], answers: answers)
    }

    @Test("results: option counts, score counts and means, the NPS, the texts in order")
    func results() {
        let responses = [response("BR-EAST", .tier1, valid(0, q3: 5, q4: 10, text: "周末配送")), response("BR-EAST", .tier1, valid(1, q3: 3, q4: 6)),
                         response("BR-NORTH", .tier2, valid(0, q3: 4, q4: 8, text: "=HYPERLINK(\"x\")"))]
        let all = SurveyResults.of(questions, responses, by: .all, anonymous: false)
        #expect(all.groups.count == 1 && all.groups[0].responses == 3)
        let q = all.groups[0].questions
        #expect(q[0].optionCounts == [2, 1, 0] && q[1].answered == 0)
        #expect(q[2].scoreCounts == [0, 0, 0, 1, 1, 1] && q[2].mean == 4)
        #expect(q[3].netPromoterScore.map { ($0 * 10).rounded() / 10 } == 0, "one promoter, one passive, one detractor")
        #expect(q[4].texts == ["周末配送", "=HYPERLINK(\"x\")"])
        let byBranch = SurveyResults.of(questions, responses, by: .branch, anonymous: false)
        #expect(byBranch.groups.map(\.key) == ["BR-EAST", "BR-NORTH"] && byBranch.groups.map(\.responses) == [2, 1])
    }

    @Test("an anonymous survey's groups of fewer than three are left out, and counted as left out; the whole is always shown")
    func anonymousGroups() {
        let responses = (0..<3).map { _ in response("BR-EAST", .tier1, valid()) } + [response("BR-NORTH", .tier1, valid())]
        let byBranch = SurveyResults.of(questions, responses, by: .branch, anonymous: true)
        #expect(byBranch.groups.map(\.key) == ["BR-EAST"] && byBranch.suppressed == 1)
        #expect(SurveyResults.of(questions, responses, by: .all, anonymous: true).groups.first?.responses == 4)
        #expect(SurveyResults.of(questions, responses, by: .branch, anonymous: false).groups.count == 2, "a named survey shows every group")
    }
}
