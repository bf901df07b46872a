public import HubContracts
public import Hummingbird

/// Reads a JSON request body field by field, collecting every problem (with its JSON path) so
/// the caller hears all of them in one 422, and refusing members it does not know.
public struct RequestFields {
    public static let limits = InputLimits(maxMessageBytes: 1 << 20, maxStringLength: 4_000, maxArrayCount: 1_000, maxObjectMembers: 64, maxDepth: 8)
    /// For a body that carries one long list of ids (a permission group's dealers: up to 60,000),
    /// still within one Kafka message.
    public static let longListLimits = InputLimits(maxMessageBytes: 1 << 20, maxStringLength: 4_000, maxArrayCount: 60_000, maxObjectMembers: 64, maxDepth: 8)

    private let members: [String: JSONValue]
    private let path: String
    public private(set) var issues: [String] = []

    public init(_ object: [String: JSONValue], path: String = "") {
        members = object
        self.path = path
    }

    /// The body as one JSON object; 400 when it is not JSON or not an object, 413 past the limits.
    public static func body(of request: Request, context: some RequestContext, limits: InputLimits = Self.limits) async throws -> [String: JSONValue] {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let json: JSONValue
        do {
            json = try JSONParser.parse(Array(buffer.readableBytesView), limits: limits)
        } catch {
            throw APIProblem.badRequest("the body is not JSON: \(error)")
        }
        guard let object = json.objectValue else { throw APIProblem.badRequest("the body must be a JSON object, not \(json.typeName)") }
        return object
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public mutating func fail(_ key: String, _ problem: String) { issues.append("\(name(key)): \(problem)") }

    /// Refuses members other than `known`.
    public mutating func allowOnly(_ known: Set<String>) {
        for key in members.keys.sorted() where !known.contains(key) {
            fail(key, "is not a field here (known: \(known.sorted().joined(separator: ", ")))")
        }
    }

    public func has(_ key: String) -> Bool { members[key] != nil && members[key] != .null }

    /// Whether the member is there and `null` (a field cleared, as against left out).
    public func isNull(_ key: String) -> Bool { members[key] == .null }

    public mutating func string(_ key: String, required: Bool = false, maxLength: Int = 200) -> String? {
        guard let value = members[key], value != .null else {
            if required { fail(key, "is required") }
            return nil
        }
        guard let text = value.stringValue else { fail(key, "must be a string, not \(value.typeName)"); return nil }
        guard text.count <= maxLength else { fail(key, "is longer than \(maxLength) characters"); return nil }
        if required && text.isEmpty { fail(key, "must not be empty"); return nil }
        return text
    }

    public mutating func boolean(_ key: String) -> Bool? {
        guard let value = members[key], value != .null else { return nil }
        guard case .bool(let flag) = value else { fail(key, "must be true or false, not \(value.typeName)"); return nil }
        return flag
    }

    /// A list of short texts (at most `count` of them, each non-empty and at most `maxLength`).
    public mutating func strings(_ key: String, count: ClosedRange<Int> = 0...200, maxLength: Int = 60) -> [String]? {
        guard let value = members[key], value != .null else { return nil }
        guard case .array(let items) = value else { fail(key, "must be an array of strings, not \(value.typeName)"); return nil }
        guard count.contains(items.count) else { fail(key, "must have \(count.lowerBound) to \(count.upperBound) items"); return nil }
        var texts: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item.stringValue, !text.isEmpty, text.count <= maxLength else {
                fail("\(key)[\(index)]", "must be a non-empty string of at most \(maxLength) characters"); return nil
            }
            texts.append(text)
        }
        return texts
    }

    /// An identifier as the catalogue defines it: letters, digits, `. _ : -`, at most 64.
    public mutating func identifier(_ key: String, required: Bool = false) -> String? {
        guard let text = string(key, required: required, maxLength: 64) else { return nil }
        guard Self.isIdentifier(text) else { fail(key, "\"\(text)\" is not an identifier (letters, digits, . _ : -, at most 64)"); return nil }
        return text
    }

