public import HubStore
import Logging

/// The API's read side: a few connections to the core's database (``ReadConnections``), each
/// read running on the store's own queue. The API writes no business state: commands go to Kafka
/// and the core applies them.
public final class APIDatabase: Sendable {
    private let connections: ReadConnections
    private let logger = Logger(label: "lubehub.api.database")
    public var location: DatabaseLocation { connections.location }

    public init(_ location: DatabaseLocation, connections count: Int = 4) throws(StoreError) {
        connections = try ReadConnections(location, count: count, label: "api")
    }

    /// Runs `body` on the next connection; a database failure answers 503 (the caller may retry).
    /// The failure's text (SQL, the database's message) is logged, never answered.
    public func read<T: Sendable>(_ body: @escaping @Sendable (StoreReader) throws(StoreError) -> T) async throws(APIProblem) -> T {
        do {
            return try await connections.read(body)
        } catch {
            logger.error("a read failed", metadata: ["error": "\(error)"])
            throw APIProblem.unavailable("the hub's database did not answer; retry later")
        }
    }

    /// Runs `body` with its reads on one connection, on that connection's queue
    /// (``ReadConnections/pinned(_:)``): for a short request on the interactive path.
    public func pinned<R>(_ body: () async throws -> R) async throws -> R {
        try await connections.pinned(body)
    }
}
