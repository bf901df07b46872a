/// A person's account as stored: who they are, their role and the scope it applies to. The
/// password's hash is kept apart (``AccountStore/credential(login:)``) so that what is passed
/// around, listed and audited never carries it.
public struct UserRecord: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case active
        /// Cannot sign in; its sessions are ended when it is disabled.
        case disabled
    }

    public var userId: String
    /// Lower-case; unique.
    public var login: String
    public var displayName: String
    /// A role's name as the API spells it (`admin`, `branch-manager`, `dealer`, …).
    public var role: String
    public var dealerId: String?
    /// The dealer's own administrator: manages that dealer's users.
    public var dealerAdmin: Bool
    public var branchId: String?
    public var provinces: [String]
    public var productLines: [String]
    public var salesRepId: String?
    public var carrierId: String?
    public var status: Status
    /// Set by an administrator's reset: the next sign-in may only change the password.
    public var mustChangePassword: Bool
    /// Grows by one with every change; an edit names the version it read (stale: 409).
    public var version: Int64
    public var createdAt: String
    public var updatedAt: String

    public init(userId: String, login: String, displayName: String, role: String, dealerId: String? = nil, dealerAdmin: Bool = false,
                branchId: String? = nil, provinces: [String] = [], productLines: [String] = [], salesRepId: String? = nil,
                carrierId: String? = nil, status: Status = .active, mustChangePassword: Bool = false, version: Int64 = 1,
                createdAt: String = "", updatedAt: String = "") {
        self.userId = userId
        self.login = login
        self.displayName = displayName
        self.role = role
        self.dealerId = dealerId
        self.dealerAdmin = dealerAdmin
        self.branchId = branchId
        self.provinces = provinces
        self.productLines = productLines
        self.salesRepId = salesRepId
        self.carrierId = carrierId
        self.status = status
        self.mustChangePassword = mustChangePassword
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The fields an audit entry shows before and after a change: everything but the times and
    /// the version (the entry has its own), and never anything secret.
    public var auditFields: [String: String] {
        var fields = ["login": login, "displayName": displayName, "role": role, "status": status.rawValue]
        if let dealerId { fields["dealerId"] = dealerId }
        if dealerAdmin { fields["dealerAdmin"] = "true" }
        if let branchId { fields["branchId"] = branchId }
        if !provinces.isEmpty { fields["provinces"] = provinces.joined(separator: ",") }
        if !productLines.isEmpty { fields["productLines"] = productLines.joined(separator: ",") }
        if let salesRepId { fields["salesRepId"] = salesRepId }
        if let carrierId { fields["carrierId"] = carrierId }
        if mustChangePassword { fields["mustChangePassword"] = "true" }
        return fields
    }
}

/// A signed-in session as the store finds it: its user (active), the token a state-changing
/// request must echo, and its times.
public struct StoredSession: Sendable, Hashable {
    public var user: UserRecord
    public var csrfToken: String
    public var createdAtMilliseconds: Int64
    public var seenAtMilliseconds: Int64
    public var expiresAtMilliseconds: Int64
}

/// One administrative change, as the audit log keeps it (and `hub.audit` carries it).
public struct AuditEntry: Sendable, Hashable {
    public var sequence: Int64
    public var eventId: String
    public var at: String
    public var actor: String
    public var action: String
    public var subjectKind: String
    public var subjectId: String
    public var before: [String: String]?
    public var after: [String: String]?
}

/// Who made a change and the trace of the request that made it.
public struct ChangeActor: Sendable, Hashable {
    public var id: String
    /// The event's `source`: `api` or `cli`.
    public var source: String
    public var traceParent: String?

    public init(id: String, source: String, traceParent: String? = nil) {
        self.id = id
        self.source = source
        self.traceParent = traceParent
    }
}

/// How an account write ended when it did not change anything.
public enum AccountWriteRefusal: Error, Sendable, Equatable {
    case notFound
    /// The edit named `expected`, the account is at `current`.
    case stale(expected: Int64, current: Int64)
    case loginTaken(String)
}
