import HubAPI
public import HubServer
import Synchronization

/// Each simulated dealer's bearer token, minted once with the configuration's secret.
public final class DealerTokens: Sendable {
    private let api: HubConfiguration.APISection
    private let tokens = Mutex<[String: String]>([:])

    public init(api: HubConfiguration.APISection) throws {
        self.api = api
        _ = try api.issueToken(for: Principal(subject: "U-simulator", role: .system), lifetime: 60)
    }

    public func token(for dealerId: String) -> String {
        if let token = tokens.withLock({ $0[dealerId] }) { return token }
        let principal = Principal(subject: "U-dealer-\(dealerId)", role: .dealer, dealerId: dealerId)
        let token = (try? api.issueToken(for: principal, lifetime: 24 * 3600)) ?? ""
        tokens.withLock { $0[dealerId] = token }
        return token
    }
}
