public import HubContracts
import Synchronization

/// Where each dealer sells, kept from `hub.dealers`: its region and sales branch, and a branch's
/// territory — the provinces its dealers (both tiers) are in. A genuine code scanned outside the
/// territory of the branch of the dealer it was sold to is cross-region selling (窜货).
public final class DealerDirectory: Sendable {
    private struct State {
        var dealers: [String: (region: Region, branch: String)] = [:]
        /// Per branch, how many of its dealers are in each province.
        var branchProvinces: [String: [String: Int]] = [:]
    }

    private let state = Mutex(State())

    public init(_ dealers: [DealerUpserted] = []) {
        dealers.forEach(record)
    }

    public func record(_ dealer: DealerUpserted) {
        state.withLock { state in
            if let earlier = state.dealers[dealer.dealerId] {
                state.branchProvinces[earlier.branch, default: [:]][earlier.region.province, default: 1] -= 1
                if state.branchProvinces[earlier.branch]?[earlier.region.province] == 0 { state.branchProvinces[earlier.branch]?[earlier.region.province] = nil }
            }
            state.dealers[dealer.dealerId] = (dealer.region, dealer.branchId)
            state.branchProvinces[dealer.branchId, default: [:]][dealer.region.province, default: 0] += 1
        }
    }

    /// The dealer's region and its branch's provinces; `nil` for a dealer the directory does not know.
    public func territory(of dealerId: String) -> (region: Region, provinces: Set<String>)? {
        state.withLock { state in
            guard let dealer = state.dealers[dealerId] else { return nil }
            return (dealer.region, Set(state.branchProvinces[dealer.branch, default: [:]].keys).union([dealer.region.province]))
        }
    }

    public var count: Int { state.withLock { $0.dealers.count } }
}
