import Foundation
import HubAPI
import HubContracts
import HubStore
import Hummingbird

/// Announcements (R5) in the console: a dealer's inbox — those in force that reach it, the unread
/// marked, a policy to acknowledge marked — and the announcement itself (opening it marks it read;
/// a policy that asks for it has a button to acknowledge); staff the announcements of their reach
/// with their state, and on each how far it was read, by branch, with a button to withdraw it for
/// those who may. The body is plain text with a little structure (``AnnouncementBody``), written
/// escaped like everything else.
extension Console {
    /// `/announcements`.
    func announcementList(_ visitor: ConsoleVisitor) async throws -> Page {
        let principal = visitor.principal
        guard principal.role == .dealer || principal.role.isStaff else { throw APIProblem.forbidden("announcements are for dealers and staff") }
        let language = visitor.language
        let now = Timestamp(Date())
        let rows = try await services.database.read { reader throws(StoreError) -> [(StoredAnnouncement, DealerReceipt?)] in
            guard principal.role == .dealer else {
                return try reader.announcements.all(branchId: AnnouncementAccess.staffBranch(principal), limit: 200, offset: 0).map { ($0, nil) }
            }
            guard let dealerId = principal.dealerId else { return [] }
            return try AnnouncementAccess.inbox(of: dealerId, at: now, reader)
        }
        let shown = rows.map { stored, receipt -> [String: Any] in
            let a = stored.published
            let unread = visitor.isDealer && receipt?.readAt == nil
            return ["announcementId": a.announcementId, "title": a.title, "kind": ConsoleText.text("announcement.\(a.kind.rawValue)", language),
                    "publishAt": ConsoleFormat.time(a.publishAt, language), "expiresAt": a.expiresAt.map { ConsoleFormat.time($0, language) } ?? "—",
                    "unread": unread, "toAcknowledge": visitor.isDealer && a.requiresAcknowledgement && receipt?.acknowledgedAt == nil,
                    "state": ConsoleText.text("announcementState.\(AnnouncementAccess.state(of: stored, at: now).rawValue)", language),
                    "from": a.branchId ?? ConsoleText.text("company", language), "version": a.version]
        }
        return Page(template: "announcements", title: ConsoleText.text("announcements", language), context: [
            "announcements": shown, "empty": shown.isEmpty, "isDealer": visitor.isDealer,
            "unreadCount": shown.filter { $0["unread"] as? Bool == true }.count, "mayPublish": (try? MasterDataReach.of(principal)) != nil,
        ], live: visitor.isDealer)
    }

    /// `/announcements/new`: the form, for administrators (the company's) and branch managers (their
    /// branch's); it publishes through `POST /v1/announcements`, and previews whom it reaches through
    /// `POST /v1/announcements/audience-preview`.
    func announcementForm(_ visitor: ConsoleVisitor) throws -> Page {
        let reach = try MasterDataReach.of(visitor.principal)
        let language = visitor.language
        return Page(template: "announcement-form", title: ConsoleText.text("newAnnouncement", language), context: Self.audienceChoices(reach, language).merging([
            "kinds": AnnouncementKind.known.map { ["value": $0.rawValue, "label": ConsoleText.text("announcement.\($0.rawValue)", language)] },
        ]) { $1 })
    }

    /// What an audience is chosen from in a form (announcements, surveys): the tiers, the lines, and
    /// for a branch manager the note that its audience stays in its branch.
    static func audienceChoices(_ reach: MasterDataReach, _ language: ConsoleLanguage) -> [String: Any] {
        ["tiers": DealerTier.known.map(\.rawValue).map { ["value": $0, "label": ConsoleText.text("tier.\($0)", language)] },
         "lines": ProductLine.known.map { ["value": $0.rawValue, "label": ConsoleText.text("line.\($0.rawValue)", language)] },
         "branchNote": reach.branch.map { ConsoleText.text("audienceInBranch", language) + $0 } ?? ""]
    }

