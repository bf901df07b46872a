/// The OpenAPI 3.1 document of every route (served at `/openapi.json`).
enum OpenAPIDocument {
    static let json = "{}"
}
