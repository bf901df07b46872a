internal import CRdKafka
public import Logging

/// Topic administration: create, list, describe.
public final class KafkaAdmin: Sendable {
    private let client: RdKafkaClient
    private let blocking = BlockingCalls(label: "admin")

    public init(configuration: KafkaClientConfiguration, logger: Logger = Logger(label: "lubehub.kafka.admin")) throws(KafkaError) {
        // A producer-type handle would ask the broker to create any topic it looks up.
        let properties = configuration.librdkafkaProperties + [("allow.auto.create.topics", "false")]
            + configuration.passThroughProperties
        client = try RdKafkaClient(kind: .producer, properties: properties, callbacks: .init(logger: logger))
    }

    /// Creates topics; each answer says created, already there, or why it failed.
    public func createTopics(_ topics: [KafkaNewTopic], timeout: Duration = .seconds(30)) async throws(KafkaError) -> [String: KafkaTopicCreation] {
        guard !topics.isEmpty else { return [:] }
        let (client, milliseconds) = (client, Int32(clamping: timeout.milliseconds))
        return try await blocking.run { () throws(KafkaError) in
            var errstr = [CChar](repeating: 0, count: 512)
            var newTopics: [OpaquePointer?] = []
            defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
            for topic in topics {
                guard let newTopic = rd_kafka_NewTopic_new(topic.name, topic.partitions, topic.replicationFactor ?? -1, &errstr, errstr.count) else {
                    throw KafkaError(code: .admin, message: "topic \(topic.name): \(errstr.cString)")
                }
                newTopics.append(newTopic)
                for (name, value) in topic.configs.sorted(by: { $0.key < $1.key }) {
                    let err = rd_kafka_NewTopic_set_config(newTopic, name, value)
                    if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                        throw KafkaError.rdkafka(.admin, err, context: "topic \(topic.name) config \(name)=\(value)")
                    }
                }
            }
            let event = try AdminRequest(client: client, operation: RD_KAFKA_ADMIN_OP_CREATETOPICS, timeoutMilliseconds: milliseconds).run { options, queue in
                rd_kafka_CreateTopics(client.handle, &newTopics, newTopics.count, options, queue)
            }
            defer { rd_kafka_event_destroy(event) }
            var count = 0
            guard let result = rd_kafka_event_CreateTopics_result(event), let results = rd_kafka_CreateTopics_result_topics(result, &count) else {
                throw KafkaError(code: .admin, message: "create topics: the broker's answer had no topic results")
            }
            var outcome: [String: KafkaTopicCreation] = [:]
            for index in 0..<count {
                guard let topicResult = results[index] else { continue }
                let name = String(cString: rd_kafka_topic_result_name(topicResult))
                let err = rd_kafka_topic_result_error(topicResult)
                switch err {
                case RD_KAFKA_RESP_ERR_NO_ERROR: outcome[name] = .created
                case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS: outcome[name] = .alreadyExists
                default:
                    let reason = rd_kafka_topic_result_error_string(topicResult).map { String(cString: $0) } ?? String(cString: rd_kafka_err2str(err))
                    outcome[name] = .failed(reason)
                }
            }
            return outcome
        }
    }

    /// Names and partition counts of the topics on the cluster.
    public func listTopics(timeout: Duration = .seconds(10)) async throws(KafkaError) -> [String: Int32] {
        let (client, milliseconds) = (client, Int32(clamping: timeout.milliseconds))
        return try await blocking.run { () throws(KafkaError) in
            var metadata: UnsafePointer<rd_kafka_metadata>? = nil
            let err = rd_kafka_metadata(client.handle, 1, nil, &metadata, milliseconds)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
                throw KafkaError.rdkafka(.admin, err, context: "metadata request")
            }
            defer { rd_kafka_metadata_destroy(metadata) }
            var topics: [String: Int32] = [:]
            for index in 0..<Int(metadata.pointee.topic_cnt) {
                let topic = metadata.pointee.topics[index]
                if topic.err == RD_KAFKA_RESP_ERR_NO_ERROR { topics[String(cString: topic.topic)] = topic.partition_cnt }
            }
            return topics
        }
    }

    /// The end offset (high watermark: the offset the next record will get) of each partition of
    /// `topic`, asked of the partition leaders. What a consumer's lag is measured against.
    public func endOffsets(topic: String, timeout: Duration = .seconds(10)) async throws(KafkaError) -> [Int32: Int64] {
        guard let description = try await describeTopic(topic, timeout: timeout) else {
            throw KafkaError(code: .admin, message: "topic \(topic) does not exist")
        }
        let (client, milliseconds) = (client, Int32(clamping: timeout.milliseconds))
        return try await blocking.run { () throws(KafkaError) -> [Int32: Int64] in
            var ends: [Int32: Int64] = [:]
            for partition in 0..<description.partitions {
                var low: Int64 = 0
                var high: Int64 = 0
                let err = rd_kafka_query_watermark_offsets(client.handle, topic, partition, &low, &high, milliseconds)
                guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    throw KafkaError.rdkafka(.admin, err, context: "watermarks of \(topic)/\(partition)")
                }
                ends[partition] = high
            }
            return ends
        }
    }

    /// Partitions, replication factor and configs of one topic; `nil` if it does not exist.
    public func describeTopic(_ name: String, timeout: Duration = .seconds(10)) async throws(KafkaError) -> KafkaTopicDescription? {
        let (client, milliseconds) = (client, Int32(clamping: timeout.milliseconds))
        return try await blocking.run { () throws(KafkaError) -> KafkaTopicDescription? in
            guard let topic = rd_kafka_topic_new(client.handle, name, nil) else {
                throw KafkaError(code: .admin, message: "could not create a handle for topic \(name)")
            }
            defer { rd_kafka_topic_destroy(topic) }
            var metadata: UnsafePointer<rd_kafka_metadata>? = nil
            let err = rd_kafka_metadata(client.handle, 0, topic, &metadata, milliseconds)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
                throw KafkaError.rdkafka(.admin, err, context: "metadata for \(name)")
            }
            defer { rd_kafka_metadata_destroy(metadata) }
            guard metadata.pointee.topic_cnt > 0 else { return nil }
            let topicMetadata = metadata.pointee.topics[0]
            if topicMetadata.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || topicMetadata.partition_cnt == 0 { return nil }
            if topicMetadata.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                throw KafkaError.rdkafka(.admin, topicMetadata.err, context: "metadata for \(name)")
            }
            let replicas = topicMetadata.partitions.map { Int32($0[0].replica_cnt) } ?? 0
            return KafkaTopicDescription(
                name: name, partitions: topicMetadata.partition_cnt, replicationFactor: replicas,
                configs: try describeConfigs(client: client, topic: name, timeoutMilliseconds: milliseconds)
            )
        }
    }
}