    /// `/announcements/{id}`: 404 outside the visitor's reach, as in the API.
    func announcementPage(_ id: String, _ visitor: ConsoleVisitor) async throws -> Page {
        let principal = visitor.principal
        guard principal.role == .dealer || principal.role.isStaff else { throw APIProblem.forbidden("announcements are for dealers and staff") }
        guard RequestFields.isIdentifier(id) else { throw APIProblem.notFound("announcement") }
        let language = visitor.language
        let now = Timestamp(Date())
        let visibility = principal.dealerVisibility
        let read = try await services.database.read { reader throws(StoreError) -> AnnouncementRead? in
            guard let stored = try reader.announcements.announcement(id), try AnnouncementAccess.visible(stored, to: principal, at: now, reader) else { return nil }
            if let dealerId = principal.dealerId {
                return AnnouncementRead(stored: stored, receipt: try reader.announcements.receipts(dealerId: dealerId, of: [id])[id], readership: [:])
            }
            return AnnouncementRead(stored: stored, receipt: nil, readership: try reader.announcements.readership(stored.published, within: visibility))
        }
        guard let read else { throw APIProblem.notFound("announcement \(id)") }
        let a = read.stored.published
        let state = AnnouncementAccess.state(of: read.stored, at: now)
        var context: [String: Any] = [
            "announcementId": id, "title": a.title, "kind": ConsoleText.text("announcement.\(a.kind.rawValue)", language),
            "publishAt": ConsoleFormat.time(a.publishAt, language), "expiresAt": a.expiresAt.map { ConsoleFormat.time($0, language) } ?? "—",
            "state": ConsoleText.text("announcementState.\(state.rawValue)", language), "version": a.version,
            "blocks": AnnouncementBody.context(a.body),
            "links": a.links.map { ["title": $0.title, "url": $0.url] }, "hasLinks": !a.links.isEmpty,
            "attachments": a.attachments.map { ["name": $0.name, "reference": $0.reference] }, "hasAttachments": !a.attachments.isEmpty,
            "prices": a.promotionPrices.map { ["materialId": $0.materialId, "price": ConsoleFormat.money($0.price)] }, "hasPrices": !a.promotionPrices.isEmpty,
            "materials": a.materialIds.map { ["materialId": $0] }, "hasMaterials": !a.materialIds.isEmpty,
            "isDealer": visitor.isDealer,
        ]
        if visitor.isDealer {
            context["markRead"] = read.receipt?.readAt == nil
            context["mayAcknowledge"] = a.requiresAcknowledgement && read.receipt?.acknowledgedAt == nil
            context["acknowledged"] = read.receipt?.acknowledgedAt.map { ConsoleFormat.time($0, language) } ?? ""
        } else {
            let branches = read.readership.sorted { $0.key < $1.key }
            context["readership"] = branches.map { branch, counts -> [String: Any] in
                ["branchId": branch, "reached": counts.reached, "read": counts.read, "acknowledged": counts.acknowledged,
                 "readShare": ConsoleFormat.percent(share(counts.read, counts.reached))]
            }
            context["reached"] = branches.reduce(0) { $0 + $1.value.reached }
            context["requiresAcknowledgement"] = a.requiresAcknowledgement
            context["from"] = a.branchId ?? ConsoleText.text("company", language)
            context["mayWithdraw"] = state != .withdrawn && AnnouncementAccess.mayManage(read.stored, principal)
            context["withdrawn"] = read.stored.withdrawnReason ?? ""
        }
        return Page(template: "announcement", title: a.title, context: context)
    }

    private func share(_ part: Int, _ whole: Int) -> String? {
        guard whole > 0 else { return nil }
        return String(format: "%.4f", Double(part) / Double(whole))
    }
}

/// What an announcement's page reads in one go.
private struct AnnouncementRead: Sendable {
    var stored: StoredAnnouncement
    var receipt: DealerReceipt?
    var readership: [String: Readership]
}
