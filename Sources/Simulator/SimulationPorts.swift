/// Where a business run's messages go: the systems' raw topics (a Kafka producer in a real run).
public protocol MessageSink: Sendable {
    /// Sends the messages and returns once every one is acknowledged.
    func send(_ messages: [ERPDocuments.Message]) async throws
}

/// What the hub answered to one order.
public enum OrderAnswer: Sendable, Equatable {
    /// The core decided within the API's wait: `accepted` or `rejected` (201; 200 for a replay).
    case decided(orderId: String, status: String)
    /// Acknowledged, the decision still to come (202).
    case pending(orderId: String)
    /// Refused (4xx): the order is wrong; retrying it would not help.
    case refused(status: Int, detail: String)
}

/// The hub's HTTP API as dealers use it (the real server over HTTP in a real run).
public protocol OrderDesk: Sendable {
    /// Submits an order (a JSON body) as the dealer, under an idempotency key; a thrown error means
    /// no answer (a retry under the same key is safe).
    func submit(dealerId: String, body: [UInt8], idempotencyKey: String) async throws -> OrderAnswer
    /// Posts a follow-up (`receipt`, `rating`, `cancel`) on an order as its dealer; the HTTP status.
    func follow(_ action: String, orderId: String, dealerId: String, body: [UInt8]) async throws -> Int
}

/// The documents the hub sends the ERP (`erp.out.orders`), read in order.
public protocol ERPOutbox: Sendable {
    /// The next documents; `nil` once reading stops.
    func next() async throws -> [[UInt8]]?
    /// Marks every document returned so far as answered.
    func answered() async throws
}

/// Which trucks the hub's carrier adapter can already tell by their terminals (a real fleet's
/// terminals are registered long before they report; a run's must be too).
public protocol VehicleRegistry: Sendable {
    /// Returns once every one of `vehicleIds` is registered, or `timeout` passed; how many are still missing.
    func waitUntilRegistered(_ vehicleIds: Set<String>, timeout: Duration) async throws -> Int
}
