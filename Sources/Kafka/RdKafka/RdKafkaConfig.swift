internal import CRdKafka

/// Builds an `rd_kafka_conf_t` from name/value pairs; an invalid one throws librdkafka's message.
enum RdKafkaConfig {
    /// Returns a new configuration the caller owns (until `rd_kafka_new` takes it).
    static func make(_ properties: [(String, String)]) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .invalidConfiguration, message: "rd_kafka_conf_new returned NULL (out of memory)")
        }
        for (name, value) in properties {
            var errstr = [CChar](repeating: 0, count: 512)
            let result = rd_kafka_conf_set(conf, name, value, &errstr, errstr.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let reason = String(decoding: errstr.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                throw KafkaError(
                    code: .invalidConfiguration,
                    message: "librdkafka rejected \(name)=\(name.contains("password") ? "***" : value): \(reason)"
                )
            }
        }
        return conf
    }
}

extension Array where Element == CChar {
    /// The NUL-terminated C string in this buffer.
    var cString: String {
        String(decoding: prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
