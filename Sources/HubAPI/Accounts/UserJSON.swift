public import HubStore

/// An account as the API shows it: never its password or sessions.
struct UserJSON: Encodable, Sendable {
    var userId: String
    var login: String
    var displayName: String
    var role: String
    var dealerId: String?
    var dealerAdmin: Bool
    var branchId: String?
    var provinces: [String]
    var productLines: [String]
    var salesRepId: String?
    var carrierId: String?
    var status: String
    var mustChangePassword: Bool
    var version: Int64
    var createdAt: String
    var updatedAt: String

    init(_ user: UserRecord) {
        userId = user.userId
        login = user.login
        displayName = user.displayName
        role = user.role
        dealerId = user.dealerId
        dealerAdmin = user.dealerAdmin
        branchId = user.branchId
        provinces = user.provinces
        productLines = user.productLines
        salesRepId = user.salesRepId
        carrierId = user.carrierId
        status = user.status.rawValue
        mustChangePassword = user.mustChangePassword
        version = user.version
        createdAt = user.createdAt
        updatedAt = user.updatedAt
    }
}
