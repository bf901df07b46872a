import Synchronization

/// A few connections for reading (the API's, a report's), each used by one read at a time on a
/// queue of its own; reads go round them. Nothing is written through them: commands go to Kafka
/// and the core applies them.
public final class ReadConnections: Sendable {
    let connections: [StoreConnection]
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

    /// The connection a task's reads keep to (``pinned(_:)``): which pool, and which of its connections.
    @TaskLocal private static var pin: (pool: ObjectIdentifier, index: Int)?

    /// Runs `body` on the next connection (the pinned one inside ``pinned(_:)``).
    public func read<R: Sendable>(_ body: @escaping @Sendable (StoreReader) throws(StoreError) -> R) async throws(StoreError) -> R {
        let index: Int
        if let pin = Self.pin, pin.pool == ObjectIdentifier(self) {
            index = pin.index
        } else {
            index = next.add(1, ordering: .relaxed).oldValue % connections.count
        }
        return try await connections[index].run { db throws(StoreError) -> R in try body(StoreReader(db)) }
    }

    /// Runs `body` with its reads on one connection, and its code on that connection's queue (its
    /// task executor preference): each read then starts without crossing threads. For a short
    /// request that reads several times on the interactive path (an order's submission and its wait
    /// for the decision); its code between reads holds the queue, so nothing CPU-heavy belongs in it.
    public func pinned<R>(_ body: () async throws -> R) async throws -> R {
        let index = next.add(1, ordering: .relaxed).oldValue % connections.count
        return try await withTaskExecutorPreference(connections[index].executor) { () async throws -> R in
            try await Self.$pin.withValue((ObjectIdentifier(self), index), operation: body)
        }
    }

    /// Opens a connection to `location` and asks it a trivial question: whether the database
    /// answers now (a fresh connection each time, as a readiness probe needs).
    public static func probe(_ location: DatabaseLocation) async throws(StoreError) {
        try await open(location, label: "probe").read { reader throws(StoreError) in try reader.ping() }
    }
}
