/// One reason a value does not match its schema: where (a path like `data.lines[0].quantity`)
/// and why, in words an integrating team can act on.
public struct SchemaIssue: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { path.isEmpty ? reason : "\(path): \(reason)" }
}
