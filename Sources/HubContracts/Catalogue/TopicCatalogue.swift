public import Foundation

/// Why the catalogue could not be read: which file and what is wrong in it.
public struct CatalogueError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String
    public var description: String { "topic catalogue \(file): \(reason)" }
}

/// The topic catalogue: every topic file of a `topics/` directory and the shared definitions,
/// with validation of a value against its topic's schema.
public struct TopicCatalogue: Sendable {
    public let topics: [TopicDefinition]
    private let byName: [String: TopicDefinition]
    private let validator: SchemaValidator
    /// Each topic's schema, compiled when the catalogue is made.
    private let schemas: [String: CompiledSchema]
    public let limits: InputLimits

    /// The file of shared definitions schemas point into with `common.json#/$defs/…`.
    public static let commonFile = "common.json"

    public init(topics: [TopicDefinition], common: JSONValue, limits: InputLimits = .standard) {
        self.topics = topics.sorted { $0.name < $1.name }
        self.byName = Dictionary(topics.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let validator = SchemaValidator(documents: [Self.commonFile: common])
        self.validator = validator
        self.schemas = byName.compactMapValues { $0.schema.map(validator.compile) }
        self.limits = limits
    }

    /// Reads every `*.json` topic file and `common.json` from `directory`.
    public static func load(directory: URL, limits: InputLimits = .standard) throws(CatalogueError) -> TopicCatalogue {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw CatalogueError(file: directory.path, reason: "cannot list the directory: \(error.localizedDescription)")
        }
        func read(_ file: String) throws(CatalogueError) -> JSONValue {
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file).path) else {
                throw CatalogueError(file: file, reason: "cannot be read")
            }
            do {
                return try JSONParser.parse(Array(data), limits: InputLimits(maxMessageBytes: 8 << 20, maxArrayCount: 1_000_000, maxObjectMembers: 10_000, maxDepth: 64))
            } catch {
                throw CatalogueError(file: file, reason: error.description)
            }
        }
        guard files.contains(commonFile) else { throw CatalogueError(file: commonFile, reason: "missing from \(directory.path)") }
        let common = try read(commonFile)
        var topics: [TopicDefinition] = []
        for file in files where file != commonFile {
            let topic = try TopicDefinition(file: file, json: try read(file))
            guard file == topic.name + ".json" else { throw CatalogueError(file: file, reason: "holds topic \(topic.name); the file must be named \(topic.name).json") }
            topics.append(topic)
        }
        return TopicCatalogue(topics: topics, common: common, limits: limits)
    }

    public subscript(name: String) -> TopicDefinition? { byName[name] }

    /// The verdict on one message for one topic.
    public enum Verdict: Sendable, Equatable {
        case valid
        case invalid([SchemaIssue])
        /// The topic's format is not JSON; its decoder (named) is what checks it.
        case notJSON(format: String, decoder: String?)
        case unknownTopic
    }

    /// Checks a message value against its topic: limits and JSON syntax first, then the schema.
    public func validate(topic name: String, value bytes: [UInt8]) -> Verdict {
        guard let topic = byName[name] else { return .unknownTopic }
        guard topic.isJSON, let schema = schemas[name] else { return .notJSON(format: topic.format, decoder: topic.decoder) }
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes, limits: limits)
        } catch {
            return .invalid([SchemaIssue(path: "", reason: error.description)])
        }
        let issues = validator.validate(json, against: schema)
        return issues.isEmpty ? .valid : .invalid(issues)
    }

    /// Checks an already parsed value against a topic's schema.
    public func validate(topic: TopicDefinition, json: JSONValue) -> [SchemaIssue] {
        guard let schema = topic.schema else { return [] }
        return validator.validate(json, against: schemas[topic.name] ?? validator.compile(schema))
    }

    /// Finds the repository's `topics/` directory: `$LUBEHUB_TOPICS`, else `./topics`, else the
    /// one beside the build folder the running executable lives in.
    public static func defaultDirectory() -> URL {
        if let configured = ProcessInfo.processInfo.environment["LUBEHUB_TOPICS"] { return URL(fileURLWithPath: configured) }
        let local = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("topics")
        if FileManager.default.fileExists(atPath: local.appendingPathComponent(commonFile).path) { return local }
        var url = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        for _ in 0..<6 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("topics")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(commonFile).path) { return candidate }
        }
        return local
    }
}

extension TopicDefinition {
    /// Reads a topic file's JSON; says which field is missing or wrong.
    init(file: String, json: JSONValue) throws(CatalogueError) {
        func string(_ key: String, in object: JSONValue? = nil) throws(CatalogueError) -> String {
            guard let value = (object ?? json)[key]?.stringValue else { throw CatalogueError(file: file, reason: "\(key): a string is required") }
            return value
        }
        func integer(_ key: String) throws(CatalogueError) -> Int64 {
            guard let value = json[key], value.isInteger, let number = value.doubleValue else { throw CatalogueError(file: file, reason: "\(key): an integer is required") }
            return Int64(number)
        }
        guard let flow = Flow(rawValue: try string("flow")) else {
            throw CatalogueError(file: file, reason: "flow: one of \(Flow.allCases.map(\.rawValue).joined(separator: ", ")) is required")
        }
        let examples = try (json["examples"]?.arrayValue ?? []).map { (example: JSONValue) throws(CatalogueError) -> Example in
            Example(
                name: try string("name", in: example), note: example["note"]?.stringValue, key: example["key"]?.stringValue,
                value: example["value"], valueText: example["valueText"]?.stringValue, valueHex: example["valueHex"]?.stringValue,
                headers: (example["headers"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            )
        }
        let headers = (json["headers"]?.arrayValue ?? []).compactMap { header -> Header? in
            guard let name = header["name"]?.stringValue else { return nil }
            return Header(name: name, description: header["description"]?.stringValue ?? "", required: header["required"] == .bool(true))
        }
        self.init(
            name: try string("name"), flow: flow, purpose: try string("purpose"), owner: try string("owner"),
            consumers: json["consumers"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            partitions: Int32(clamping: try integer("partitions")),
            keyEntity: try string("entity", in: json["key"]), keyReason: try string("why", in: json["key"]),
            cleanupPolicy: try string("cleanupPolicy"), retentionMilliseconds: try integer("retentionMs"),
            configs: (json["configs"]?.objectValue ?? [:]).compactMapValues(\.stringValue),
            format: try string("format"), decoder: json["decoder"]?.stringValue, formatDescription: json["description"]?.stringValue,
            schema: json["schema"], eventTypes: json["eventTypes"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            headers: headers, examples: examples
        )
        if examples.count < 2 { throw CatalogueError(file: file, reason: "examples: at least two are required (a typical one and an edge case)") }
        if format == "json", schema == nil { throw CatalogueError(file: file, reason: "schema: a JSON topic needs its JSON Schema") }
        if format != "json", decoder == nil || formatDescription == nil {
            throw CatalogueError(file: file, reason: "a \(format) topic needs a decoder name and a precise description")
        }
    }
}
