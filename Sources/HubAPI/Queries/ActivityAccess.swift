public import HubStore

/// Who sees which activity (sales management): a sales rep its own; a manager — branch, area,
/// product line — and an administrator every activity with the dealers in their scope, whoever
/// wrote it; a dealer, a carrier and a downstream system none (systems subscribe to
/// `hub.activities`). Only the person whose activity it is changes it.
public enum ActivityAccess {
    public static func scope(of principal: Principal) -> ActivityReadModel.Scope? {
        switch principal.role {
        case .salesRep: .own(principal.subject)
        case .admin, .branchManager, .areaManager, .productLineManager: .dealers(principal.dealerVisibility)
        case .dealer, .carrier, .system: nil
        }
    }
}
