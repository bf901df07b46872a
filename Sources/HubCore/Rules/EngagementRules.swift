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
            try announcements.upsert(published, at: context.now)
            return .applied
        case .announcementWithdrawn(let withdrawn):
            guard let held = try announcements.state(of: withdrawn.announcementId) else { return .unknownReference("announcement \(withdrawn.announcementId)") }
            guard withdrawn.version >= held.version else { return .applied }  // a newer version was published since: it stands
            try announcements.withdraw(withdrawn, at: context.now)
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
