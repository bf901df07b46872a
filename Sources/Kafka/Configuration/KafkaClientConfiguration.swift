/// What every Kafka client (producer, consumer, admin) needs: where the brokers are, who we are,
/// how to authenticate, and any other librdkafka property.
///
/// A `nil` value means "librdkafka's own default": the library never writes a copy of a default.
public struct KafkaClientConfiguration: Sendable {
    /// `host:port` of one or more brokers (librdkafka's `bootstrap.servers`).
    public var bootstrapServers: [String]
    /// librdkafka's `client.id`.
    public var clientID: String?
    /// Transport security and authentication.
    public var security: KafkaSecurity
    /// Any further librdkafka property, applied last so it overrides the typed values above.
    /// An unknown name or invalid value fails client creation with librdkafka's own message.
    public var properties: [String: String]

    /// The same connection under another `client.id` (each consumer and producer names itself).
    public func named(_ clientID: String) -> KafkaClientConfiguration {
        var client = self
        client.clientID = clientID
        return client
    }

    public init(
        bootstrapServers: [String] = ["127.0.0.1:9092"],
        clientID: String? = nil,
        security: KafkaSecurity = .plaintext,
        properties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.security = security
        self.properties = properties
    }

    /// ``properties`` in a stable order; appended last by every client so they override.
    var passThroughProperties: [(String, String)] {
        properties.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    var librdkafkaProperties: [(String, String)] {
        var result: [(String, String)] = [("bootstrap.servers", bootstrapServers.joined(separator: ","))]
        if let clientID { result.append(("client.id", clientID)) }
        result += security.librdkafkaProperties
        return result
    }
}

/// How a client secures its connection to the brokers.
public enum KafkaSecurity: Sendable {
    /// No TLS, no authentication (the local broker).
    case plaintext
    /// TLS, optionally with a client certificate.
    case ssl(KafkaTLS)
    /// SASL/PLAIN user and password, over TLS when `tls` is given.
    case saslPlain(username: String, password: String, tls: KafkaTLS?)
    /// SASL/SCRAM user and password, over TLS when `tls` is given.
    case saslScram(mechanism: ScramMechanism, username: String, password: String, tls: KafkaTLS?)

    public enum ScramMechanism: String, Sendable {
        case sha256 = "SCRAM-SHA-256"
        case sha512 = "SCRAM-SHA-512"
    }

    var librdkafkaProperties: [(String, String)] {
        switch self {
        case .plaintext:
            return [("security.protocol", "plaintext")]
        case .ssl(let tls):
            return [("security.protocol", "ssl")] + tls.librdkafkaProperties
        case .saslPlain(let username, let password, let tls):
            return [
                ("security.protocol", tls == nil ? "sasl_plaintext" : "sasl_ssl"),
                ("sasl.mechanism", "PLAIN"), ("sasl.username", username), ("sasl.password", password),
            ] + (tls?.librdkafkaProperties ?? [])
        case .saslScram(let mechanism, let username, let password, let tls):
            return [
                ("security.protocol", tls == nil ? "sasl_plaintext" : "sasl_ssl"),
                ("sasl.mechanism", mechanism.rawValue), ("sasl.username", username), ("sasl.password", password),
            ] + (tls?.librdkafkaProperties ?? [])
        }
    }
}

/// TLS files for a client. `nil` fields fall back to librdkafka's defaults (the system CA store).
public struct KafkaTLS: Sendable {
    public var caLocation: String?
    public var certificateLocation: String?
    public var keyLocation: String?
    public var keyPassword: String?
    /// librdkafka's `ssl.endpoint.identification.algorithm` (`https` or `none`).
    public var endpointIdentification: String?

    public init(
        caLocation: String? = nil, certificateLocation: String? = nil, keyLocation: String? = nil,
        keyPassword: String? = nil, endpointIdentification: String? = nil
    ) {
        self.caLocation = caLocation
        self.certificateLocation = certificateLocation
        self.keyLocation = keyLocation
        self.keyPassword = keyPassword
        self.endpointIdentification = endpointIdentification
    }

    var librdkafkaProperties: [(String, String)] {
        [
            ("ssl.ca.location", caLocation), ("ssl.certificate.location", certificateLocation),
            ("ssl.key.location", keyLocation), ("ssl.key.password", keyPassword),
            ("ssl.endpoint.identification.algorithm", endpointIdentification),
        ].compactMap { name, value in value.map { (name, $0) } }
    }
}

extension Duration {
    /// Whole milliseconds, rounded down, as librdkafka's `*.ms` properties take them.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
