import Synchronization

/// A few connections for reading (the API's, a report's), each used by one read at a time on a
/// queue of its own; reads go round them. Nothing is written through them: commands go to Kafka
/// and the core applies them.
public final class ReadConnections: Sendable {
    private let connections: [StoreConnection]
    private let next = Atomic<Int>(0)
    public let location: DatabaseLocation

    /// Opens `count` connections (at start-up: opening waits for the disk or the server).
    public init(_ location: DatabaseLocation, count: Int = 4, label: String = "read") throws(StoreError) {
        self.location = location
        var connections: [StoreConnection] = []
        for index in 0..<max(1, count) {
            connections.append(try StoreConnection(location, label: "\(label).\(index)"))
        }
        self.connections = connections
    }

    private init(_ connection: StoreConnection) {
        location = connection.location
        connections = [connection]
    }

    /// One connection, opened on a queue of its own (for a report or a probe while other work runs).
    public static func open(_ location: DatabaseLocation, label: String) async throws(StoreError) -> ReadConnections {
        ReadConnections(try await StoreConnection.open(location, label: label))
    }

    /// Runs `body` on the next connection.
    public func read<R: Sendable>(_ body: @escaping @Sendable (StoreReader) throws(StoreError) -> R) async throws(StoreError) -> R {
        let connection = connections[next.add(1, ordering: .relaxed).oldValue % connections.count]
        return try await connection.run { db throws(StoreError) -> R in try body(StoreReader(db)) }
    }

    /// Opens a connection to `location` and asks it a trivial question: whether the database
    /// answers now (a fresh connection each time, as a readiness probe needs).
    public static func probe(_ location: DatabaseLocation) async throws(StoreError) {
        try await open(location, label: "probe").read { reader throws(StoreError) in try reader.ping() }
    }
}
