import Foundation
import HubContracts
import HubCore
import HubDomain
@_spi(SQL) import HubStore
import StoreTestSupport
import Testing

/// Surveys (R6) in the store, on SQLite and PostgreSQL: one response per respondent, only while
/// open, only answering the questions, from a dealer it reaches — and an anonymous survey's
/// responses hold no dealer and no user.
@Suite("surveys in the store")
struct SurveyRulesTests {
    typealias F = CompanyFixture

    func company(_ kind: StoreKind) async throws -> RuleHarness {
        let harness = try RuleHarness(try TestDatabase(kind))
        for event in F.masterData { #expect(try await harness.apply(event, topic: "hub.master") == .applied) }
        return harness
    }

    static func time(_ text: String) -> Timestamp { Timestamp(parsing: text)! }

    func survey(_ id: String, anonymous: Bool, audience: Audience = .everyone) -> CanonicalEvent {
        CanonicalEvent(id: "pub-\(id)", source: "api", occurredAt: Self.time("2026-11-20T00:00:00Z"), subject: id, data: .surveyPublished(SurveyPublished(
            surveyId: id, kind: .satisfaction, title: "满意度", questions: [.init(questionId: "q1", kind: .scale, text: "发货速度")], audience: audience,
            opensAt: Self.time("2026-11-20T00:00:00Z"), closesAt: Self.time("2026-12-20T00:00:00Z"), anonymous: anonymous, publishedBy: "U-ADMIN")))
    }

    func response(_ survey: String, _ responseId: String, dealer: String?, score: Int = 4, at: String = "2026-11-21T00:00:00Z") -> CanonicalEvent {
        CanonicalEvent(id: responseId, source: "api", occurredAt: Self.time(at), subject: survey, data: .surveyResponded(SurveyResponded(
            surveyId: survey, responseId: responseId, dealerId: dealer, userId: dealer.map { "U-\($0)" }, branchId: "BR-EAST", tier: .tier1,
            productLines: [.automotivePackaged], answers: [.init(questionId: "q1", score: score)])))
    }

    @Test("an anonymous survey keeps responses with no dealer and no user; one naming someone is refused", arguments: StoreKind.allCases)
    func anonymous(kind: StoreKind) async throws {
        let harness = try await company(kind)
        #expect(try await harness.apply(survey("SV-A", anonymous: true), topic: "hub.surveys") == .applied)
        #expect(try await harness.apply(response("SV-A", "SR-1", dealer: nil), topic: "hub.survey-responses") == .applied)
        guard case .refused(let reason) = try await harness.apply(response("SV-A", "SR-2", dealer: "D1"), topic: "hub.survey-responses") else {
            Issue.record("a named response to an anonymous survey was kept"); return
        }
        #expect(reason.contains("anonymous"))
        let rows = try harness.rows("SELECT dealer_id, user_id FROM survey_responses WHERE survey_id = 'SV-A'")
        #expect(rows.count == 1 && rows[0].isNull(0) && rows[0].isNull(1))
        let audited = try harness.rows("SELECT action FROM audit_log WHERE subject_kind = 'survey'").compactMap { $0.string(0) }
        #expect(audited == ["survey.published"])
    }

    @Test("one response per respondent; not after it closes; not outside its audience; not with wrong answers", arguments: StoreKind.allCases)
    func refusals(kind: StoreKind) async throws {
        let harness = try await company(kind)
        #expect(try await harness.apply(survey("SV-N", anonymous: false, audience: Audience(tiers: [.tier1])), topic: "hub.surveys") == .applied)
        #expect(try await harness.apply(response("SV-N", "SR-D1", dealer: "D1", score: 5), topic: "hub.survey-responses") == .applied)
        // The same respondent's second response is the same response id: kept once, the first answer stands.
        #expect(try await harness.apply(response("SV-N", "SR-D1", dealer: "D1", score: 1, at: "2026-11-22T00:00:00Z").renamed("SR-D1-again"),
                                        topic: "hub.survey-responses") == .applied)
        let kept = try harness.rows("SELECT answers FROM survey_responses WHERE survey_id = 'SV-N'")
        #expect(kept.count == 1 && kept[0].string(0)?.contains("\"score\":5") == true)
        guard case .refused = try await harness.apply(response("SV-N", "SR-D2", dealer: "D2"), topic: "hub.survey-responses") else {
            Issue.record("a tier-2 dealer answered a tier-1 survey"); return
        }
        guard case .refused = try await harness.apply(response("SV-N", "SR-BAD", dealer: "D1", score: 9).renamed("bad"), topic: "hub.survey-responses") else {
            Issue.record("a score of 9 on a 1–5 scale was kept"); return
        }
        let closed = CanonicalEvent(id: "close", source: "api", occurredAt: Self.time("2026-11-23T00:00:00Z"), subject: "SV-N",
                                    data: .surveyClosed(SurveyClosed(surveyId: "SV-N", closedBy: "U-ADMIN")))
        #expect(try await harness.apply(closed, topic: "hub.surveys") == .applied)
        guard case .refused(let why) = try await harness.apply(response("SV-N", "SR-LATE", dealer: "D1", at: "2026-11-24T00:00:00Z"), topic: "hub.survey-responses") else {
            Issue.record("a response after the close was kept"); return
        }
        #expect(why.contains("not open"))
        #expect(try await harness.apply(response("SV-X", "SR-X", dealer: "D1"), topic: "hub.survey-responses") == .unknownReference("survey SV-X"))
    }
}

private extension CanonicalEvent {
    /// The same event under another id (a retry the API made anew).
    func renamed(_ id: String) -> CanonicalEvent {
        CanonicalEvent(id: id, source: source, occurredAt: occurredAt, subject: subject, data: data)
    }
}
