public import HubStore

/// Who may manage whose accounts: a pure decision, tested on its own and used by every user route.
///
/// - An administrator manages every account.
/// - A branch manager manages its branch's sales representatives and the users of its branch's
///   dealers; it grants those two roles only.
/// - A dealer's own administrator manages its dealer's users (role dealer) and nobody else's.
/// - Everyone else manages no account but its own password.
///
/// An account outside the caller's reach is answered as if it did not exist (404), so a branch
/// learns nothing of another branch's people.
public enum UserAdministration {
    public enum Reach: Sendable, Equatable {
        case everyone
        case branch(String)
        case dealer(String)
        case none
    }

    /// What an account is, for the decision: its role and its scope (a dealer user's dealer's branch
    /// looked up by the caller).
    public struct Target: Sendable, Equatable {
        public var role: Principal.Role
        public var dealerId: String?
        /// The branch of `dealerId`'s dealer; nil when the dealer is not known.
        public var dealerBranch: String?
        public var branchId: String?

        public init(role: Principal.Role, dealerId: String? = nil, dealerBranch: String? = nil, branchId: String? = nil) {
            self.role = role
            self.dealerId = dealerId
            self.dealerBranch = dealerBranch
            self.branchId = branchId
        }
    }

    public static func reach(of principal: Principal) -> Reach {
        switch principal.role {
        case .admin: .everyone
        case .branchManager: principal.branchId.map(Reach.branch) ?? .none
        case .dealer where principal.dealerAdmin: principal.dealerId.map(Reach.dealer) ?? .none
        default: .none
        }
    }

    /// Whether `reach` covers an existing or new account `target`.
    public static func covers(_ reach: Reach, _ target: Target) -> Bool {
        switch reach {
        case .everyone:
            true
        case .branch(let branch):
            (target.role == .salesRep && target.branchId == branch) || (target.role == .dealer && target.dealerBranch == branch)
        case .dealer(let dealer):
            target.role == .dealer && target.dealerId == dealer
        case .none:
            false
        }
    }

    /// `filter` narrowed to the accounts `reach` manages (what the user list and the console's users page show).
    public static func scoped(_ filter: UserFilter, to reach: Reach) -> UserFilter {
        var filter = filter
        switch reach {
        case .everyone, .none:
            break
        case .dealer(let dealer):
            filter.dealerId = dealer
            filter.role = "dealer"
        case .branch(let branch):
            filter.reachOfBranch = branch
        }
        return filter
    }

    /// The roles `reach` may give an account.
    public static func grantable(by reach: Reach) -> [Principal.Role] {
        switch reach {
        case .everyone: [.admin, .branchManager, .areaManager, .productLineManager, .salesRep, .dealer, .carrier]
        case .branch: [.salesRep, .dealer]
        case .dealer: [.dealer]
        case .none: []
        }
    }
}
