import Foundation
import HubAPI
import Hummingbird
import HummingbirdTesting

/// An answer as a test reads it: the status, the headers, and the body as JSON.
struct APIAnswer: @unchecked Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var text: String
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
    subscript(key: String) -> Any? { json[key] }
    var isProblem: Bool { headers[.contentType] == "application/problem+json" && json["detail"] is String && json["status"] as? Int == Int(status.code) }
}

extension TestClientProtocol {
    /// Calls the API as `principal` (a bearer token from the hub's secret), or with no credentials.
    func call(_ method: HTTPRequest.Method, _ uri: String, as principal: Principal?, hub: APITestHub, body: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> APIAnswer {
        var headers = extra
        if let principal { headers[.authorization] = "Bearer \(hub.token(principal))" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            APIAnswer(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }
}
