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
        var walk = Walk()
        check(value, schema, document: schema, &walk)
        return walk.issues
    }

    /// Where the check is (kept as steps, written out only for an issue) and what it found.
    private struct Walk {
        enum Step {
            case key(String)
            case index(Int)
        }

        var steps: [Step] = []
        var issues: [SchemaIssue] = []

        var path: String {
            var text = ""
            for step in steps {
                switch step {
                case .key(let name): text += text.isEmpty ? name : ".\(name)"
                case .index(let index): text += "[\(index)]"
                }
            }
            return text
        }

        mutating func add(_ reason: String) { issues.append(SchemaIssue(path: path, reason: reason)) }

        mutating func add(_ reason: String, at name: String) {
            steps.append(.key(name))
            add(reason)
            steps.removeLast()
        }

        /// A walk at the same place that has found nothing yet (a branch of anyOf or oneOf).
        var branch: Walk { Walk(steps: steps) }
    }

    private func check(_ value: JSONValue, _ schema: JSONValue, document: JSONValue, _ walk: inout Walk) {
        guard case .object(let keywords) = schema else {
            if case .bool(false) = schema { walk.add("no value is allowed here") }
            return
        }
        if let reference = keywords["$ref"]?.stringValue {
            guard let (target, targetDocument) = resolve(reference, in: document) else {
                walk.add("schema error: unresolvable $ref \(reference)")
                return
            }
            check(value, target, document: targetDocument, &walk)
        }
        if let expected = keywords["type"], !matchesType(value, expected) {
            walk.add(typeMismatch(value, expected))
            return
        }
        if let constant = keywords["const"], !value.isEquivalent(to: constant) {
            walk.add("must be \(constant), got \(value)")
        }
        if let allowed = keywords["enum"]?.arrayValue, !allowed.contains(where: { value.isEquivalent(to: $0) }) {
            let list = allowed.map(\.description).joined(separator: ", ")
            walk.add("unknown value \(value); allowed: \(list)")
        }
        switch value {
        case .string(let text): checkString(text, keywords, &walk)
        case .number: checkNumber(value, keywords, &walk)
        case .object(let members): checkObject(members, keywords, document: document, &walk)
        case .array(let items): checkArray(items, keywords, document: document, &walk)
        default: break
        }
        for sub in keywords["allOf"]?.arrayValue ?? [] {
            check(value, sub, document: document, &walk)
        }
        if let branches = keywords["anyOf"]?.arrayValue {
            let results = branches.map { branch -> [SchemaIssue] in
                var found = walk.branch
                check(value, branch, document: document, &found)
                return found.issues
            }
            if !results.contains(where: \.isEmpty) {
                walk.issues += results.min { $0.count < $1.count } ?? []
            }
        }
        if let branches = keywords["oneOf"]?.arrayValue {
            checkOneOf(value, branches, document: document, &walk)
        }
    }

    private func checkOneOf(_ value: JSONValue, _ branches: [JSONValue], document: JSONValue, _ walk: inout Walk) {
        // Discriminated: every branch fixes the same property with const.
        if let discriminator = discriminatorProperty(branches), case .object(let members) = value {
            guard let tag = members[discriminator] else {
                walk.add("required field missing", at: discriminator)
                return
            }
            guard let branch = branches.first(where: { $0["properties"]?[discriminator]?["const"].map(tag.isEquivalent) ?? false }) else {
                let known = branches.compactMap { $0["properties"]?[discriminator]?["const"] }
                walk.add("unknown value \(tag); known: \(known.map(\.description).joined(separator: ", "))", at: discriminator)
                return
            }
            check(value, branch, document: document, &walk)
            return
        }
        let results = branches.map { branch -> [SchemaIssue] in
            var found = walk.branch
            check(value, branch, document: document, &found)
            return found.issues
        }
        let matching = results.filter(\.isEmpty).count
        if matching == 0 {
            if let fewest = results.min(by: { $0.count < $1.count }) { walk.issues += fewest } else { walk.add("matches none of the allowed forms") }
        } else if matching > 1 {
            walk.add("matches \(matching) of the allowed forms; exactly one is required")
        }
    }

    private func discriminatorProperty(_ branches: [JSONValue]) -> String? {
        guard let first = branches.first?["properties"]?.objectValue else { return nil }
        for (name, schema) in first where schema["const"] != nil {
            if branches.allSatisfy({ $0["properties"]?[name]?["const"] != nil }) { return name }
        }
        return nil
    }

    private func checkString(_ text: String, _ keywords: [String: JSONValue], _ walk: inout Walk) {
        let minimum = keywords["minLength"]?.doubleValue, maximum = keywords["maxLength"]?.doubleValue
        if minimum != nil || maximum != nil {
            let length = text.unicodeScalars.count
            if let minimum, Double(length) < minimum {
                walk.add(minimum == 1 ? "must not be empty" : "shorter than \(Int(minimum)) characters")
            }
            if let maximum, Double(length) > maximum {
                walk.add("too long: \(length) characters, at most \(Int(maximum))")
            }
        }
        if let pattern = keywords["pattern"]?.stringValue, !PatternCache.shared.matches(text, pattern) {
            let expectation = keywords["description"]?.stringValue ?? "the pattern \(pattern)"
            walk.add("\(JSONValue.string(String(text.prefix(80)))) is not valid: expected \(expectation)")
        }
        if let format = keywords["format"]?.stringValue {
            if format == "date-time", !Self.isDateTime(text) {
                walk.add("\(JSONValue.string(String(text.prefix(80)))) is not an RFC 3339 date-time")
            } else if format == "date", !Self.isDate(text) {
                walk.add("\(JSONValue.string(String(text.prefix(80)))) is not a calendar date (YYYY-MM-DD)")
            }
        }
    }

    private func checkNumber(_ value: JSONValue, _ keywords: [String: JSONValue], _ walk: inout Walk) {
        guard let number = value.doubleValue else { return }
        for (keyword, fails, words) in Self.bounds {
            if let bound = keywords[keyword], let limit = bound.doubleValue, fails(number, limit) {
                walk.add("\(value) \(words) \(bound)")
            }
        }
    }

    private static let bounds: [(String, @Sendable (Double, Double) -> Bool, String)] = [
        ("minimum", { $0 < $1 }, "is below the minimum"), ("maximum", { $0 > $1 }, "is above the maximum"),
        ("exclusiveMinimum", { $0 <= $1 }, "must be greater than"), ("exclusiveMaximum", { $0 >= $1 }, "must be less than"),
    ]

    private func checkObject(_ members: [String: JSONValue], _ keywords: [String: JSONValue], document: JSONValue, _ walk: inout Walk) {
        let properties = keywords["properties"]?.objectValue ?? [:]
        let additional = keywords["additionalProperties"]
        for name in keywords["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
            walk.add("required field missing", at: name)
        }
        // Members in the object's own order; only when one is wrong are they gone through again
        // by name, so the issues always come in the same order.
        let before = walk.issues.count
        checkMembers(members, properties: properties, additional: additional, document: document, &walk)
        if walk.issues.count > before {
            walk.issues.removeSubrange(before...)
            checkMembers(members.sorted { $0.key < $1.key }, properties: properties, additional: additional, document: document, &walk)
        }
    }

    private func checkMembers(_ members: some Sequence<(key: String, value: JSONValue)>, properties: [String: JSONValue], additional: JSONValue?,
                              document: JSONValue, _ walk: inout Walk) {
        for (name, member) in members {
            let schema: JSONValue
            if let declared = properties[name] {
                schema = declared
            } else if let additional {
                if case .bool(false) = additional {
                    walk.add("unknown field", at: name)
                    continue
                }
                schema = additional
            } else {
                continue
            }
            walk.steps.append(.key(name))
            check(member, schema, document: document, &walk)
            walk.steps.removeLast()
        }
    }

    private func checkArray(_ items: [JSONValue], _ keywords: [String: JSONValue], document: JSONValue, _ walk: inout Walk) {
        if let minimum = keywords["minItems"]?.doubleValue, Double(items.count) < minimum {
            walk.add("at least \(Int(minimum)) item\(minimum == 1 ? "" : "s") required, got \(items.count)")
        }
        if let maximum = keywords["maxItems"]?.doubleValue, Double(items.count) > maximum {
            walk.add("too many items: \(items.count), at most \(Int(maximum))")
        }
        if let schema = keywords["items"] {
            for (index, item) in items.enumerated() {
                walk.steps.append(.index(index))
                check(item, schema, document: document, &walk)
                walk.steps.removeLast()
            }
        }
    }

    private func matchesType(_ value: JSONValue, _ expected: JSONValue) -> Bool {
        switch expected {
        case .string(let name): return Self.matches(value, name)
        case .array(let names): return names.contains { $0.stringValue.map { Self.matches(value, $0) } ?? false }
        default: return false
        }
    }

    private static func matches(_ value: JSONValue, _ name: String) -> Bool {
        switch value {
        case .null: name == "null"
        case .bool: name == "boolean"
        case .number: name == "number" || (name == "integer" && value.isInteger)
        case .string: name == "string"
        case .array: name == "array"
        case .object: name == "object"
        }
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

    /// RFC 3339 full-date: `YYYY-MM-DD`, a real day.
    static func isDate(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { $0.count == 10 && isDate($0[...]) }
    }

    private static func isDate(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let start = bytes.startIndex
        guard bytes.count >= 10, bytes[start + 4] == UInt8(ascii: "-"), bytes[start + 7] == UInt8(ascii: "-"),
              let year = digits(bytes, start, 4), let month = digits(bytes, start + 5, 2), let day = digits(bytes, start + 8, 2) else { return false }
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    /// RFC 3339 date-time: a full-date, `T`, `HH:MM:SS`, an optional fraction, then `Z` or `±HH:MM`.
    static func isDateTime(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= 20, isDate(bytes[0..<10]), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
                  bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
                  let hour = digits(bytes[...], 11, 2), let minute = digits(bytes[...], 14, 2), let second = digits(bytes[...], 17, 2),
                  hour < 24, minute < 60, second <= 60 else { return false }
            var index = 19
            if bytes[index] == UInt8(ascii: ".") {
                index += 1
                let fractionStart = index
                while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
                guard index > fractionStart else { return false }
            }
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") { return index + 1 == bytes.count }
            guard bytes.count - index == 6, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"), bytes[index + 3] == UInt8(ascii: ":"),
                  let offsetHour = digits(bytes[...], index + 1, 2), let offsetMinute = digits(bytes[...], index + 4, 2) else { return false }
            return offsetHour < 24 && offsetMinute < 60
        }
    }

    /// The number `count` ASCII digits at `start` spell, or nil when one is not a digit.
    private static func digits(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for index in start..<(start + count) {
            guard index < bytes.endIndex else { return nil }
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
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
