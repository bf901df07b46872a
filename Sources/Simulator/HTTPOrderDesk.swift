public import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The hub's HTTP API over HTTP/1.1 (AsyncHTTPClient), as each dealer calls it: its own bearer
/// token (from `token`), JSON bodies, an Idempotency-Key on every submit.
public struct HTTPOrderDesk: OrderDesk {
    public let baseURL: String
    private let client: HTTPClient
    private let token: @Sendable (String) -> String
    private let timeout: TimeAmount

    public init(baseURL: String, client: HTTPClient, timeout: Duration = .seconds(10), token: @escaping @Sendable (_ dealerId: String) -> String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.client = client
        self.token = token
        self.timeout = .nanoseconds(Int64(timeout / .nanoseconds(1)))
    }

    /// A request with the dealer's token and a JSON body.
    func request(_ path: String, dealerId: String, body: [UInt8], headers extra: [(String, String)] = []) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer " + token(dealerId))
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        return request
    }

    public func submit(dealerId: String, body: [UInt8], idempotencyKey: String) async throws -> OrderAnswer {
        let response = try await client.execute(request("/v1/orders", dealerId: dealerId, body: body, headers: [("Idempotency-Key", idempotencyKey)]),
                                                timeout: timeout)
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let object = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
        let code = Int(response.status.code)
        switch code {
        case 200, 201:
            guard let orderId = object["orderId"] as? String, let status = object["status"] as? String else {
                throw HTTPDeskError("a \(code) without orderId and status")
            }
            return .decided(orderId: orderId, status: status)
        case 202:
            return .pending(orderId: object["orderId"] as? String ?? "")
        case 400..<500 where code != 408 && code != 429:
            return .refused(status: code, detail: object["detail"] as? String ?? "")
        default:
            throw HTTPDeskError("HTTP \(code): \(object["detail"] as? String ?? "no detail")")
        }
    }

    public func follow(_ action: String, orderId: String, dealerId: String, body: [UInt8]) async throws -> Int {
        let response = try await client.execute(request("/v1/orders/\(orderId)/\(action)", dealerId: dealerId, body: body), timeout: timeout)
        _ = try await response.body.collect(upTo: 1 << 20)
        let code = Int(response.status.code)
        guard code < 500 else { throw HTTPDeskError("HTTP \(code)") }
        return code
    }
}

/// An answer the desk could not use (a 5xx, or a body without what it must carry).
public struct HTTPDeskError: Error, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
