import Foundation
import Synchronization

/// Checks JSON values against JSON Schema (draft 2020-12) documents, for the keywords the topic
/// catalogue uses: `$ref` (within a document and into `common.json`), `type`, `const`, `enum`,
/// string length, `pattern` and `format` (date-time, date), numeric bounds, `properties`,
/// `required`, `additionalProperties`, `items` with count bounds, `allOf`, `anyOf`, `oneOf`.
/// A `oneOf` whose branches each fix a property with `const` (the event `type`) is resolved by
/// that property, so the answer names the unknown type or the exact field that is wrong.
public struct SchemaValidator: Sendable {
    /// Documents `$ref` can point into, by name (e.g. `common.json`).
    private let documents: [String: JSONValue]
    /// References into those documents, resolved once (nearly every `$ref` points into `common.json`).
    private let resolvedReferences = ResolvedReferences()

    public init(documents: [String: JSONValue]) {
        self.documents = documents
    }

    /// Every issue of `value` against `schema`; empty when it conforms.
    public func validate(_ value: JSONValue, against schema: JSONValue) -> [SchemaIssue] {
        var issues: [SchemaIssue] = []
        check(value, schema, document: schema, path: "", into: &issues)
        return issues
    }

    private func check(_ value: JSONValue, _ schema: JSONValue, document: JSONValue, path: String, into issues: inout [SchemaIssue]) {
        guard case .object(let keywords) = schema else {
            if case .bool(false) = schema { issues.append(SchemaIssue(path: path, reason: "no value is allowed here")) }
            return
        }
        if let reference = keywords["$ref"]?.stringValue {
            guard let (target, targetDocument) = resolve(reference, in: document) else {
                issues.append(SchemaIssue(path: path, reason: "schema error: unresolvable $ref \(reference)"))
                return
            }
            check(value, target, document: targetDocument, path: path, into: &issues)
        }
        if let expected = keywords["type"], !matchesType(value, expected) {
            issues.append(SchemaIssue(path: path, reason: typeMismatch(value, expected)))
            return
        }
        if let constant = keywords["const"], !value.isEquivalent(to: constant) {
            issues.append(SchemaIssue(path: path, reason: "must be \(constant), got \(value)"))
        }
        if let allowed = keywords["enum"]?.arrayValue, !allowed.contains(where: { value.isEquivalent(to: $0) }) {
            let list = allowed.map(\.description).joined(separator: ", ")
            issues.append(SchemaIssue(path: path, reason: "unknown value \(value); allowed: \(list)"))
        }
        switch value {
        case .string(let text): checkString(text, keywords, path: path, into: &issues)
        case .number: checkNumber(value, keywords, path: path, into: &issues)
        case .object(let members): checkObject(members, keywords, document: document, path: path, into: &issues)
        case .array(let items): checkArray(items, keywords, document: document, path: path, into: &issues)
        default: break
        }
        for sub in keywords["allOf"]?.arrayValue ?? [] {
            check(value, sub, document: document, path: path, into: &issues)
        }
        if let branches = keywords["anyOf"]?.arrayValue {
            let results = branches.map { branch -> [SchemaIssue] in
                var found: [SchemaIssue] = []
                check(value, branch, document: document, path: path, into: &found)
                return found
            }
            if !results.contains(where: \.isEmpty) {
                issues += results.min { $0.count < $1.count } ?? []
            }
        }
        if let branches = keywords["oneOf"]?.arrayValue {
            checkOneOf(value, branches, document: document, path: path, into: &issues)
        }
    }

    private func checkOneOf(_ value: JSONValue, _ branches: [JSONValue], document: JSONValue, path: String, into issues: inout [SchemaIssue]) {
        // Discriminated: every branch fixes the same property with const.
        if let discriminator = discriminatorProperty(branches), case .object(let members) = value {
            guard let tag = members[discriminator] else {
                issues.append(SchemaIssue(path: join(path, discriminator), reason: "required field missing"))
                return
            }
            guard let branch = branches.first(where: { $0["properties"]?[discriminator]?["const"].map(tag.isEquivalent) ?? false }) else {
                let known = branches.compactMap { $0["properties"]?[discriminator]?["const"] }
                issues.append(SchemaIssue(path: join(path, discriminator), reason: "unknown value \(tag); known: \(known.map(\.description).joined(separator: ", "))"))
                return
            }
            check(value, branch, document: document, path: path, into: &issues)
            return
        }
        let results = branches.map { branch -> [SchemaIssue] in
            var found: [SchemaIssue] = []
            check(value, branch, document: document, path: path, into: &found)
            return found
        }
        let matching = results.filter(\.isEmpty).count
        if matching == 0 {
            issues += results.min { $0.count < $1.count } ?? [SchemaIssue(path: path, reason: "matches none of the allowed forms")]
        } else if matching > 1 {
            issues.append(SchemaIssue(path: path, reason: "matches \(matching) of the allowed forms; exactly one is required"))
        }
    }

