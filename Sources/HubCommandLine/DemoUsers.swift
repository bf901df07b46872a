import Foundation
public import HubAPI
public import HubContracts
public import HubStore
public import Simulator

/// The people of a simulated company who sign in to the demo: an administrator, the east branch's
/// manager and one of its sales representatives, a tier-1 dealer's own administrator, a user of one
/// of its tier-2 dealers, and each branch's customer service (客服, a branch manager's rights: they
/// answer the branch's tickets). Made once per database (a login already there is kept, its
/// password unknown); their passwords are random and printed once.
public enum DemoUsers {
    public struct Account: Sendable {
        public var login: String
        public var password: String?
        public var role: String
        public var scope: String
    }

    public static func ensure(for company: Company, at location: DatabaseLocation, cost: PasswordHasher.Cost) async throws -> [Account] {
        let store = try AccountStore(location)
        let hasher = PasswordHasher(cost: cost)
        let east = company.branches.firstIndex { $0.id == "BR-EAST" } ?? 0
        let parents = Set(company.dealers.compactMap { $0.tier == .tier2 && $0.branch == east ? $0.parentCustomerNumber : nil })
        guard let tier1 = company.dealers.first(where: { $0.tier == .tier1 && parents.contains($0.customerNumber) }),
              let tier2 = company.dealers.first(where: { $0.tier == .tier2 && $0.parentCustomerNumber == tier1.customerNumber }) else { return [] }
        let branch = company.branches[east].id
        let planned: [(login: String, name: String, user: UserRecord, scope: String)] = [
            ("admin", "系统管理员", UserRecord(userId: "", login: "", displayName: "", role: "admin"), "everything"),
            ("east.manager", "华东分公司经理", UserRecord(userId: "", login: "", displayName: "", role: "branch-manager", branchId: branch), branch),
            ("east.rep", "华东销售代表 \(tier1.salesRep)", UserRecord(userId: "", login: "", displayName: "", role: "sales-rep", branchId: branch, salesRepId: tier1.salesRep),
             "rep \(tier1.salesRep)"),
            ("tier1.owner", tier1.name, UserRecord(userId: "", login: "", displayName: "", role: "dealer", dealerId: tier1.dealerId, dealerAdmin: true),
             "tier-1 \(tier1.dealerId), its administrator"),
            ("tier2.owner", tier2.name, UserRecord(userId: "", login: "", displayName: "", role: "dealer", dealerId: tier2.dealerId),
             "tier-2 \(tier2.dealerId) of \(tier1.dealerId)"),
        ] + company.branches.map { branch in
            ("service." + branch.id.lowercased().replacingOccurrences(of: "br-", with: ""), branch.name + "客服",
             UserRecord(userId: serviceUserId(branch.id), login: "", displayName: "", role: "branch-manager", branchId: branch.id), branch.id)
        }
        var accounts: [Account] = []
        for (index, plan) in planned.enumerated() {
            if let existing = try await store.user(login: plan.login) {
                accounts.append(Account(login: existing.login, password: nil, role: existing.role, scope: plan.scope))
                continue
            }
            let password = SessionSecret.randomToken(bytes: 9)
            var user = plan.user
            if user.userId.isEmpty { user.userId = String(format: "U-DEMO%010d", index + 1) }
            user.login = plan.login
            user.displayName = plan.name
            _ = try await store.create(user, passwordHash: try await hasher.hash(password), by: ChangeActor(id: "cli:demo", source: "cli"),
                                       now: Timestamp(Date()))
            accounts.append(Account(login: plan.login, password: password, role: user.role, scope: plan.scope))
        }
        return accounts
    }

    /// The account of a branch's customer service (客服), who answers its dealers' tickets in a business run.
    public static func serviceUserId(_ branchId: String) -> String { "U-DEMO-CS-" + branchId }
}
