internal import CRdKafka
import Logging

/// Serves librdkafka's rebalance callback: runs the application's hooks (and waits for them)
/// before revoking or after choosing start offsets, then applies the change with the call the
/// group's protocol (eager or cooperative) requires.
final class RebalanceCoordinator: @unchecked Sendable {
    private let listener: (any KafkaRebalanceListener)?
    private let logger: Logger
    private let consumerReference = ConditionLock<WeakConsumer>(WeakConsumer())

    private struct WeakConsumer { weak var consumer: KafkaConsumer? }

    init(listener: (any KafkaRebalanceListener)?, logger: Logger) {
        self.listener = listener
        self.logger = logger
    }

    func attach(_ consumer: KafkaConsumer) {
        consumerReference.withLock { $0.consumer = consumer }
    }

    func handle(_ rk: OpaquePointer, _ err: rd_kafka_resp_err_t, _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) {
        // NULL when the consumer is not (or no longer) in a group — seen on CI in a revoke as a
        // consumer closed: the unwrap trapped and took the test process down. No protocol known
        // means no incremental assignment to undo: the eager calls are the right ones then.
        let cooperative = rd_kafka_rebalance_protocol(rk).map { String(cString: $0) == "COOPERATIVE" } ?? false
        let partitions = RdKafkaTopicPartitionList.entries(list).map(\.0)
        let consumer = consumerReference.withLock { $0.consumer }
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            logger.info("partitions assigned", metadata: ["partitions": "\(partitions.map(\.description).joined(separator: ","))"])
            if let listener, let consumer, let list {
                let starts = waitFor { await listener.partitionsAssigned(partitions, consumer: consumer) }
                if !starts.isEmpty, let elements = list.pointee.elems {
                    for index in 0..<Int(list.pointee.cnt) {
                        let partition = KafkaTopicPartition(topic: String(cString: elements[index].topic), partition: elements[index].partition)
                        if let start = starts[partition] { elements[index].offset = start.rawValue }
                    }
                }
            }
            if cooperative {
                if let error = rd_kafka_incremental_assign(rk, list) {
                    logger.error("\(KafkaError.consuming(error, code: .rebalance, context: "incremental assign"))")
                }
            } else {
                let result = rd_kafka_assign(rk, list)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                    logger.error("\(KafkaError.rdkafka(.rebalance, result, context: "assign"))")
                }
            }
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            let lost = rd_kafka_assignment_lost(rk) != 0
            logger.info("partitions revoked", metadata: ["partitions": "\(partitions.map(\.description).joined(separator: ","))", "lost": "\(lost)"])
            if let listener, let consumer {
                waitFor { await listener.partitionsRevoked(partitions, lost: lost, consumer: consumer) }
            }
            if cooperative {
                if let error = rd_kafka_incremental_unassign(rk, list) {
                    logger.error("\(KafkaError.consuming(error, code: .rebalance, context: "incremental unassign"))")
                }
            } else {
                _ = rd_kafka_assign(rk, nil)
            }
        default:
            logger.error("rebalance failed: \(String(cString: rd_kafka_err2str(err)))")
            _ = rd_kafka_assign(rk, nil)
        }
    }

    /// Runs an async hook from the poll thread and blocks that (dedicated) thread until it is done.
    @discardableResult
    private func waitFor<T: Sendable>(_ operation: @escaping @Sendable () async -> T) -> T {
        let result = ConditionLock<T?>(nil)
        Task { let value = await operation(); result.withLock { $0 = value } }
        return result.wait(until: { $0 != nil }) { $0! }
    }
}
