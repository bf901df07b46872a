internal import CRdKafka

/// The one error type of the `Kafka` library.
///
/// `code` says what went wrong in our terms (new codes may be added without breaking callers);
/// `librdkafkaCode` is librdkafka's own code when librdkafka raised it; `isRetriable` and `isFatal`
/// tell the caller whether trying again can help or the client must be recreated.
/// The description names the place it was raised and, where we know it, what to do.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. A struct over a private enum so new codes are not breaking.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case unsupportedLibrary, invalidConfiguration, clientCreation, produce, delivery, consume,
                 commit, rebalance, transaction, admin, timedOut, closed, fatal
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The librdkafka the process runs against is too old to talk to a modern broker.
        public static let unsupportedLibrary = Code(.unsupportedLibrary)
        /// A configuration property is unknown or has an invalid value.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// librdkafka refused to create the client.
        public static let clientCreation = Code(.clientCreation)
        /// A message could not be enqueued for sending.
        public static let produce = Code(.produce)
        /// The broker did not acknowledge a message (it failed or timed out).
        public static let delivery = Code(.delivery)
        /// Consuming failed.
        public static let consume = Code(.consume)
        /// An offset commit failed.
        public static let commit = Code(.commit)
        /// Applying a rebalance (assign/unassign) failed.
        public static let rebalance = Code(.rebalance)
        /// A transactional operation failed; see `transactionRequiresAbort`.
        public static let transaction = Code(.transaction)
        /// An admin operation (create, describe) failed.
        public static let admin = Code(.admin)
        /// An operation did not finish within its time limit.
        public static let timedOut = Code(.timedOut)
        /// The client was already closed.
        public static let closed = Code(.closed)
        /// The client hit a fatal error and must be recreated.
        public static let fatal = Code(.fatal)

        public var description: String { String(describing: value) }
    }

    public let code: Code
    /// librdkafka's `rd_kafka_resp_err_t` value, when librdkafka reported the error.
    public let librdkafkaCode: Int32?
    public let message: String
    /// Trying the same operation again may succeed.
    public let isRetriable: Bool
    /// The client is unusable; create a new one.
    public let isFatal: Bool
    /// For transactional errors: the current transaction must be aborted before going on.
    public let transactionRequiresAbort: Bool
    public let file: String
    public let line: UInt

    public init(
        code: Code, message: String, librdkafkaCode: Int32? = nil,
        isRetriable: Bool = false, isFatal: Bool = false, transactionRequiresAbort: Bool = false,
        file: String = #fileID, line: UInt = #line
    ) {
        self.code = code
        self.message = message
        self.librdkafkaCode = librdkafkaCode
        self.isRetriable = isRetriable
        self.isFatal = isFatal
        self.transactionRequiresAbort = transactionRequiresAbort
        self.file = file
        self.line = line
    }

    public var description: String {
        var text = "KafkaError.\(code): \(message)"
        if let librdkafkaCode { text += " [librdkafka \(librdkafkaCode)]" }
        if isFatal { text += " (fatal: recreate the client)" } else if isRetriable { text += " (retriable)" }
        if transactionRequiresAbort { text += " (abort the transaction)" }
        return text + " at \(file):\(line)"
    }

    /// True when this error is librdkafka's timeout (local or broker side).
    public var isTimeout: Bool {
        code == .timedOut
            || librdkafkaCode == RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue
            || librdkafkaCode == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT.rawValue
            || librdkafkaCode == RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT.rawValue
    }
}

extension KafkaError {
    /// An error from a librdkafka response code.
    static func rdkafka(
        _ code: Code, _ err: rd_kafka_resp_err_t, context: String, file: String = #fileID, line: UInt = #line
    ) -> KafkaError {
        let text = String(cString: rd_kafka_err2str(err))
        let isTimeout = err == RD_KAFKA_RESP_ERR__TIMED_OUT || err == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT
        return KafkaError(
            code: isTimeout ? .timedOut : code,
            message: "\(context): \(text)",
            librdkafkaCode: err.rawValue,
            isRetriable: isTimeout || err == RD_KAFKA_RESP_ERR__TRANSPORT || err == RD_KAFKA_RESP_ERR__QUEUE_FULL,
            isFatal: err == RD_KAFKA_RESP_ERR__FATAL,
            file: file, line: line
        )
    }

    /// An error from a librdkafka `rd_kafka_error_t` object; destroys it.
    static func consuming(
        _ error: OpaquePointer, code: Code, context: String, file: String = #fileID, line: UInt = #line
    ) -> KafkaError {
        defer { rd_kafka_error_destroy(error) }
        let err = rd_kafka_error_code(error)
        let text = rd_kafka_error_string(error).map { String(cString: $0) } ?? String(cString: rd_kafka_err2str(err))
        return KafkaError(
            code: err == RD_KAFKA_RESP_ERR__TIMED_OUT ? .timedOut : code,
            message: "\(context): \(text)",
            librdkafkaCode: err.rawValue,
            isRetriable: rd_kafka_error_is_retriable(error) != 0,
            isFatal: rd_kafka_error_is_fatal(error) != 0,
            transactionRequiresAbort: rd_kafka_error_txn_requires_abort(error) != 0,
            file: file, line: line
        )
    }
}
