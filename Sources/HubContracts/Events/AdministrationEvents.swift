/// `audit.recorded` on `hub.audit`: one administrative change — who made it, when (the envelope's
/// `occurredAt`), what it did to which object, and the object's fields before and after (absent
/// before a creation and after a deletion). Secrets (a password's hash, a session) never appear.
public struct AuditRecorded: Sendable, Hashable, Codable {
    /// The user (or `cli:<name>` for the command line) who made the change.
    public var actor: String
    /// What was done: `user.created`, `user.changed`, `user.disabled`, `user.deleted`,
    /// `user.password-reset`, `user.password-changed`, `permission-group.changed`, …
    public var action: String
    /// The kind of object changed: `user`, `permission-group`, `warehouse`, `dealer-groups`, `contract`,
    /// `announcement`, `survey`, `ticket`, `tier2-order`.
    public var subjectKind: String
    public var subjectId: String
    public var before: [String: String]?
    public var after: [String: String]?

    public init(actor: String, action: String, subjectKind: String, subjectId: String, before: [String: String]?, after: [String: String]?) {
        self.actor = actor
        self.action = action
        self.subjectKind = subjectKind
        self.subjectId = subjectId
        self.before = before
        self.after = after
    }
}