private func describeConfigs(client: RdKafkaClient, topic: String, timeoutMilliseconds: Int32) throws(KafkaError) -> [String: KafkaConfigValue] {
    var resources: [OpaquePointer?] = [rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic)]
    defer { for resource in resources { rd_kafka_ConfigResource_destroy(resource) } }
    let event = try AdminRequest(client: client, operation: RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, timeoutMilliseconds: timeoutMilliseconds).run { options, queue in
        rd_kafka_DescribeConfigs(client.handle, &resources, resources.count, options, queue)
    }
    defer { rd_kafka_event_destroy(event) }
    var count = 0
    guard let result = rd_kafka_event_DescribeConfigs_result(event),
          let described = rd_kafka_DescribeConfigs_result_resources(result, &count), count > 0, let resource = described[0] else {
        throw KafkaError(code: .admin, message: "describe configs of \(topic): no resource in the answer")
    }
    let err = rd_kafka_ConfigResource_error(resource)
    if err != RD_KAFKA_RESP_ERR_NO_ERROR {
        throw KafkaError.rdkafka(.admin, err, context: "describe configs of \(topic)")
    }
    var entryCount = 0
    var configs: [String: KafkaConfigValue] = [:]
    if let entries = rd_kafka_ConfigResource_configs(resource, &entryCount) {
        for index in 0..<entryCount {
            guard let entry = entries[index] else { continue }
            configs[String(cString: rd_kafka_ConfigEntry_name(entry))] = KafkaConfigValue(
                value: rd_kafka_ConfigEntry_value(entry).map { String(cString: $0) },
                isDefault: rd_kafka_ConfigEntry_is_default(entry) != 0
            )
        }
    }
    return configs
}

/// One admin request: options, a private result queue, and the blocking wait for its event.
private struct AdminRequest {
    let client: RdKafkaClient
    let operation: rd_kafka_admin_op_t
    let timeoutMilliseconds: Int32

    /// Starts the request with `start` and returns its result event (the caller destroys it).
    func run(_ start: (OpaquePointer, OpaquePointer) -> Void) throws(KafkaError) -> OpaquePointer {
        guard let options = rd_kafka_AdminOptions_new(client.handle, operation), let queue = rd_kafka_queue_new(client.handle) else {
            throw KafkaError(code: .admin, message: "could not allocate admin options")
        }
        defer {
            rd_kafka_AdminOptions_destroy(options)
            rd_kafka_queue_destroy(queue)
        }
        var errstr = [CChar](repeating: 0, count: 512)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeoutMilliseconds, &errstr, errstr.count)
        if operation == RD_KAFKA_ADMIN_OP_CREATETOPICS {
            _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMilliseconds, &errstr, errstr.count)
        }
        start(options, queue)
        // The request's own timeout bounds it; the extra second only lets its timeout event arrive.
        guard let event = rd_kafka_queue_poll(queue, timeoutMilliseconds + 1000) else {
            throw KafkaError(code: .timedOut, message: "admin request got no answer in \(timeoutMilliseconds) ms", isRetriable: true)
        }
        let err = rd_kafka_event_error(event)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let text = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
            rd_kafka_event_destroy(event)
            throw KafkaError(code: .admin, message: "admin request failed: \(text)", librdkafkaCode: err.rawValue,
                             isRetriable: err == RD_KAFKA_RESP_ERR__TIMED_OUT || err == RD_KAFKA_RESP_ERR__TRANSPORT)
        }
        return event
    }
}
