/// What went wrong in the state store, and what to do about it.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable { case open, statement, busy, constraint, databaseNewer, migration, corrupt }
        private let value: Value
        private init(_ value: Value) { self.value = value }
        /// The database could not be opened.
        public static let open = Code(.open)
        /// A statement failed.
        public static let statement = Code(.statement)
        /// The database is busy (locked by another writer): transient, retry with backoff.
        public static let busy = Code(.busy)
        /// A constraint was violated.
        public static let constraint = Code(.constraint)
        /// The database was written by a newer LubeHub: refuse rather than corrupt it.
        public static let databaseNewer = Code(.databaseNewer)
        /// A migration failed.
        public static let migration = Code(.migration)
        /// Stored data is not what the schema promises.
        public static let corrupt = Code(.corrupt)
        public var description: String { String(describing: value) }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A transient fault: retry with backoff, never dead-letter because of it.
    public var isTransient: Bool { code == .busy }

    public var description: String { "StoreError.\(code): \(message)" }
}

/// The waits between attempts while the database is busy: 20 ms, doubling, at most 2 s. One
/// schedule for every writer, so a busy database is waited out the same way everywhere.
public struct BusyBackoff: Sendable {
    private var delay = Duration.milliseconds(20)

    public init() {}

    /// The wait before the next attempt.
    public mutating func next() -> Duration {
        defer { delay = min(delay * 2, .seconds(2)) }
        return delay
    }
}
