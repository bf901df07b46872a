import HubStore

/// Which master data a caller administers: administrators all of it; a branch manager its
/// branch's warehouses and the permission groups whose dealers are all its branch's (a new group
/// too). The routes that change master data and the console's pages that show it ask the same.
public enum MasterDataReach: Sendable, Equatable {
    case everything
    case branch(String)

    /// The caller's reach; 403 for anyone but an administrator or a branch manager of a branch.
    public static func of(_ principal: Principal) throws(APIProblem) -> MasterDataReach {
        switch principal.role {
        case .admin: return .everything
        case .branchManager: if let branch = principal.branchId { return .branch(branch) }
        default: break
        }
        throw APIProblem.forbidden("only administrators and branch managers administer master data")
    }

    /// The branch a list is limited to; nil for everything.
    public var branch: String? {
        if case .branch(let branch) = self { branch } else { nil }
    }

    /// Whether a warehouse (or dealer) of `branch` is within reach.
    public func covers(branch: String?) -> Bool {
        switch self {
        case .everything: true
        case .branch(let own): branch == own
        }
    }

    /// Whether the group is within reach: for a branch manager, every member dealer is its branch's
    /// (a group not known yet: yes — what it will hold is checked when it is written).
    public func mayEdit(group groupId: String, in database: APIDatabase) async throws(APIProblem) -> Bool {
        guard case .branch(let branch) = self else { return true }
        return try await database.read { reader throws(StoreError) in
            guard let stored = try reader.masterData.permissionGroup(groupId) else { return true }
            return try reader.masterData.dealersOutside(branch: branch, of: stored.group.dealerIds).isEmpty
        }
    }
}
