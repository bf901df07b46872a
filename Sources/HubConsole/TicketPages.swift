import Foundation
import HubAPI
import HubContracts
import HubDomain
import HubStore
import Hummingbird

/// Tickets (R6) in the console: a dealer's own, with a form to open one (a counterfeit report asks
/// for the code on the package); staff's queue by status with the overdue marked and counted; the
/// ticket itself with its thread, a form to write (staff may mark it the answer), and the moves the
/// visitor may make — take it, close it (the dealer rating the answer), reopen it. For staff, a
/// counterfeit report shows what the anti-counterfeit system said of its code. Every text a dealer
/// or staff wrote is written escaped, as text.
extension Console {
    /// `/tickets`: `status`, `kind` and `overdue=true` narrow the list.
    func ticketList(_ request: Request, _ visitor: ConsoleVisitor) async throws -> Page {
        let principal = visitor.principal
        guard let scope = TicketAccess.scope(of: principal) else { throw APIProblem.forbidden("tickets are for dealers and staff") }
        let language = visitor.language
        let query = request.uri.queryParameters
        var filter = TicketReadModel.Filter()
        let status = query["status"].map { TicketStatus(rawValue: String($0)) }.flatMap { TicketStatus.known.contains($0) ? $0 : nil }
        if let status { filter.statuses = [status] }
        filter.kind = query["kind"].map { TicketKind(rawValue: String($0)) }.flatMap { TicketKind.known.contains($0) ? $0 : nil }
        let now = Timestamp(Date())
        let overdueOnly = query["overdue"] == "true"
        if overdueOnly { filter.overdueAt = now }
        let asked = filter
        let (rows, counts) = try await services.database.read { reader throws(StoreError) in
            (try reader.tickets.list(scope, asked, after: nil, limit: 200), try reader.tickets.counts(scope, at: now))
        }
        let tabs: [[String: Any]] = [["href": "/tickets", "label": ConsoleText.text("allTickets", language), "count": counts.byStatus.values.reduce(0, +),
                                      "current": status == nil && !overdueOnly]]
            + TicketStatus.known.map { s in
                ["href": "/tickets?status=\(s.rawValue)", "label": ConsoleText.text("ticketStatus.\(s.rawValue)", language), "count": counts.byStatus[s] ?? 0,
                 "current": s == status]
            }
            + [["href": "/tickets?overdue=true", "label": ConsoleText.text("overdue", language), "count": counts.overdue, "current": overdueOnly, "warn": counts.overdue > 0]]
        return Page(template: "tickets", title: ConsoleText.text("tickets", language), context: [
            "tickets": rows.map { Self.ticketRow($0, now, language) }, "empty": rows.isEmpty, "isDealer": visitor.isDealer, "tabs": tabs,
            "mayOpen": visitor.isDealer,
        ])
    }

    static func ticketRow(_ t: TicketReadModel.Summary, _ now: Timestamp, _ language: ConsoleLanguage) -> [String: Any] {
        ["ticketId": t.ticketId, "subject": t.subject, "kind": ConsoleText.text("ticketKind.\(t.kind.rawValue)", language),
         "status": ConsoleText.text("ticketStatus.\(t.status.rawValue)", language), "statusCode": t.status.rawValue,
         "dealer": t.dealerName.map { "\($0) (\(t.dealerId))" } ?? t.dealerId, "branch": t.branchId ?? "—",
         "openedAt": ConsoleFormat.time(t.openedAt, language), "assignee": t.assignee ?? "—",
         "overdue": TicketLifecycle.isOverdue(t.kind, waitingSince: t.waitingSince, at: now),
         "rating": t.rating.map { String(repeating: "★", count: $0) } ?? ""]
    }

    /// `/tickets/new`: a dealer's form; it opens the ticket through `POST /v1/tickets`.
    func ticketForm(_ visitor: ConsoleVisitor) throws -> Page {
        guard visitor.isDealer else { throw APIProblem.forbidden("a dealer's users open tickets here; staff take one by phone through the API") }
        let language = visitor.language
        return Page(template: "ticket-form", title: ConsoleText.text("newTicket", language), context: [
            "kinds": TicketKind.known.map { ["value": $0.rawValue, "label": ConsoleText.text("ticketKind.\($0.rawValue)", language)] },
            "lines": ProductLine.known.map { ["value": $0.rawValue, "label": ConsoleText.text("line.\($0.rawValue)", language)] },
        ])
    }