    private func discriminatorProperty(_ branches: [JSONValue]) -> String? {
        guard let first = branches.first?["properties"]?.objectValue else { return nil }
        for (name, schema) in first where schema["const"] != nil {
            if branches.allSatisfy({ $0["properties"]?[name]?["const"] != nil }) { return name }
        }
        return nil
    }

    private func checkString(_ text: String, _ keywords: [String: JSONValue], path: String, into issues: inout [SchemaIssue]) {
        let length = text.unicodeScalars.count
        if let minimum = keywords["minLength"]?.doubleValue, Double(length) < minimum {
            issues.append(SchemaIssue(path: path, reason: minimum == 1 ? "must not be empty" : "shorter than \(Int(minimum)) characters"))
        }
        if let maximum = keywords["maxLength"]?.doubleValue, Double(length) > maximum {
            issues.append(SchemaIssue(path: path, reason: "too long: \(length) characters, at most \(Int(maximum))"))
        }
        if let pattern = keywords["pattern"]?.stringValue, !PatternCache.shared.matches(text, pattern) {
            let expectation = keywords["description"]?.stringValue ?? "the pattern \(pattern)"
            issues.append(SchemaIssue(path: path, reason: "\(JSONValue.string(String(text.prefix(80)))) is not valid: expected \(expectation)"))
        }
        if let format = keywords["format"]?.stringValue {
            if format == "date-time", !Self.isDateTime(text) {
                issues.append(SchemaIssue(path: path, reason: "\(JSONValue.string(String(text.prefix(80)))) is not an RFC 3339 date-time"))
            } else if format == "date", !Self.isDate(text) {
                issues.append(SchemaIssue(path: path, reason: "\(JSONValue.string(String(text.prefix(80)))) is not a calendar date (YYYY-MM-DD)"))
            }
        }
    }

    private func checkNumber(_ value: JSONValue, _ keywords: [String: JSONValue], path: String, into issues: inout [SchemaIssue]) {
        guard let number = value.doubleValue else { return }
        if let minimum = keywords["minimum"]?.doubleValue, number < minimum {
            issues.append(SchemaIssue(path: path, reason: "\(value) is below the minimum \(keywords["minimum"]!)"))
        }
        if let maximum = keywords["maximum"]?.doubleValue, number > maximum {
            issues.append(SchemaIssue(path: path, reason: "\(value) is above the maximum \(keywords["maximum"]!)"))
        }
        if let minimum = keywords["exclusiveMinimum"]?.doubleValue, number <= minimum {
            issues.append(SchemaIssue(path: path, reason: "\(value) must be greater than \(keywords["exclusiveMinimum"]!)"))
        }
        if let maximum = keywords["exclusiveMaximum"]?.doubleValue, number >= maximum {
            issues.append(SchemaIssue(path: path, reason: "\(value) must be less than \(keywords["exclusiveMaximum"]!)"))
        }
    }

    private func checkObject(_ members: [String: JSONValue], _ keywords: [String: JSONValue], document: JSONValue, path: String, into issues: inout [SchemaIssue]) {
        let properties = keywords["properties"]?.objectValue ?? [:]
        for name in keywords["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
            issues.append(SchemaIssue(path: join(path, name), reason: "required field missing"))
        }
        for name in members.keys.sorted() {
            let member = members[name]!
            if let schema = properties[name] {
                check(member, schema, document: document, path: join(path, name), into: &issues)
            } else if let additional = keywords["additionalProperties"] {
                if case .bool(false) = additional {
                    issues.append(SchemaIssue(path: join(path, name), reason: "unknown field"))
                } else {
                    check(member, additional, document: document, path: join(path, name), into: &issues)
                }
            }
        }
    }

    private func checkArray(_ items: [JSONValue], _ keywords: [String: JSONValue], document: JSONValue, path: String, into issues: inout [SchemaIssue]) {
        if let minimum = keywords["minItems"]?.doubleValue, Double(items.count) < minimum {
            issues.append(SchemaIssue(path: path, reason: "at least \(Int(minimum)) item\(minimum == 1 ? "" : "s") required, got \(items.count)"))
        }
        if let maximum = keywords["maxItems"]?.doubleValue, Double(items.count) > maximum {
            issues.append(SchemaIssue(path: path, reason: "too many items: \(items.count), at most \(Int(maximum))"))
        }
        if let schema = keywords["items"] {
            for (index, item) in items.enumerated() {
                check(item, schema, document: document, path: "\(path)[\(index)]", into: &issues)
            }
        }
    }

