public import HubStore
import Synchronization

/// The API's read side: a few connections to the core's database, each used by one call at a time
/// on a queue of its own (a query may wait on the disk or the network, never on the cooperative pool).
/// The API writes no business state: commands go to Kafka and the core applies them.
public final class APIDatabase: Sendable {
    private let connections: [(database: SharedDatabase, queue: StoreQueue)]
    private let next = Atomic<Int>(0)
    public let location: DatabaseLocation

    public init(_ location: DatabaseLocation, connections count: Int = 4) throws(StoreError) {
        self.location = location
        var connections: [(SharedDatabase, StoreQueue)] = []
        for index in 0..<max(1, count) {
            connections.append((try SharedDatabase(location), StoreQueue(label: "api.\(index)")))
        }
        self.connections = connections
    }

    /// Runs `body` on the next connection; a database failure answers 503 (the caller may retry).
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) throws(StoreError) -> T) async throws(APIProblem) -> T {
        let index = next.add(1, ordering: .relaxed).oldValue % connections.count
        let (database, queue) = connections[index]
        do {
            return try await queue.run { () throws(StoreError) -> T in try database.with(body) }
        } catch {
            throw APIProblem.unavailable("the database did not answer (\(error)); retry later")
        }
    }
}
