import HubContracts
import HubDomain
import HubStore

/// Announcements to dealers (R5). The latest version published stands: an older one arriving late
/// is applied as nothing, and so is a withdrawal of a version published over since. A dealer's
/// first read and first acknowledgement count, from a dealer the announcement reaches only; an
/// acknowledgement counts as a read too.
enum EngagementRules {
    static func apply(_ context: RuleContext) throws(StoreError) -> ApplyOutcome {
        let announcements = context.tables.announcements
        switch context.event.data {
        case .announcementPublished(let published):
            if let held = try announcements.state(of: published.announcementId), held.version >= published.version {
                return .applied  // the same or an older version, late: the newer one stands
            }
            let before = try announcements.announcement(published.announcementId)
            try announcements.upsert(published, at: context.now)
            try audit(context, by: published.publishedBy, action: before == nil ? "announcement.created" : "announcement.changed", published.announcementId,
                      before: before, after: try announcements.announcement(published.announcementId))
            return .applied
        case .announcementWithdrawn(let withdrawn):
            guard let held = try announcements.state(of: withdrawn.announcementId) else { return .unknownReference("announcement \(withdrawn.announcementId)") }
            guard withdrawn.version >= held.version else { return .applied }  // a newer version was published since: it stands
            let before = try announcements.announcement(withdrawn.announcementId)
            try announcements.withdraw(withdrawn, at: context.now)
            try audit(context, by: withdrawn.withdrawnBy, action: "announcement.withdrawn", withdrawn.announcementId,
                      before: before, after: try announcements.announcement(withdrawn.announcementId))
            return .applied
        case .announcementRead(let receipt):
            if let refused = try check(receipt, acknowledging: false, context) { return refused }
            try announcements.recordRead(receipt, at: context.event.occurredAt)
            return .applied
        case .announcementAcknowledged(let receipt):
            if let refused = try check(receipt, acknowledging: true, context) { return refused }
            try announcements.recordAcknowledgement(receipt, at: context.event.occurredAt)
            return .applied
        default:
            return .notHandled
        }
    }

    /// Puts in force an announcement published ahead of its `publishAt` once that moment has come:
    /// its audit entry (`announcement.in-force`, by the hub) is what places the dealers' live notice
    /// among their updates (``OrderUpdateFeed`` reads the audited changes), and the notice is marked
    /// given in the same transaction, so it is given once. Whether it was still due (a withdrawal or
    /// a newer version published at once clears it).
    static func putInForce(_ announcementId: String, in tables: CoreTransaction, topics: CoreRules.Topics, at now: Timestamp) throws(StoreError) -> Bool {
        let announcements = tables.announcements
        guard try announcements.claimNotice(announcementId, at: now), let stored = try announcements.announcement(announcementId) else { return false }
        try tables.audit.record(ChangeActor(id: "hub", source: CoreRules.producerName), action: "announcement.in-force", kind: "announcement", id: announcementId,
                                before: nil, after: fields(stored), at: now, topic: topics.audit)
        return true
    }

    /// Staff publishing or withdrawing an announcement: its audit entry and `hub.audit` event, in
    /// the same transaction (what the API waits for before it answers).
    private static func audit(_ context: RuleContext, by person: String, action: String, _ id: String,
                              before: StoredAnnouncement?, after: StoredAnnouncement?) throws(StoreError) {
        try context.tables.audit.record(ChangeActor(id: person, source: context.event.source, traceParent: context.trace), action: action,
                                        kind: "announcement", id: id, before: before.map(fields), after: after.map(fields), at: context.now, topic: context.topics.audit)
    }

    private static func fields(_ stored: StoredAnnouncement) -> [String: String] {
        let published = stored.published
        var fields = ["version": String(published.version), "kind": published.kind.rawValue, "title": published.title, "publishAt": published.publishAt.text,
                      "audience": audienceText(published.audience), "requiresAcknowledgement": String(published.requiresAcknowledgement)]
        fields["expiresAt"] = published.expiresAt?.text
        fields["withdrawnAt"] = stored.withdrawnAt?.text
        return fields
    }

    /// The audience in a line, for the audit: `everyone`, or each chosen dimension with its values.
    static func audienceText(_ audience: Audience) -> String {
        guard !audience.isEveryone else { return "everyone" }
        let parts: [(String, [String])] = [("branches", audience.branches), ("provinces", audience.provinces), ("tiers", audience.tiers.map(\.rawValue)),
                                           ("productLines", audience.productLines.map(\.rawValue)), ("customerClasses", audience.customerClasses),
                                           ("permissionGroups", audience.permissionGroups), ("dealers", audience.dealers)]
        return parts.filter { !$0.1.isEmpty }.map { "\($0.0)=\($0.1.joined(separator: ","))" }.joined(separator: "; ")
    }

    /// Why a receipt cannot count, or nil: the announcement and the dealer must be known (else it
    /// waits for them), the announcement must reach the dealer, and only one that asks for it can
    /// be acknowledged.
    private static func check(_ receipt: AnnouncementReceipt, acknowledging: Bool, _ context: RuleContext) throws(StoreError) -> ApplyOutcome? {
        guard let held = try context.tables.announcements.announcement(receipt.announcementId) else {
            return .unknownReference("announcement \(receipt.announcementId)")
        }
        guard let member = try context.tables.masterData.audienceMember(receipt.dealerId) else { return .unknownReference("dealer \(receipt.dealerId)") }
        guard held.published.audience.reaches(member) else {
            return .refused("announcement \(receipt.announcementId) does not reach dealer \(receipt.dealerId): only a dealer in its audience reads or acknowledges it")
        }
        if acknowledging, !held.published.requiresAcknowledgement {
            return .refused("announcement \(receipt.announcementId) asks for no acknowledgement")
        }
        return nil
    }
}
