internal import CRdKafka
import Logging

/// Owns one `rd_kafka_t` and the context its C callbacks reach through `rd_kafka_opaque`.
/// The handle is destroyed when this object goes away, never earlier, and never leaks.
final class RdKafkaClient: @unchecked Sendable {
    enum Kind { case producer, consumer }

    /// Receivers of librdkafka's callbacks. Fixed before the handle is created; the callbacks run
    /// on librdkafka's threads or on the thread that polls, so each handler must be thread-safe.
    final class Callbacks: @unchecked Sendable {
        let logger: Logger
        let onDelivery: (@Sendable (UnsafePointer<rd_kafka_message_t>) -> Void)?
        let onRebalance: (@Sendable (OpaquePointer, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) -> Void)?

        init(
            logger: Logger,
            onDelivery: (@Sendable (UnsafePointer<rd_kafka_message_t>) -> Void)? = nil,
            onRebalance: (@Sendable (OpaquePointer, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) -> Void)? = nil
        ) {
            self.logger = logger
            self.onDelivery = onDelivery
            self.onRebalance = onRebalance
        }
    }

    let handle: OpaquePointer
    private let callbacks: Unmanaged<Callbacks>

    var logger: Logger { callbacks.takeUnretainedValue().logger }

    init(kind: Kind, properties: [(String, String)], callbacks: Callbacks) throws(KafkaError) {
        try KafkaLibrary.checkVersion()
        let conf = try RdKafkaConfig.make(properties + [("log.queue", "false")])
        let context = Unmanaged.passRetained(callbacks)
        rd_kafka_conf_set_opaque(conf, context.toOpaque())
        rd_kafka_conf_set_log_cb(conf, rdKafkaLogCallback)
        rd_kafka_conf_set_error_cb(conf, rdKafkaErrorCallback)
        if callbacks.onDelivery != nil { rd_kafka_conf_set_dr_msg_cb(conf, rdKafkaDeliveryCallback) }
        if callbacks.onRebalance != nil { rd_kafka_conf_set_rebalance_cb(conf, rdKafkaRebalanceCallback) }
        if kind == .consumer { rd_kafka_conf_set_offset_commit_cb(conf, rdKafkaOffsetCommitCallback) }

        var errstr = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            context.release()
            throw KafkaError(code: .clientCreation, message: "rd_kafka_new failed: \(errstr.cString)")
        }
        self.handle = handle
        self.callbacks = context
    }

    deinit {
        rd_kafka_destroy(handle)
        callbacks.release()
    }

    /// The client's fatal error, if one was raised.
    func fatalError() -> KafkaError? {
        var errstr = [CChar](repeating: 0, count: 512)
        let err = rd_kafka_fatal_error(handle, &errstr, errstr.count)
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return KafkaError(code: .fatal, message: errstr.cString, librdkafkaCode: err.rawValue, isFatal: true)
    }

    static func callbacks(of rk: OpaquePointer?) -> Callbacks? {
        guard let rk, let opaque = rd_kafka_opaque(rk) else { return nil }
        return Unmanaged<Callbacks>.fromOpaque(opaque).takeUnretainedValue()
    }
}

private func rdKafkaLogCallback(_ rk: OpaquePointer?, _ level: Int32, _ facility: UnsafePointer<CChar>?, _ text: UnsafePointer<CChar>?) {
    guard let callbacks = RdKafkaClient.callbacks(of: rk) else { return }
    let logLevel: Logger.Level =
        switch level {
        case ...3: .error
        case 4: .warning
        case 5, 6: .info
        default: .debug
        }
    callbacks.logger.log(
        level: logLevel, "\(text.map { String(cString: $0) } ?? "")",
        metadata: ["librdkafka.facility": "\(facility.map { String(cString: $0) } ?? "")"]
    )
}

private func rdKafkaErrorCallback(_ rk: OpaquePointer?, _ err: Int32, _ reason: UnsafePointer<CChar>?, _ opaque: UnsafeMutableRawPointer?) {
    guard let callbacks = RdKafkaClient.callbacks(of: rk) else { return }
    let code = rd_kafka_resp_err_t(rawValue: err)
    // librdkafka retries transport errors by itself; they are worth a warning, not an error.
    let level: Logger.Level = code == RD_KAFKA_RESP_ERR__FATAL ? .critical : .warning
    callbacks.logger.log(
        level: level, "\(reason.map { String(cString: $0) } ?? String(cString: rd_kafka_err2str(code)))",
        metadata: ["librdkafka.error": "\(String(cString: rd_kafka_err2name(code)))"]
    )
}

private func rdKafkaDeliveryCallback(_ rk: OpaquePointer?, _ message: UnsafePointer<rd_kafka_message_t>?, _ opaque: UnsafeMutableRawPointer?) {
    guard let message, let callbacks = RdKafkaClient.callbacks(of: rk) else { return }
    callbacks.onDelivery?(message)
}

private func rdKafkaRebalanceCallback(
    _ rk: OpaquePointer?, _ err: rd_kafka_resp_err_t,
    _ partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, _ opaque: UnsafeMutableRawPointer?
) {
    guard let rk, let callbacks = RdKafkaClient.callbacks(of: rk) else { return }
    callbacks.onRebalance?(rk, err, partitions)
}

/// Reports failed commits (an asynchronous commit has no caller waiting for its result).
private func rdKafkaOffsetCommitCallback(
    _ rk: OpaquePointer?, _ err: rd_kafka_resp_err_t,
    _ offsets: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, _ opaque: UnsafeMutableRawPointer?
) {
    guard let callbacks = RdKafkaClient.callbacks(of: rk) else { return }
    let failed = RdKafkaTopicPartitionList.entries(offsets).filter { $0.2 != RD_KAFKA_RESP_ERR_NO_ERROR }
    // _NO_OFFSET means there was nothing new to commit: not a failure.
    guard err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET || !failed.isEmpty else { return }
    callbacks.logger.warning(
        "offset commit failed: \(String(cString: rd_kafka_err2str(err)))",
        metadata: ["partitions": "\(failed.map { "\($0.0)" }.joined(separator: ","))"]
    )
}
