import Foundation

/// Why bytes are not a canonical event: which field, and why.
public struct CanonicalEventError: Error, Sendable, CustomStringConvertible {
    public var field: String
    public var reason: String
    public var description: String { field.isEmpty ? reason : "\(field): \(reason)" }
}

/// A canonical event: the envelope every `hub.*` value travels in, and its typed data.
public struct CanonicalEvent: Sendable {
    /// Unique and stable across retries.
    public var id: String
    public var source: String
    public var occurredAt: Timestamp
    /// The entity the event is about; also the Kafka key.
    public var subject: String
    public var schemaVersion: Int
    /// The typed data; its case is the event's kind.
    public var data: EventData

    /// The event type, e.g. `order.accepted`: said by `data`.
    public var type: String { data.type }

    /// The event's kind; `nil` for a type this build does not know.
    public var kind: EventKind? { data.kind }

    public init(id: String, source: String, occurredAt: Timestamp, subject: String, schemaVersion: Int = 1, data: EventData) {
        self.id = id
        self.source = source
        self.occurredAt = occurredAt
        self.subject = subject
        self.schemaVersion = schemaVersion
        self.data = data
    }

    /// Reads an event; an unknown `type` keeps its data as JSON (``EventData/unknown(type:json:)``).
    public static func decode(_ bytes: [UInt8], limits: InputLimits = .standard) throws(CanonicalEventError) -> CanonicalEvent {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes, limits: limits)
        } catch {
            throw CanonicalEventError(field: "", reason: error.description)
        }
        return try decode(json)
    }

    /// Reads an event from parsed JSON.
    public static func decode(_ json: JSONValue) throws(CanonicalEventError) -> CanonicalEvent {
        func text(_ name: String) throws(CanonicalEventError) -> String {
            guard let value = json[name]?.stringValue else { throw CanonicalEventError(field: name, reason: "a string is required") }
            return value
        }
        let occurred = try text("occurredAt")
        guard let occurredAt = Timestamp(parsing: occurred) else {
            throw CanonicalEventError(field: "occurredAt", reason: "\"\(occurred)\" is not an RFC 3339 UTC timestamp")
        }
        // Range-checked before it becomes an Int: 1.3e34 is an integer in JSON and would trap in
        // Int(_:) (the fuzzer found it: one such message stopped whatever decoded it).
        guard let version = json["schemaVersion"], version.isInteger, let number = version.doubleValue, (1...1000).contains(number) else {
            throw CanonicalEventError(field: "schemaVersion", reason: "an integer from 1 to 1000 is required")
        }
        let schemaVersion = Int(number)
        guard let data = json["data"], case .object = data else { throw CanonicalEventError(field: "data", reason: "an object is required") }
        let type = try text("type")
        let payload: EventData
        do {
            payload = try EventData.decode(type: type, from: data)
        } catch let error as DecodingError {
            throw CanonicalEventError(field: "data", reason: "\(type): \(Self.describe(error))")
        } catch {
            throw CanonicalEventError(field: "data", reason: "\(type): \(error)")
        }
        return CanonicalEvent(
            id: try text("id"), source: try text("source"), occurredAt: occurredAt,
            subject: try text("subject"), schemaVersion: schemaVersion, data: payload
        )
    }

    /// The event as JSON (sorted keys), ready to publish.
    public func json() throws(CanonicalEventError) -> JSONValue {
        let data: JSONValue
        switch self.data {
        case .unknown(_, let json):
            data = json
        default:
            guard let payload = self.data.payload else { throw CanonicalEventError(field: "data", reason: "has no payload") }
            do {
                data = try JSONValueEncoder.encode(payload)
            } catch {
                throw CanonicalEventError(field: "data", reason: "cannot be encoded: \(error)")
            }
        }
        return .object([
            "id": .string(id), "type": .string(type), "source": .string(source), "occurredAt": .string(occurredAt.text),
            "subject": .string(subject), "schemaVersion": .number(String(schemaVersion)), "data": data,
        ])
    }

    /// The event's bytes, ready to publish: `json()` written out, written directly (``JSONBytesEncoder``);
    /// through `json()` for data of an unknown type, and to say where a value cannot be encoded.
    public func encoded() throws(CanonicalEventError) -> [UInt8] {
        if let payload = data.payload, let bytes = try? directlyEncoded(payload) { return bytes }
        return try json().bytes
    }

    /// The members of `json()` in key order: data, id, occurredAt, schemaVersion, source, subject, type.
    private func directlyEncoded(_ payload: any CanonicalPayload) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        bytes.append(contentsOf: #"{"data":"#.utf8)
        try JSONBytesEncoder.append(payload, to: &bytes)
        func member(_ key: String, _ text: String) {
            bytes.append(contentsOf: ",\"\(key)\":".utf8)
            JSONValue.writeString(text, to: &bytes)
        }
        member("id", id)
        member("occurredAt", occurredAt.text)
        bytes.append(contentsOf: #","schemaVersion":"#.utf8)
        bytes.append(contentsOf: String(schemaVersion).utf8)
        member("source", source)
        member("subject", subject)
        member("type", type)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".").description
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context).isEmpty ? "" : path(context) + ".")\(key.stringValue): required field missing"
        case .typeMismatch(_, let context): return "\(path(context)): \(context.debugDescription)"
        case .valueNotFound(_, let context): return "\(path(context)): a value is required"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
