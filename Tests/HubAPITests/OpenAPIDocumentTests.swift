import Foundation
import HubAPI
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("HTTP API: /openapi.json")
struct OpenAPIDocumentTests {
    @Test("the document is OpenAPI 3.1 JSON and every operation in it exists (no 'no route' answer)")
    func everyDocumentedRouteExists() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let document = try await client.call(.get, "/openapi.json", as: nil, hub: hub)
            #expect(document.status == .ok && document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            #expect(paths.values.map(\.count).reduce(0, +) == OpenAPIDocument.routes.count)
            // The live streams never end (and the WebSocket is on its own router): OrderUpdateStreamTests cover them.
            for (method, path) in OpenAPIDocument.routes where !path.hasPrefix("/v1/order-updates") {
                let concrete = path.replacingOccurrences(of: "{orderId}", with: "O-0000000000000000").replacingOccurrences(of: "{userId}", with: "U-0000000000000000").replacingOccurrences(of: "{dealerId}", with: "D1")
                    .replacingOccurrences(of: "{groupId}", with: "PG-DOC").replacingOccurrences(of: "{warehouseId}", with: "WH-DOC")
                let verb = HTTPRequest.Method(method.uppercased()) ?? .get
                let answer = try await client.call(verb, concrete, as: APITestHub.admin, hub: hub, body: ["post", "patch", "put"].contains(method) ? "{}" : nil)
                #expect(!answer.text.contains("no route"), "\(method) \(path): \(answer.status) \(answer.text)")
                #expect(answer.status.code < 500, "\(method) \(path): \(answer.status)")
            }
            let unknown = try await client.call(.get, "/v1/nothing-here", as: APITestHub.admin, hub: hub)
            #expect(unknown.status == .notFound && unknown.text.contains("no route"))
        }
    }

    @Test("every {name} in a documented path is declared as a required path parameter (schemathesis refuses the document otherwise)")
    func pathParametersDeclared() async throws {
        let hub = try await APITestHub.shared.value
        try await hub.application().test(.router) { client in
            let document = try await client.call(.get, "/openapi.json", as: nil, hub: hub)
            let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
            for (path, operations) in paths {
                let named = path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
                for (method, operation) in operations {
                    let declared = (operation["parameters"] as? [[String: Any]] ?? []).filter { $0["in"] as? String == "path" && $0["required"] as? Bool == true }
                        .compactMap { $0["name"] as? String }
                    #expect(declared == named, "\(method) \(path): declared \(declared), in the path \(named)")
                }
            }
        }
    }

    @Test("the rights matrix lists exactly the documented /v1 routes (signing in, which takes no credentials, and the WebSocket aside)")
    func rightsCoverEveryRoute() {
        let documented = Set(OpenAPIDocument.routes.filter { $0.path.hasPrefix("/v1/") }.map { "\($0.method.uppercased()) \($0.path)" })
            .subtracting(["POST /v1/session", "GET /v1/order-updates/ws"])
        let governed = Set(RouteRights.routes.map { "\($0.method.rawValue) \($0.path)" })
        #expect(documented == governed, "documented only: \(documented.subtracting(governed).sorted()); in the matrix only: \(governed.subtracting(documented).sorted())")
    }
}