    /// A decimal written as a string ("12.5") or a JSON integer; `positive` refuses 0 and below.
    public mutating func decimal(_ key: String, required: Bool = false, positive: Bool = false) -> DecimalNumber? {
        guard let value = members[key], value != .null else {
            if required { fail(key, "is required") }
            return nil
        }
        let text: String
        if let string = value.stringValue {
            text = string
        } else if case .number(let written) = value, value.isInteger {
            text = written
        } else {
            fail(key, "must be a decimal written as a string, e.g. \"12.5\"")
            return nil
        }
        guard text.utf8.count <= 24, let number = DecimalNumber(text) else { fail(key, "\"\(text.prefix(24))\" is not a decimal (at most 6 decimals)"); return nil }
        if positive && number.value <= 0 { fail(key, "must be greater than 0 (got \(text))"); return nil }
        return number
    }

    public mutating func integer(_ key: String, required: Bool = false, range: ClosedRange<Int>) -> Int? {
        guard let value = members[key], value != .null else {
            if required { fail(key, "is required") }
            return nil
        }
        guard value.isInteger, let number = value.doubleValue, number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            fail(key, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return Int(number)
    }

    /// An array of integers, each within `range` (the options chosen of a question).
    public mutating func integers(_ key: String, count: ClosedRange<Int>, range: ClosedRange<Int>) -> [Int]? {
        guard let value = members[key], value != .null else { return nil }
        guard let items = value.arrayValue, count.contains(items.count) else { fail(key, "must be an array of \(count.lowerBound) to \(count.upperBound) integers"); return nil }
        let numbers = items.compactMap { item -> Int? in
            guard item.isInteger, let number = item.doubleValue, number >= Double(range.lowerBound), number <= Double(range.upperBound) else { return nil }
            return Int(number)
        }
        guard numbers.count == items.count else { fail(key, "integers from \(range.lowerBound) to \(range.upperBound)"); return nil }
        return numbers
    }

    /// A JSON number within `range` (coordinates, speeds).
    public mutating func number(_ key: String, required: Bool = false, range: ClosedRange<Double>) -> Double? {
        guard let value = members[key], value != .null else {
            if required { fail(key, "is required") }
            return nil
        }
        guard case .number = value, let number = value.doubleValue, range.contains(number) else {
            fail(key, "must be a number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return number
    }

    public mutating func date(_ key: String, required: Bool = false) -> CalendarDate? {
        guard let text = string(key, required: required, maxLength: 10) else { return nil }
        guard let date = CalendarDate(text) else { fail(key, "\"\(text)\" is not a date (yyyy-MM-dd)"); return nil }
        return date
    }

    public mutating func timestamp(_ key: String, required: Bool = false) -> Timestamp? {
        guard let text = string(key, required: required, maxLength: 40) else { return nil }
        guard let time = Timestamp(parsing: text) else { fail(key, "\"\(text)\" is not an RFC 3339 time in UTC (…Z)"); return nil }
        return time
    }

    public mutating func objects(_ key: String, required: Bool = false, count: ClosedRange<Int>) -> [RequestFields] {
        guard let value = members[key], value != .null else {
            if required { fail(key, "is required") }
            return []
        }
        guard let items = value.arrayValue else { fail(key, "must be an array, not \(value.typeName)"); return [] }
        guard count.contains(items.count) else { fail(key, "must hold \(count.lowerBound) to \(count.upperBound) items (has \(items.count))"); return [] }
        var objects: [RequestFields] = []
        for (index, item) in items.enumerated() {
            guard let object = item.objectValue else { fail("\(key)[\(index)]", "must be an object"); continue }
            objects.append(RequestFields(object, path: name("\(key)[\(index)]")))
        }
        return objects
    }

    public mutating func object(_ key: String) -> RequestFields? {
        guard let value = members[key], value != .null else { return nil }
        guard let object = value.objectValue else { fail(key, "must be an object"); return nil }
        return RequestFields(object, path: name(key))
    }

    /// Takes a nested reader's issues into this one.
    public mutating func absorb(_ nested: RequestFields) { issues += nested.issues }

    /// Throws 422 with every issue when there is any.
    public func check(_ what: String) throws(APIProblem) {
        guard !issues.isEmpty else { return }
        throw APIProblem.unprocessable("the \(what) is not valid: \(issues.count == 1 ? issues[0] : "\(issues.count) problems (see issues)")", issues: issues)
    }

    public static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= 64 else { return false }
        func plain(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)) }
        return plain(first) && text.unicodeScalars.allSatisfy { plain($0) || $0 == "." || $0 == "_" || $0 == ":" || $0 == "-" }
    }
}