    /// `/tickets/{id}`: 404 outside the visitor's scope, as in the API.
    func ticketPage(_ id: String, _ visitor: ConsoleVisitor) async throws -> Page {
        let principal = visitor.principal
        guard TicketAccess.scope(of: principal) != nil else { throw APIProblem.forbidden("tickets are for dealers and staff") }
        guard RequestFields.isIdentifier(id) else { throw APIProblem.notFound("ticket") }
        let language = visitor.language
        let view = try await services.database.read { reader throws(StoreError) in try TicketAccess.ticket(id, for: principal, reader) }
        guard let view else { throw APIProblem.notFound("ticket \(id)") }
        let now = Timestamp(Date())
        let t = view.summary
        let party: TicketParty = visitor.isDealer ? .dealer : .staff
        func may(_ move: TicketLifecycle.Move) -> Bool {
            if case .apply = TicketLifecycle.verdict(for: move, view.state, at: now) { return true }
            return false
        }
        var context = Self.ticketRow(t, now, language)
        context["body"] = view.opened.body
        context["assignee"] = t.assignee.map(view.name) ?? "—"
        context["isDealer"] = visitor.isDealer
        context["productLine"] = t.productLine.map { ConsoleText.text("line.\($0.rawValue)", language) } ?? "—"
        context["materialId"] = view.opened.materialId ?? "—"
        context["orderId"] = view.opened.orderId ?? ""
        context["dueBy"] = t.waitingSince.map { ConsoleFormat.time(Timestamp($0.date.addingTimeInterval(TicketLifecycle.responseTarget(t.kind))), language) } ?? ""
        context["firstAnswered"] = t.firstAnsweredAt.map { ConsoleFormat.time($0, language) } ?? ""
        context["ratingComment"] = t.ratingComment ?? ""
        context["messages"] = view.messages.map { message -> [String: Any] in
            ["party": ConsoleText.text("party.\(message.party.rawValue)", language), "fromStaff": message.party == .staff, "author": view.name(message.author),
             "at": ConsoleFormat.time(message.at, language), "body": message.body, "answers": message.answers]
        }
        if let report = view.opened.counterfeit {
            context["counterfeit"] = ["code": report.code, "boughtAt": report.boughtAt.map { [$0.province, $0.city, $0.address].compactMap { $0 }.joined(separator: " ") } ?? "—",
                                      "boughtOn": report.boughtOn?.text ?? "—", "photo": report.photoReference ?? ""] as [String: Any]
        }
        if let match = view.match {
            context["match"] = ["code": match.code, "verdict": ConsoleText.text("match.\(match.code)", language), "confirmed": match == .confirmed,
                                "hasScans": !view.scans.isEmpty, "hasFlags": !view.flags.isEmpty,
                                "scans": view.scans.map { scan -> [String: Any] in
                                    ["at": ConsoleFormat.time(scan.scannedAt, language), "result": ConsoleText.text("scan.\(scan.result.rawValue)", language),
                                     "place": [scan.place.province, scan.place.city].compactMap { $0 }.joined(separator: " "), "soldTo": scan.soldToDealerId ?? "—"]
                                },
                                "flags": view.flags.map { flag -> [String: Any] in
                                    ["reason": ConsoleText.text("flag.\(flag.reason.rawValue)", language),
                                     "place": [flag.scanRegion.province, flag.scanRegion.city].compactMap { $0 }.joined(separator: " "), "dealer": flag.dealerId ?? "—"]
                                }] as [String: Any]
        }
        context["mayWrite"] = may(.write(party, answers: false))
        context["mayAnswer"] = !visitor.isDealer && may(.write(.staff, answers: true))
        context["mayAssign"] = !visitor.isDealer && may(.assign) && t.assignee != principal.subject
        context["mayClose"] = may(.close(party, rating: nil))
        context["mayRate"] = visitor.isDealer && may(.close(.dealer, rating: 5))
        context["mayReopen"] = visitor.isDealer && may(.reopen)
        return Page(template: "ticket", title: t.subject, context: context)
    }
}
