public import Foundation
public import Kafka
import Yams
public import HubGateway

/// A LubeHub configuration file (YAML): where Kafka is and how to reach it securely, where the
/// state lives, and the core's settings. Every key may be left out; what is missing keeps the
/// embedded default (the local broker, `./data/hub.sqlite`). Secrets are never written in the file:
/// it names the environment variables that hold them.
public struct HubConfiguration: Decodable, Sendable {
    public struct KafkaSection: Decodable, Sendable {
        public var bootstrap: [String] = ["127.0.0.1:9092"]
        /// Start the local broker (scripts/broker) when nothing answers at `bootstrap`.
        public var startLocalBroker = true
        /// `plaintext`, `ssl`, `sasl_plaintext` or `sasl_ssl`.
        public var securityProtocol = "plaintext"
        /// `PLAIN`, `SCRAM-SHA-256` or `SCRAM-SHA-512` (with a sasl_ protocol).
        public var saslMechanism: String?
        public var saslUsername: String?
        /// The environment variable holding the SASL password.
        public var saslPasswordEnv: String?
        public var sslCaLocation: String?
        public var sslCertificateLocation: String?
        public var sslKeyLocation: String?
        /// Further librdkafka properties, applied last.
        public var properties: [String: String] = [:]
        /// The most partitions a topic the hub creates gets (the catalogue's count, if fewer).
        /// Unset in a file, it is 1 while `startLocalBroker` holds: one single-node broker on the
        /// hub's own machine has nothing to spread, and tansu spends CPU on every partition of
        /// every fetch (idle, the embedded hub on the catalogue's partitions kept it at a core).
        /// With `startLocalBroker: false` the catalogue's counts stand.
        public var maxPartitions: Int? = 1

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            bootstrap = try container.decodeIfPresent([String].self, forKey: .bootstrap) ?? bootstrap
            startLocalBroker = try container.decodeIfPresent(Bool.self, forKey: .startLocalBroker) ?? startLocalBroker
            securityProtocol = try container.decodeIfPresent(String.self, forKey: .securityProtocol) ?? securityProtocol
            saslMechanism = try container.decodeIfPresent(String.self, forKey: .saslMechanism)
            saslUsername = try container.decodeIfPresent(String.self, forKey: .saslUsername)
            saslPasswordEnv = try container.decodeIfPresent(String.self, forKey: .saslPasswordEnv)
            sslCaLocation = try container.decodeIfPresent(String.self, forKey: .sslCaLocation)
            sslCertificateLocation = try container.decodeIfPresent(String.self, forKey: .sslCertificateLocation)
            sslKeyLocation = try container.decodeIfPresent(String.self, forKey: .sslKeyLocation)
            properties = try container.decodeIfPresent([String: String].self, forKey: .properties) ?? [:]
            maxPartitions = try container.decodeIfPresent(Int.self, forKey: .maxPartitions) ?? (startLocalBroker ? 1 : nil)
            if let maxPartitions, maxPartitions < 1 {
                throw ConfigurationError("kafka.maxPartitions is \(maxPartitions): a topic needs at least 1 partition (leave it out for the catalogue's counts)")
            }
        }

        enum CodingKeys: String, CodingKey {
            case bootstrap, startLocalBroker, securityProtocol, saslMechanism, saslUsername, saslPasswordEnv
            case sslCaLocation, sslCertificateLocation, sslKeyLocation, properties, maxPartitions
        }

