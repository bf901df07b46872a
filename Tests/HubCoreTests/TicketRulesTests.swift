import Foundation
import HubContracts
import HubCore
import HubDomain
@_spi(SQL) import HubStore
import StoreTestSupport
import Testing

/// Dealers' tickets (R6) in the store, on SQLite and PostgreSQL: the workflow with its audit, a
/// refused move dead-lettered with its reason, reopening within the window, overdue counts, the
/// figures by branch, and a counterfeit report matched against the anti-counterfeit system.
@Suite("tickets in the store")
struct TicketRulesTests {
    typealias F = CompanyFixture

    func company(_ kind: StoreKind) async throws -> RuleHarness {
        let harness = try RuleHarness(try TestDatabase(kind))
        for event in F.masterData { #expect(try await harness.apply(event, topic: "hub.master") == .applied) }
        return harness
    }

    static func time(_ text: String) -> Timestamp { Timestamp(parsing: text)! }

    func event(_ id: String, _ ticketId: String, at: String, _ data: EventData) -> CanonicalEvent {
        CanonicalEvent(id: id, source: "lubehub-api", occurredAt: Self.time(at), subject: ticketId, data: data)
    }

    func open(_ ticketId: String, kind: TicketKind = .complaint, dealer: String = "D1", at: String = "2026-11-20T01:00:00Z",
              code: String? = nil) -> CanonicalEvent {
        event("open-\(ticketId)", ticketId, at: at, .ticketOpened(TicketOpened(
            ticketId: ticketId, dealerId: dealer, kind: kind, subject: "到货漏油", body: "三箱外包装破损。", materialId: "M1",
            counterfeit: code.map { CounterfeitReport(code: $0, boughtAt: Region(province: "江苏", city: "苏州")) }, openedBy: "U-\(dealer)")))
    }

    func summary(_ harness: RuleHarness, _ id: String) async throws -> TicketReadModel.Summary? {
        try await harness.store.read { reader throws(StoreError) in try reader.tickets.ticket(id, in: .dealers(.everyone))?.summary }
    }

    @Test("received → assigned → in progress → answered → closed with a rating → reopened; each move audited; the thread in order", arguments: StoreKind.allCases)
    func workflow(kind: StoreKind) async throws {
        let harness = try await company(kind)
        #expect(try await harness.apply(open("TK1"), topic: "hub.tickets") == .applied)
        var held = try await summary(harness, "TK1")
        #expect(held?.status == .received && held?.branchId == "BR-EAST" && held?.productLine == .automotivePackaged, "routed to the dealer's branch and the material's line")
        #expect(held?.waitingSince?.text == "2026-11-20T01:00:00Z")

        let steps: [(String, String, EventData, TicketStatus)] = [
            ("as", "2026-11-20T02:00:00Z", .ticketAssigned(TicketAssigned(ticketId: "TK1", assignee: "U-BM-EAST", assignedBy: "U-BM-EAST")), .assigned),
            ("w1", "2026-11-20T03:00:00Z", .ticketReplied(TicketReplied(ticketId: "TK1", messageId: "M-1", by: "U-BM-EAST", party: .staff, body: "已联系物流核实。")), .inProgress),
            ("an", "2026-11-20T05:00:00Z", .ticketReplied(TicketReplied(ticketId: "TK1", messageId: "M-2", by: "U-BM-EAST", party: .staff, body: "已安排补发三箱。", answers: true)), .answered),
            ("d1", "2026-11-20T06:00:00Z", .ticketReplied(TicketReplied(ticketId: "TK1", messageId: "M-3", by: "U-D1", party: .dealer, body: "补发何时到？")), .inProgress),
            ("a2", "2026-11-20T07:00:00Z", .ticketReplied(TicketReplied(ticketId: "TK1", messageId: "M-4", by: "U-BM-EAST", party: .staff, body: "明天上午。", answers: true)), .answered),
            ("cl", "2026-11-21T01:00:00Z", .ticketClosed(TicketClosed(ticketId: "TK1", by: "U-D1", party: .dealer, rating: 4, comment: "满意")), .closed),
        ]
        for (id, at, data, status) in steps {
            #expect(try await harness.apply(event(id, "TK1", at: at, data), topic: "hub.tickets") == .applied, "\(id)")
            #expect(try await summary(harness, "TK1")?.status == status, "\(id)")
        }
        held = try await summary(harness, "TK1")
        #expect(held?.firstAnsweredAt?.text == "2026-11-20T05:00:00Z", "the first answer counts for the response time")
        #expect(held?.rating == 4 && held?.waitingSince == nil && held?.assignee == "U-BM-EAST")

        let reopen = event("ro", "TK1", at: "2026-11-25T01:00:00Z", .ticketReopened(TicketReopened(ticketId: "TK1", by: "U-D1", reason: "补发的也漏油。")))
        #expect(try await harness.apply(reopen, topic: "hub.tickets") == .applied)
        held = try await summary(harness, "TK1")
        #expect(held?.status == .inProgress && held?.rating == nil && held?.reopened == 1 && held?.waitingSince?.text == "2026-11-25T01:00:00Z",
                "reopened: waiting again, its rating no longer counts")
        let thread = try await harness.store.read { reader throws(StoreError) in try reader.tickets.ticket("TK1", in: .dealers(.dealer("D1")))?.messages }
        #expect(thread?.map(\.messageId) == ["M-1", "M-2", "M-3", "M-4", "ro"])
        #expect(thread?.map(\.party) == [.staff, .staff, .dealer, .staff, .dealer])
        let audited = try harness.rows("SELECT action FROM audit_log WHERE subject_kind = 'ticket' AND subject_id = 'TK1' ORDER BY seq").compactMap { $0.string(0) }
        #expect(audited == ["ticket.opened", "ticket.assigned", "ticket.replied", "ticket.answered", "ticket.replied", "ticket.answered", "ticket.closed", "ticket.reopened"])
        #expect(try await harness.store.read { reader throws(StoreError) in try reader.tickets.ticket("TK1", in: .dealers(.dealer("D2"))) } == nil,
                "another dealer's ticket is not found")
    }

    @Test("a move the lifecycle refuses is refused with its reason; a move on a ticket not known yet waits; a dealer not known waits", arguments: StoreKind.allCases)
    func refusals(kind: StoreKind) async throws {
        let harness = try await company(kind)
        let early = event("e1", "TK2", at: "2026-11-20T02:00:00Z", .ticketAssigned(TicketAssigned(ticketId: "TK2", assignee: "U-X", assignedBy: "U-X")))
        #expect(try await harness.apply(early, topic: "hub.tickets") == .unknownReference("ticket TK2"))
        #expect(try await harness.apply(open("TK-NOBODY", dealer: "D404"), topic: "hub.tickets") == .unknownReference("dealer D404"))
        #expect(try await harness.apply(open("TK2"), topic: "hub.tickets") == .applied)
        let staffClose = event("c1", "TK2", at: "2026-11-20T03:00:00Z", .ticketClosed(TicketClosed(ticketId: "TK2", by: "U-BM-EAST", party: .staff)))
        guard case .refused(let reason) = try await harness.apply(staffClose, topic: "hub.tickets") else { Issue.record("staff closed an unanswered ticket"); return }
        #expect(reason.contains("answer it first"))
        let close = event("c2", "TK2", at: "2026-11-20T04:00:00Z", .ticketClosed(TicketClosed(ticketId: "TK2", by: "U-D1", party: .dealer)))
        #expect(try await harness.apply(close, topic: "hub.tickets") == .applied)
        let late = event("r1", "TK2", at: "2026-12-05T04:00:00Z", .ticketReopened(TicketReopened(ticketId: "TK2", by: "U-D1", reason: "again")))
        // The harness's clock stands at 2026-11-29: a time ahead of it counts as then (within the window).
        #expect(try await harness.apply(late, topic: "hub.tickets") == .applied)
        let closeAgain = event("c3", "TK2", at: "2026-11-21T04:00:00Z", .ticketClosed(TicketClosed(ticketId: "TK2", by: "U-D1", party: .dealer)))
        #expect(try await harness.apply(closeAgain, topic: "hub.tickets") == .applied)
        let afterWindow = try RuleHarness(harness.database, now: Date(timeIntervalSince1970: 1_795_910_400 + 30 * 86_400))
        let tooLate = event("r2", "TK2", at: "2026-12-29T00:00:00Z", .ticketReopened(TicketReopened(ticketId: "TK2", by: "U-D1", reason: "again")))
        guard case .refused(let why) = try await afterWindow.apply(tooLate, topic: "hub.tickets") else { Issue.record("reopened after the window"); return }
        #expect(why.contains("open a new ticket"))
    }

    @Test("overdue by kind, counts by status, and the figures by branch", arguments: StoreKind.allCases)
    func overdue(kind: StoreKind) async throws {
        let harness = try await company(kind)
        #expect(try await harness.apply(open("TK-C", kind: .complaint, at: "2026-11-27T00:00:00Z"), topic: "hub.tickets") == .applied)
        #expect(try await harness.apply(open("TK-S", kind: .suggestion, at: "2026-11-27T00:00:00Z"), topic: "hub.tickets") == .applied)
        #expect(try await harness.apply(open("TK-A", kind: .complaint, at: "2026-11-27T00:00:00Z"), topic: "hub.tickets") == .applied)
        let answer = event("an", "TK-A", at: "2026-11-27T06:00:00Z",
                           .ticketReplied(TicketReplied(ticketId: "TK-A", messageId: "M", by: "U-BM-EAST", party: .staff, body: "已处理。", answers: true)))
        #expect(try await harness.apply(answer, topic: "hub.tickets") == .applied)
        let now = Self.time("2026-11-28T12:00:00Z")  // 36 hours on: past a complaint's day, within a suggestion's three
        let (counts, late, overdueIds, figures) = try await harness.store.read { reader throws(StoreError) in
            let counts = try reader.tickets.counts(.dealers(.branch("BR-EAST")), at: now)
            let overdue = try reader.tickets.list(.dealers(.everyone), .init(overdueAt: now), after: nil, limit: 10).map(\.ticketId)
            let figures = try reader.tickets.figures(.dealers(.everyone), from: Self.time("2026-11-01T00:00:00Z"), to: Self.time("2026-12-01T00:00:00Z"), at: now)
            return (counts.byStatus, counts.overdue, overdue, figures)
        }
        #expect(counts == [.received: 2, .answered: 1] && late == 1)
        #expect(overdueIds == ["TK-C"])
        #expect(figures.count == 1 && figures[0].branchId == "BR-EAST" && figures[0].opened == 3 && figures[0].answered == 1
                && figures[0].meanFirstResponseHours == 6 && figures[0].overdue == 1)
        let north = try await harness.store.read { reader throws(StoreError) in try reader.tickets.counts(.dealers(.branch("BR-NORTH")), at: now) }
        #expect(north.byStatus.isEmpty && north.overdue == 0, "another branch counts none of them")
        let line = try await harness.store.read { reader throws(StoreError) in
            (try reader.tickets.list(.productLines(["automotive-packaged"]), .init(), after: nil, limit: 10).count,
             try reader.tickets.list(.productLines(["bulk"]), .init(), after: nil, limit: 10).count)
        }
        #expect(line == (3, 0), "a product-line manager sees its line's product matters")
    }

    @Test("a counterfeit report is matched against the scans and flags of its code, including those that arrive after it", arguments: StoreKind.allCases)
    func counterfeit(kind: StoreKind) async throws {
        let harness = try await company(kind)
        #expect(try await harness.apply(open("TK-F", kind: .counterfeitReport, code: "9F0C11AA5E2D7730"), topic: "hub.tickets") == .applied)
        func match() async throws -> CounterfeitMatch {
            let evidence = try await harness.store.read { reader throws(StoreError) in try reader.tickets.authenticity(of: "9F0C11AA5E2D7730") }
            return CounterfeitMatch.of(scans: evidence.scans, flags: evidence.flags)
        }
        #expect(try await match() == .notScanned)
        let scan = AuthenticityScanned(scanId: "SCAN-1", code: "9F0C11AA5E2D7730", result: .counterfeit, place: Region(province: "江苏", city: "苏州"),
                                       scannedAt: Self.time("2026-11-18T00:00:00Z"))
        let flag = AuthenticityFlagged(code: "9F0C11AA5E2D7730", scanId: "SCAN-1", reason: .counterfeit, scanRegion: Region(province: "江苏", city: "苏州"))
        #expect(try await harness.apply(F.event("sc1", scan.code, .authenticityScanned(scan)), topic: "hub.authenticity") == .applied)
        #expect(try await harness.apply(F.event("fl1", flag.code, .authenticityFlagged(flag)), topic: "hub.authenticity") == .applied)
        #expect(try await harness.apply(F.event("sc1-again", scan.code, .authenticityScanned(scan)), topic: "hub.authenticity") == .applied, "a repeat is kept once")
        let evidence = try await harness.store.read { reader throws(StoreError) in try reader.tickets.authenticity(of: "9F0C11AA5E2D7730") }
        #expect(evidence.scans.map(\.scanId) == ["SCAN-1"] && evidence.flags.count == 1)
        #expect(try await match() == .confirmed)
        #expect(try await summary(harness, "TK-F")?.counterfeitCode == "9F0C11AA5E2D7730")
    }
}
