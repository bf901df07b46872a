public import HubStore

/// The API's read side: a few connections to the core's database (``ReadConnections``), each
/// read running on the store's own queue. The API writes no business state: commands go to Kafka
/// and the core applies them.
public final class APIDatabase: Sendable {
    private let connections: ReadConnections
    public var location: DatabaseLocation { connections.location }

    public init(_ location: DatabaseLocation, connections count: Int = 4) throws(StoreError) {
        connections = try ReadConnections(location, count: count, label: "api")
    }

    /// Runs `body` on the next connection; a database failure answers 503 (the caller may retry).
    public func read<T: Sendable>(_ body: @escaping @Sendable (StoreReader) throws(StoreError) -> T) async throws(APIProblem) -> T {
        do {
            return try await connections.read(body)
        } catch {
            throw APIProblem.unavailable("the database did not answer (\(error)); retry later")
        }
    }
}