        /// The client configuration, with the password read from its environment variable.
        public func client(clientID: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> KafkaClientConfiguration {
            let tls = KafkaTLS(caLocation: sslCaLocation, certificateLocation: sslCertificateLocation, keyLocation: sslKeyLocation)
            let security: KafkaSecurity
            switch securityProtocol {
            case "plaintext": security = .plaintext
            case "ssl": security = .ssl(tls)
            case "sasl_plaintext", "sasl_ssl":
                guard let username = saslUsername, let variable = saslPasswordEnv else {
                    throw ConfigurationError("kafka.securityProtocol \(securityProtocol) needs kafka.saslUsername and kafka.saslPasswordEnv")
                }
                guard let password = environment[variable], !password.isEmpty else {
                    throw ConfigurationError("kafka.saslPasswordEnv names \(variable), which is not set: export the SASL password in it")
                }
                let overTLS = securityProtocol == "sasl_ssl" ? tls : nil
                switch saslMechanism ?? "PLAIN" {
                case "PLAIN": security = .saslPlain(username: username, password: password, tls: overTLS)
                case "SCRAM-SHA-256": security = .saslScram(mechanism: .sha256, username: username, password: password, tls: overTLS)
                case "SCRAM-SHA-512": security = .saslScram(mechanism: .sha512, username: username, password: password, tls: overTLS)
                case let other: throw ConfigurationError("kafka.saslMechanism \(other) is not one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512")
                }
            case let other:
                throw ConfigurationError("kafka.securityProtocol \(other) is not one of plaintext, ssl, sasl_plaintext, sasl_ssl")
            }
            return KafkaClientConfiguration(bootstrapServers: bootstrap, clientID: clientID, security: security, properties: properties)
        }
    }

    /// Where the Prometheus text of every metric is written, and how often (0: not written).
    public struct MetricsSection: Decodable, Sendable {
        public var file = "data/metrics.prom"
        public var intervalSeconds = 15

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            file = try container.decodeIfPresent(String.self, forKey: .file) ?? file
            intervalSeconds = try container.decodeIfPresent(Int.self, forKey: .intervalSeconds) ?? intervalSeconds
        }

