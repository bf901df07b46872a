internal import CRdKafka

/// Transactions: consume–transform–produce exactly once. Requires
/// ``KafkaProducerConfiguration/transactionalID``. The blocking librdkafka calls run off the
/// cooperative pool.
extension KafkaProducer {
    /// Registers the `transactional.id` with the coordinator and fences older producers with it.
    /// Call once before the first ``beginTransaction()``.
    public func initTransactions(timeout: Duration = .seconds(30)) async throws(KafkaError) {
        let (handle, milliseconds) = (handle, Int32(clamping: timeout.milliseconds))
        try await blockingCalls.run { () throws(KafkaError) in
            if let error = rd_kafka_init_transactions(handle.handle, milliseconds) {
                throw KafkaError.consuming(error, code: .transaction, context: "init transactions")
            }
        }
    }

    /// Starts a transaction; messages sent until commit or abort belong to it.
    public func beginTransaction() throws(KafkaError) {
        if let error = rd_kafka_begin_transaction(handle.handle) {
            throw KafkaError.consuming(error, code: .transaction, context: "begin transaction")
        }
    }

    /// Adds a consumer's next offsets (the offset after the last processed message, per partition)
    /// to the current transaction: they are committed for the consumer's group if and only if the
    /// transaction commits.
    public func sendOffsetsToTransaction(
        _ offsets: [KafkaTopicPartition: Int64], consumer: KafkaConsumer, timeout: Duration = .seconds(30)
    ) async throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        guard let metadata = rd_kafka_consumer_group_metadata(consumer.handle.handle) else {
            throw KafkaError(code: .transaction, message: "the consumer has no group metadata (is it closed?)")
        }
        let groupMetadata = GroupMetadata(metadata)
        let (handle, milliseconds) = (handle, Int32(clamping: timeout.milliseconds))
        let entries = offsets.map { ($0.key, KafkaOffset($0.value)) }
        try await blockingCalls.run { () throws(KafkaError) in
            try RdKafkaTopicPartitionList.withList(entries) { list throws(KafkaError) in
                if let error = rd_kafka_send_offsets_to_transaction(handle.handle, list, groupMetadata.pointer, milliseconds) {
                    throw KafkaError.consuming(error, code: .transaction, context: "send offsets to transaction")
                }
            }
        }
    }

    /// Commits the current transaction (flushing its messages first).
    /// - Throws: a ``KafkaError`` whose `transactionRequiresAbort` says to call ``abortTransaction(timeout:)``,
    ///   or whose `isRetriable` says the commit may be tried again.
    public func commitTransaction(timeout: Duration = .seconds(60)) async throws(KafkaError) {
        let (handle, milliseconds) = (handle, Int32(clamping: timeout.milliseconds))
        try await blockingCalls.run { () throws(KafkaError) in
            if let error = rd_kafka_commit_transaction(handle.handle, milliseconds) {
                throw KafkaError.consuming(error, code: .transaction, context: "commit transaction")
            }
        }
    }

    /// Aborts the current transaction: its messages are never seen by `read_committed` readers.
    public func abortTransaction(timeout: Duration = .seconds(60)) async throws(KafkaError) {
        let (handle, milliseconds) = (handle, Int32(clamping: timeout.milliseconds))
        try await blockingCalls.run { () throws(KafkaError) in
            if let error = rd_kafka_abort_transaction(handle.handle, milliseconds) {
                throw KafkaError.consuming(error, code: .transaction, context: "abort transaction")
            }
        }
    }
}

/// Owns an `rd_kafka_consumer_group_metadata_t`.
private final class GroupMetadata: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { rd_kafka_consumer_group_metadata_destroy(pointer) }
}
