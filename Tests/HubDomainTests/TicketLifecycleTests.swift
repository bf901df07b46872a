import Foundation
import HubContracts
import HubDomain
import Testing

/// A dealer's ticket (R6): every move from every status, the reopen window, the response targets,
/// and a counterfeit report's match against the anti-counterfeit system's record.
@Suite("ticket lifecycle")
struct TicketLifecycleTests {
    typealias L = TicketLifecycle
    static let at = Timestamp(parsing: "2026-12-10T00:00:00Z")!
    static func ago(days: Double) -> Timestamp { Timestamp(at.date.addingTimeInterval(-days * 86_400)) }

    /// Each move from each open status, and where it leads (nil: refused).
    @Test("every move from every open status", arguments: [
        (L.Move.assign, ["received": "assigned", "assigned": "assigned", "in-progress": "in-progress", "answered": "answered"]),
        (.write(.staff, answers: false), ["received": "in-progress", "assigned": "in-progress", "in-progress": "in-progress", "answered": "in-progress"]),
        (.write(.staff, answers: true), ["received": "answered", "assigned": "answered", "in-progress": "answered", "answered": "answered"]),
        (.write(.dealer, answers: false), ["received": "received", "assigned": "assigned", "in-progress": "in-progress", "answered": "in-progress"]),
        (.write(.dealer, answers: true), ["received": nil, "assigned": nil, "in-progress": nil, "answered": nil]),
        (.close(.dealer, rating: nil), ["received": "closed", "assigned": "closed", "in-progress": "closed", "answered": "closed"]),
        (.close(.staff, rating: nil), ["received": nil, "assigned": nil, "in-progress": nil, "answered": "closed"]),
        (.close(.staff, rating: 5), ["received": nil, "assigned": nil, "in-progress": nil, "answered": nil]),
        (.reopen, ["received": nil, "assigned": nil, "in-progress": nil, "answered": nil]),
    ] as [(L.Move, [String: String?])])
    func moves(move: L.Move, expected: [String: String?]) {
        for (from, to) in expected {
            let verdict = L.verdict(for: move, L.State(status: TicketStatus(rawValue: from), everAnswered: from == "answered"), at: Self.at)
            switch (verdict, to) {
            case (.apply(let status), let to?): #expect(status.rawValue == to, "\(move) from \(from)")
            case (.refuse, nil): break
            default: Issue.record("\(move) from \(from): \(verdict), expected \(String(describing: to))")
            }
        }
    }

    @Test("a closed ticket moves only by a reopen, within 14 days of closing")
    func closed() {
        let recently = L.State(status: .closed, closedAt: Self.ago(days: 13.9), everAnswered: true)
        #expect(L.verdict(for: .reopen, recently, at: Self.at) == .apply(.inProgress))
        for move in [L.Move.assign, .write(.staff, answers: true), .write(.dealer, answers: false), .close(.dealer, rating: 4)] {
            guard case .refuse(let reason) = L.verdict(for: move, recently, at: Self.at) else { Issue.record("\(move) moved a closed ticket"); continue }
            #expect(reason.contains("reopen"))
        }
        let long = L.State(status: .closed, closedAt: Self.ago(days: 14.1), everAnswered: true)
        guard case .refuse(let reason) = L.verdict(for: .reopen, long, at: Self.at) else { Issue.record("reopened after the window"); return }
        #expect(reason.contains("open a new ticket"))
    }

    @Test("the dealer rates 1 to 5, and only an answered ticket")
    func rating() {
        let answered = L.State(status: .answered, everAnswered: true)
        #expect(L.verdict(for: .close(.dealer, rating: 5), answered, at: Self.at) == .apply(.closed))
        #expect(L.verdict(for: .close(.dealer, rating: 0), answered, at: Self.at) != .apply(.closed))
        #expect(L.verdict(for: .close(.dealer, rating: 6), answered, at: Self.at) != .apply(.closed))
        #expect(L.verdict(for: .close(.dealer, rating: 3), L.State(status: .received), at: Self.at) != .apply(.closed), "nothing to rate yet")
        #expect(L.verdict(for: .close(.dealer, rating: nil), L.State(status: .received), at: Self.at) == .apply(.closed), "withdrawn without a rating")
    }

    @Test("the wait for staff starts when opened, reopened or followed up after an answer, and ends with the answer; complaints are due in a day, suggestions in three")
    func waiting() {
        #expect(L.waiting(after: .write(.staff, answers: true), from: .inProgress) == false)
        #expect(L.waiting(after: .write(.dealer, answers: false), from: .answered) == true)
        #expect(L.waiting(after: .write(.dealer, answers: false), from: .inProgress) == nil, "still waiting since it was opened")
        #expect(L.waiting(after: .reopen, from: .closed) == true)
        #expect(L.waiting(after: .assign, from: .received) == nil)
        #expect(L.isOverdue(.complaint, waitingSince: Self.ago(days: 1.01), at: Self.at))
        #expect(!L.isOverdue(.complaint, waitingSince: Self.ago(days: 0.99), at: Self.at))
        #expect(L.isOverdue(.counterfeitReport, waitingSince: Self.ago(days: 1.01), at: Self.at))
        #expect(!L.isOverdue(.suggestion, waitingSince: Self.ago(days: 2.9), at: Self.at))
        #expect(L.isOverdue(.productDemand, waitingSince: Self.ago(days: 3.1), at: Self.at))
        #expect(!L.isOverdue(.complaint, waitingSince: nil, at: Self.at), "not waiting: never overdue")
    }

    func scan(_ id: String, _ result: ScanResult, soldTo: String? = "D1") -> AuthenticityScanned {
        AuthenticityScanned(scanId: id, code: "C1", result: result, place: Region(province: "江苏"), scannedAt: Self.at, soldToDealerId: soldTo)
    }

    func flag(_ reason: FlagReason, dealer: String? = "D1") -> AuthenticityFlagged {
        AuthenticityFlagged(code: "C1", scanId: "S9", reason: reason, dealerId: dealer, scanRegion: Region(province: "广东"))
    }

    @Test("a counterfeit report's code against the anti-counterfeit system's record")
    func counterfeitMatch() {
        #expect(CounterfeitMatch.of(scans: [], flags: []) == .notScanned)
        #expect(CounterfeitMatch.of(scans: [scan("S1", .counterfeit)], flags: []) == .confirmed)
        #expect(CounterfeitMatch.of(scans: [scan("S1", .genuine)], flags: [flag(.counterfeit)]) == .confirmed, "a flag says fake whatever a scan said")
        #expect(CounterfeitMatch.of(scans: [scan("S1", .unknownCode)], flags: []) == .unknownCode)
        #expect(CounterfeitMatch.of(scans: [scan("S1", .genuine), scan("S2", .unknownCode)], flags: []) == .genuineCode,
                "once genuine, an unknown-code answer elsewhere is a misread")
        #expect(CounterfeitMatch.of(scans: [scan("S1", .genuine)], flags: [flag(.crossRegion, dealer: "D7")]) == .crossRegion(soldTo: "D7"))
        #expect(CounterfeitMatch.of(scans: [scan("S1", .genuine), scan("S2", .alreadyScanned)], flags: []) == .genuineCode)
    }
}