        enum CodingKeys: String, CodingKey { case file, intervalSeconds }
    }

    /// The gateways trucks connect to: `gateway.jt808` (see ``JT808GatewayLimits`` for each setting).
    public struct GatewaySection: Decodable, Sendable {
        public struct JT808: Decodable, Sendable {
            /// Off: `lubehub serve` runs no JT/T 808 gateway (`lubehub gateway jt808` still can).
            public var enabled = true
            public var limits = JT808GatewayLimits()

            public init() {}

            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
                func value<T: Decodable>(_ key: CodingKeys, _ current: T) throws -> T { try container.decodeIfPresent(T.self, forKey: key) ?? current }
                limits.host = try value(.host, limits.host)
                limits.port = try value(.port, limits.port)
                limits.name = try container.decodeIfPresent(String.self, forKey: .name)
                limits.heartbeatSeconds = try value(.heartbeatSeconds, limits.heartbeatSeconds)
                limits.idleHeartbeats = try value(.idleHeartbeats, limits.idleHeartbeats)
                limits.maximumFrameBytes = try value(.maximumFrameBytes, limits.maximumFrameBytes)
                limits.maximumConnections = try value(.maximumConnections, limits.maximumConnections)
                limits.maximumConnectionsPerAddress = try value(.maximumConnectionsPerAddress, limits.maximumConnectionsPerAddress)
                limits.maximumFramesPerSecond = try value(.maximumFramesPerSecond, limits.maximumFramesPerSecond)
                limits.maximumBadFramesInARow = try value(.maximumBadFramesInARow, limits.maximumBadFramesInARow)
                limits.acknowledgementTimeoutSeconds = try value(.acknowledgementTimeoutSeconds, limits.acknowledgementTimeoutSeconds)
                guard (0...65_535).contains(limits.port) else { throw ConfigurationError("gateway.jt808.port \(limits.port) is not a TCP port") }
                guard limits.heartbeatSeconds > 0, limits.idleHeartbeats > 0 else {
                    throw ConfigurationError("gateway.jt808.heartbeatSeconds and idleHeartbeats must be above 0")
                }
                // A terminal waiting for the answer to a fix sends nothing: the wait must end before the idle timeout does.
                guard limits.acknowledgementTimeoutSeconds > 0, limits.acknowledgementTimeoutSeconds < limits.idleTimeoutSeconds else {
                    throw ConfigurationError("gateway.jt808.acknowledgementTimeoutSeconds (\(limits.acknowledgementTimeoutSeconds)) must be above 0 and below the idle timeout, heartbeatSeconds × idleHeartbeats (\(limits.idleTimeoutSeconds))")
                }
            }

            enum CodingKeys: String, CodingKey, CaseIterable {
                case enabled, name, host, port, heartbeatSeconds, idleHeartbeats, maximumFrameBytes, maximumConnections, maximumConnectionsPerAddress,
                     maximumFramesPerSecond, maximumBadFramesInARow, acknowledgementTimeoutSeconds
            }
        }

        public var jt808 = JT808()

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            jt808 = try container.decodeIfPresent(JT808.self, forKey: .jt808) ?? jt808
        }

        enum CodingKeys: String, CodingKey { case jt808 }
    }

    /// Where the HTTP API listens and how callers authenticate.
    public struct APISection: Decodable, Sendable {
        /// A carrier's, a dealer system's or a downstream system's API key: its SHA-256 (hex;
        /// `lubehub token api-key` makes one) and who it stands for.
        public struct APIKeyEntry: Decodable, Sendable, Equatable {
            public var sha256: String
            public var role: String
            public var subject: String
            public var carrier: String?
            /// The dealer a dealer system's key writes for (role `dealer`).
            public var dealer: String?

            public init(sha256: String, role: String, subject: String, carrier: String? = nil, dealer: String? = nil) {
                self.sha256 = sha256
                self.role = role
                self.subject = subject
                self.carrier = carrier
                self.dealer = dealer
            }
        }

        public var host = "127.0.0.1"
        public var port = 8080
        /// 32 random bytes (hex) made on first use: the HS256 key for tokens, and the key order ids are derived with.
        public var secretFile = "data/api-secret"
        /// Accept HS256 tokens signed with the secret (`lubehub token issue`); production may accept RS256 only.
        public var acceptHS256 = true
        /// RS256 public keys (PEM files) by key id, for tokens from the company's identity provider.
        public var rs256PublicKeys: [String: String] = [:]
        public var issuer = "lubehub"
        public var audience = "lubehub-api"
        public var apiKeys: [APIKeyEntry] = []
        /// How long a submit waits for the core's decision before it answers 202.
        public var decisionWaitMilliseconds = 2000
        /// /ready answers 503 while the core is more than this many messages behind on a topic.
        public var readyMaxLag = 10_000
        /// log2 of scrypt's N for password hashes (17: OWASP's minimum, 128 MiB, ~0.3 s a hash here;
        /// see PasswordHasher). Lower only for tests and demos on small machines.
        public var passwordCostLog2 = 17
        /// Mark the session cookie Secure: set it when the API is served over TLS (directly or by a proxy).
        public var secureCookie = false

        public init() {}

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            host = try container.decodeIfPresent(String.self, forKey: .host) ?? host
            port = try container.decodeIfPresent(Int.self, forKey: .port) ?? port
            secretFile = try container.decodeIfPresent(String.self, forKey: .secretFile) ?? secretFile
            acceptHS256 = try container.decodeIfPresent(Bool.self, forKey: .acceptHS256) ?? acceptHS256
            rs256PublicKeys = try container.decodeIfPresent([String: String].self, forKey: .rs256PublicKeys) ?? [:]
            issuer = try container.decodeIfPresent(String.self, forKey: .issuer) ?? issuer
            audience = try container.decodeIfPresent(String.self, forKey: .audience) ?? audience
            apiKeys = try container.decodeIfPresent([APIKeyEntry].self, forKey: .apiKeys) ?? []
            decisionWaitMilliseconds = try container.decodeIfPresent(Int.self, forKey: .decisionWaitMilliseconds) ?? decisionWaitMilliseconds
            readyMaxLag = try container.decodeIfPresent(Int.self, forKey: .readyMaxLag) ?? readyMaxLag
            passwordCostLog2 = try container.decodeIfPresent(Int.self, forKey: .passwordCostLog2) ?? passwordCostLog2
            secureCookie = try container.decodeIfPresent(Bool.self, forKey: .secureCookie) ?? secureCookie
        }

        enum CodingKeys: String, CodingKey {
            case host, port, secretFile, acceptHS256, rs256PublicKeys, issuer, audience, apiKeys, decisionWaitMilliseconds, readyMaxLag,
                 passwordCostLog2, secureCookie
        }
    }

    public var kafka = KafkaSection()
    public var core = CoreSettings.defaults
    public var metrics = MetricsSection()
    public var api = APISection()
    public var gateway = GatewaySection()

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kafka = try container.decodeIfPresent(KafkaSection.self, forKey: .kafka) ?? KafkaSection()
        core = try container.decodeIfPresent(CoreSettings.self, forKey: .core) ?? CoreSettings.defaults
        metrics = try container.decodeIfPresent(MetricsSection.self, forKey: .metrics) ?? MetricsSection()
        api = try container.decodeIfPresent(APISection.self, forKey: .api) ?? APISection()
        gateway = try container.decodeIfPresent(GatewaySection.self, forKey: .gateway) ?? GatewaySection()
    }

    enum CodingKeys: String, CodingKey { case kafka, core, metrics, api, gateway }

    /// Reads a file; `${NAME}` in it is replaced by the environment variable NAME (unset: an error).
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError) -> HubConfiguration {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError("cannot read the configuration file \(path)")
        }
        return try parse(text, source: path, environment: environment)
    }

    public static func parse(_ text: String, source: String, environment: [String: String]) throws(ConfigurationError) -> HubConfiguration {
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // Comments stay as written: they may well mention ${NAME} to explain it.
            if line.drop(while: { $0 == " " }).hasPrefix("#") {
                lines.append(String(line))
                continue
            }
            var expanded = ""
            var rest = line[...]
            while let open = rest.range(of: "${") {
                expanded += rest[..<open.lowerBound]
                guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                    throw ConfigurationError("\(source): an unclosed ${ in: \(line)")
                }
                let name = String(rest[open.upperBound..<close])
                guard let value = environment[name] else {
                    throw ConfigurationError("\(source) refers to ${\(name)}, which is not set in the environment")
                }
                expanded += value
                rest = rest[rest.index(after: close)...]
            }
            lines.append(expanded + rest)
        }
        let expanded = lines.joined(separator: "\n")
        try checkKeys(expanded, source: source)
        do {
            return try YAMLDecoder().decode(HubConfiguration.self, from: expanded)
        } catch let error as DecodingError {
            // A section's own check (a ConfigurationError) reaches here wrapped by the YAML decoder.
            if case .dataCorrupted(let context) = error, let inner = context.underlyingError as? ConfigurationError {
                throw ConfigurationError("\(source): \(inner.description)")
            }
            throw ConfigurationError("\(source): \(Self.describe(error))")
        } catch let error as ConfigurationError {
            throw ConfigurationError("\(source): \(error.description)")
        } catch {
            throw ConfigurationError("\(source) is not valid YAML: \(error)")
        }
    }

    /// A misspelt key would otherwise be ignored silently and its default used: refuse it instead.
    static func checkKeys(_ yaml: String, source: String) throws(ConfigurationError) {
        let document: Any?
        do {
            document = try Yams.load(yaml: yaml)
        } catch {
            throw ConfigurationError("\(source) is not valid YAML: \(error)")
        }
        guard let top = document as? [String: Any] else {
            if document == nil { return }
            throw ConfigurationError("\(source): the top level must be a mapping with kafka:, core:, metrics:, api: and gateway:")
        }
        let known: [String: Set<String>] = [
            "kafka": Set(Mirror(reflecting: KafkaSection()).children.compactMap(\.label)),
            "core": Set(Mirror(reflecting: CoreSettings.defaults).children.compactMap(\.label)),
            "metrics": Set(Mirror(reflecting: MetricsSection()).children.compactMap(\.label)),
            "api": Set(Mirror(reflecting: APISection()).children.compactMap(\.label)),
            "gateway": ["jt808"],
        ]
        for (section, value) in top {
            guard let keys = known[section] else {
                throw ConfigurationError("\(source): unknown section \(section) (known: \(known.keys.sorted().joined(separator: ", ")))")
            }
            for key in (value as? [String: Any] ?? [:]).keys where !keys.contains(key) {
                throw ConfigurationError("\(source): unknown key \(section).\(key) (known: \(keys.sorted().joined(separator: ", ")))")
            }
        }
        let jt808Keys = Set(GatewaySection.JT808.CodingKeys.allCases.map(\.rawValue))
        for key in ((top["gateway"] as? [String: Any])?["jt808"] as? [String: Any] ?? [:]).keys where !jt808Keys.contains(key) {
            throw ConfigurationError("\(source): unknown key gateway.jt808.\(key) (known: \(jt808Keys.sorted().joined(separator: ", ")))")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String { context.codingPath.map(\.stringValue).joined(separator: ".") }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(path(context)): missing \(key.stringValue)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// A configuration that cannot be used, and why.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