    private func matchesType(_ value: JSONValue, _ expected: JSONValue) -> Bool {
        let names = expected.arrayValue?.compactMap(\.stringValue) ?? [expected.stringValue ?? ""]
        let actual = value.typeName
        return names.contains(actual) || (actual == "integer" && names.contains("number"))
    }

    private func typeMismatch(_ value: JSONValue, _ expected: JSONValue) -> String {
        let names = expected.arrayValue?.compactMap(\.stringValue).joined(separator: " or ") ?? expected.stringValue ?? "?"
        var reason = "expected \(names), got \(value.typeName) \(String(value.description.prefix(40)))"
        if names == "string", case .number = value {
            reason += " (decimals such as money and quantities are written as strings, e.g. \"12.50\")"
        }
        return reason
    }

    /// Finds the schema a `$ref` names, and the document further local refs resolve in.
    private func resolve(_ reference: String, in document: JSONValue) -> (JSONValue, JSONValue)? {
        let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let base = parts.first.map(String.init) ?? ""
        if base.isEmpty { return Self.follow(parts.count == 2 ? parts[1] : nil, in: document) }
        return resolvedReferences.value(for: reference) { () -> (JSONValue, JSONValue)? in
            guard let named = documents[base] else { return nil }
            return Self.follow(parts.count == 2 ? parts[1] : nil, in: named)
        }
    }

    /// The node a JSON pointer names in `document` (the document itself without one), with the document.
    private static func follow(_ pointer: Substring?, in document: JSONValue) -> (JSONValue, JSONValue)? {
        guard let pointer else { return (document, document) }
        var node = document
        for token in pointer.split(separator: "/") {
            let key = token.contains("~") ? token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") : String(token)
            guard let next = node[key] else { return nil }
            node = next
        }
        return (node, document)
    }

    private func join(_ path: String, _ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return false }
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    static func isDateTime(_ text: String) -> Bool {
        guard text.count >= 20, let separator = text.firstIndex(where: { $0 == "T" || $0 == "t" }) else { return false }
        guard isDate(String(text[..<separator])) else { return false }
        let time = text[text.index(after: separator)...]
        let clock = time.prefix(8).split(separator: ":")
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]) else { return false }
        guard hour < 24, minute < 60, second <= 60 else { return false }
        var rest = time.dropFirst(8)
        if rest.first == "." {
            rest = rest.dropFirst()
            let fraction = rest.prefix { $0.isASCII && $0.isNumber }
            guard !fraction.isEmpty else { return false }
            rest = rest.dropFirst(fraction.count)
        }
        if rest == "Z" || rest == "z" { return true }
        guard rest.count == 6, rest.first == "+" || rest.first == "-" else { return false }
        let offset = rest.dropFirst().split(separator: ":")
        guard offset.count == 2, let offsetHour = Int(offset[0]), let offsetMinute = Int(offset[1]) else { return false }
        return offsetHour < 24 && offsetMinute < 60
    }
}

/// `$ref`s into named documents, resolved once per validator.
final class ResolvedReferences: Sendable {
    private let resolved = Mutex<[String: (JSONValue, JSONValue)]>([:])

    func value(for reference: String, resolving: () -> (JSONValue, JSONValue)?) -> (JSONValue, JSONValue)? {
        if let found = resolved.withLock({ $0[reference] }) { return found }
        guard let made = resolving() else { return nil }
        resolved.withLock { $0[reference] = made }
        return made
    }
}

/// Compiled patterns, shared: a schema's patterns are compiled once per process (by
/// ``SchemaPattern`` where it can, else by `NSRegularExpression`).
final class PatternCache: Sendable {
    enum Compiled: @unchecked Sendable {
        case own(SchemaPattern)
        case foundation(NSRegularExpression)
        case invalid
    }

    static let shared = PatternCache()
    private let compiled = Mutex<[String: Compiled]>([:])

    func matches(_ text: String, _ pattern: String) -> Bool {
        let expression = compiled.withLock { cache -> Compiled in
            if let found = cache[pattern] { return found }
            let made: Compiled = if let own = SchemaPattern(pattern) {
                .own(own)
            } else if let foundation = try? NSRegularExpression(pattern: pattern) {
                .foundation(foundation)
            } else {
                .invalid
            }
            cache[pattern] = made
            return made
        }
        switch expression {
        case .own(let own):
            return own.matches(text)
        case .foundation(let foundation):
            return foundation.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        case .invalid:
            return false
        }
    }
}
