import Foundation
import HubContracts
public import HubStore

/// A place in the order list as the API hands it out: the last row's submission time and id, as
/// base64url text the client passes back unchanged.
public struct OrderCursor: Sendable, Equatable {
    public var position: OrderReadModel.ListPosition

    public var token: String { Base64URL.encode(Data("\(position.submittedAt)|\(position.orderId)".utf8)) }

    public init(position: OrderReadModel.ListPosition) {
        self.position = position
    }

    public init?(token: String) {
        guard token.utf8.count <= 200, let data = Base64URL.decode(Substring(token)), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: "|", maxSplits: 1).map(String.init)
        guard parts.count == 2, Timestamp(parsing: parts[0]) != nil, RequestFields.isIdentifier(parts[1]) else { return nil }
        position = OrderReadModel.ListPosition(submittedAt: parts[0], orderId: parts[1])
    }
}
