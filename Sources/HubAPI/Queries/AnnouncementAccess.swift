public import HubDomain
public import HubContracts
public import HubStore

/// Who sees which announcement (R5), as the API and the console both ask: a dealer one in force
/// that reaches it; administrators every one; staff of a branch the company's and their branch's;
/// other staff the company's. Who may change or withdraw one: administrators any, a branch manager
/// its branch's.
public enum AnnouncementAccess {
    public enum State: String, Sendable, Encodable {
        case scheduled, inForce = "in-force", expired, withdrawn
    }

    public static func state(of stored: StoredAnnouncement, at now: Timestamp) -> State {
        if stored.withdrawnAt != nil { return .withdrawn }
        if stored.published.publishAt > now { return .scheduled }
        if let expires = stored.published.expiresAt, expires <= now { return .expired }
        return .inForce
    }

    /// The branch whose (and the company's) announcements a member of staff sees; nil: all of them
    /// (administrators); "" for staff of no branch: the company's only.
    public static func staffBranch(_ principal: Principal) -> String? {
        principal.role == .admin ? nil : (principal.branchId ?? "")
    }

    public static func visible(_ stored: StoredAnnouncement, to principal: Principal, at now: Timestamp, _ reader: StoreReader) throws(StoreError) -> Bool {
        if principal.role == .dealer {
            guard let dealerId = principal.dealerId else { return false }
            return try reaches(stored, dealerId: dealerId, at: now, reader)
        }
        guard principal.role.isStaff else { return false }
        guard let branch = staffBranch(principal) else { return true }
        return stored.published.branchId == nil || stored.published.branchId == branch
    }

    /// Whether the announcement is in force at `now` and reaches the dealer.
    public static func reaches(_ stored: StoredAnnouncement, dealerId: String, at now: Timestamp, _ reader: StoreReader) throws(StoreError) -> Bool {
        guard state(of: stored, at: now) == .inForce, let member = try reader.announcements.audienceMember(dealerId) else { return false }
        return stored.published.audience.reaches(member)
    }

    /// A dealer's inbox: the announcements in force at `now` that reach it, newest first, each with
    /// the dealer's receipt; empty for a dealer the hub does not know.
    public static func inbox(of dealerId: String, at now: Timestamp, _ reader: StoreReader) throws(StoreError) -> [(StoredAnnouncement, DealerReceipt?)] {
        guard let member = try reader.announcements.audienceMember(dealerId) else { return [] }
        let reaching = try reader.announcements.inForce(at: now).filter { $0.published.audience.reaches(member) }
        let receipts = try reader.announcements.receipts(dealerId: dealerId, of: reaching.map(\.published.announcementId))
        return reaching.map { ($0, receipts[$0.published.announcementId]) }
    }

    /// Whether `principal` may change or withdraw it.
    public static func mayManage(_ stored: StoredAnnouncement, _ principal: Principal) -> Bool {
        switch try? MasterDataReach.of(principal) {
        case .everything?: true
        case .branch(let branch)?: stored.published.branchId == branch
        case nil: false
        }
    }
}
